import { batchIdOfPsaBatch, companyOfPsaBatch, isCompanyPsaBatch, kindOfPsaBatch, psaBatchIdentifier } from '../../../domain/batch-chunk';
import { addPsaBatch, emptyReversalSummary, keptIdentifier, keptRecords, reversalActionFor, reversalStatus, type ReversalLine } from '../../../domain/reversal';
import { procurementRowIdsFromEntries } from '../../../integrations/connectwise';

const line = (number: string, action: ReversalLine['action'], result?: ReversalLine['result']): ReversalLine => ({
  kind: 'invoice',
  recordId: number,
  number,
  total: '1.00',
  glEntryIds: [Number(number)],
  action,
  ...(result && { result }),
});

describe('batch reversal rules', () => {
  it('voids invoices and deletes every other kind', () => {
    expect(['Invoice', 'CreditMemo', 'Bill', 'Purchase', 'JournalEntry', 'InventoryAdjustment'].map(reversalActionFor)).toEqual(['void', 'delete', 'delete', 'delete', 'delete', 'delete']);
  });

  it('keeps posted only what was refused or failed', () => {
    const records = [line('1', 'void', 'voided'), line('2', 'delete', 'deleted'), line('3', 'none', 'alreadyGone'), line('4', 'refuse', 'refused'), line('5', 'void', 'failed')];
    expect(keptRecords(records).map((r) => r.number)).toEqual(['4', '5']);
  });

  it('names the batch of kept records after the original, within 50 characters; a kept batch keeps its name', () => {
    expect(keptIdentifier('B1.abc1234-0-I')).toBe('B1.abc1234-0-I-K');
    expect(keptIdentifier('B1.abc1234-0-I-K')).toBe('B1.abc1234-0-I-K');
    const long = psaBatchIdentifier('x'.repeat(30), 'r123-4567', 'invoice', 'abcdefg');
    expect(long.length).toBeGreaterThan(48);
    expect(keptIdentifier(long).length).toBeLessThanOrEqual(50);
    expect(keptIdentifier(keptIdentifier(long))).toBe(keptIdentifier(long));
  });

  it('reads the kind and the batch id back from a PSA batch identifier', () => {
    const id = psaBatchIdentifier('2026-11-23', 'r1-2', 'expense', 'abcdefg');
    expect([kindOfPsaBatch(id), batchIdOfPsaBatch(id)]).toEqual(['expense', '2026-11-23']);
    expect([kindOfPsaBatch(keptIdentifier(id)), batchIdOfPsaBatch(keptIdentifier(id))]).toEqual(['expense', '2026-11-23']);
    expect([kindOfPsaBatch('SC-SALES-2023-08-18'), batchIdOfPsaBatch(psaBatchIdentifier('OLD', '0', 'invoice'))]).toEqual([undefined, 'OLD']);
  });

  it("names a named company's PSA batches, so each company reads back only its own", () => {
    const east = psaBatchIdentifier('2026-11-23', 'r1-2', 'invoice', 'abcdefg', 'east-2');
    expect(east).toBe('2026-11-23@east-2.abcdefg-r1-2-I');
    expect([kindOfPsaBatch(east), batchIdOfPsaBatch(east), companyOfPsaBatch(east), companyOfPsaBatch(keptIdentifier(east))]).toEqual(['invoice', '2026-11-23', 'east-2', 'east-2']);
    const mine = psaBatchIdentifier('2026-11-23', '0', 'invoice', 'abcdefg', 'default');
    expect(mine).toBe('2026-11-23.abcdefg-0-I');
    expect([isCompanyPsaBatch(east, 'east-2'), isCompanyPsaBatch(east, undefined), isCompanyPsaBatch(mine, undefined), isCompanyPsaBatch(mine, 'default'), isCompanyPsaBatch(mine, 'east-2')]).toEqual([true, false, true, true, false]);
    expect(psaBatchIdentifier('x'.repeat(30), 'r12-345', 'invoice', 'abcdefg', 'c'.repeat(30)).length).toBeLessThanOrEqual(50);
  });

  it('counts every record and tells a dry run, a full and a partial reversal apart', () => {
    const run = emptyReversalSummary({ workflowId: 'w', runId: 'r', batch: { workflowId: 'b', batchId: 'B1' }, dryRun: false });
    addPsaBatch(run, { source: 'S', identifier: 'S', psaBatchId: 1, kind: 'invoice', records: [line('1', 'void', 'voided'), line('2', 'none', 'alreadyGone')] });
    expect([run.counts, reversalStatus(run)]).toEqual([{ records: 2, reversed: 1, alreadyGone: 1, refused: 0, failed: 0 }, 'Completed']);
    addPsaBatch(run, { source: 'T', identifier: 'T', psaBatchId: 2, kind: 'invoice', records: [line('3', 'refuse', 'refused')] });
    expect(reversalStatus(run)).toBe('PartiallyReversed');
    const dry = emptyReversalSummary({ workflowId: 'w', runId: 'r', batch: { workflowId: 'b', batchId: 'B1' }, dryRun: true });
    addPsaBatch(dry, { source: 'S', identifier: 'S', psaBatchId: 1, kind: 'invoice', records: [line('1', 'void'), line('2', 'delete'), line('3', 'refuse')] });
    expect([dry.counts, reversalStatus(dry)]).toEqual([{ records: 3, reversed: 2, alreadyGone: 0, refused: 1, failed: 0 }, 'DryRun']);
    expect(dry.psaBatches[0]).not.toHaveProperty('records');
  });
});

describe('procurement rows of a batch read back', () => {
  it("takes the one entry of each purchase order, adjustment or transfer the export does not name as its row's", () => {
    const exported = {
      purchaseTransactions: [{ id: '12-PO42-purchase', purchaseDetail: [{ id: 501 }, { id: 502 }], purchaseDetailTax: [{ id: 503 }] }],
      adjustmentTransactions: [{ id: '3-adjustment' }],
      inventoryTransfers: [{ id: '7-transfer', offset: { id: 702 } }],
    };
    const entries = [
      { id: 500, purchaseOrder: { id: 12 } },
      { id: 501, purchaseOrder: { id: 12 } },
      { id: 502, purchaseOrder: { id: 12 } },
      { id: 503, purchaseOrder: { id: 12 } },
      { id: 600, adjustmentDetail: { id: 3 } },
      { id: 701, transfer: '7' },
      { id: 702, transfer: '7' },
    ];
    expect(Object.fromEntries(procurementRowIdsFromEntries(exported as never, entries as never))).toEqual({ '12-PO42-purchase': 500, '3-adjustment': 600, '7-transfer': 701 });
  });

  it('leaves a record out when its row cannot be told', () => {
    const exported = { purchaseTransactions: [{ id: '12-PO42-purchase', purchaseDetail: [{ id: 501 }] }] };
    expect(procurementRowIdsFromEntries(exported as never, [{ id: 500, purchaseOrder: { id: 12 } }, { id: 499, purchaseOrder: { id: 12 } }] as never).size).toBe(0);
  });
});
