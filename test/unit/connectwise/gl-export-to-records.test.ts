import { glExportDocuments, glExportToRecords, money, type GlExport } from '../../../integrations/connectwise';
import { ExactDecimal, parseJsonExact } from '../../../integrations/exact-json';

const invoice = (overrides: Record<string, unknown> = {}) => ({
  id: 12,
  documentDate: '2026-11-02T00:00:00Z',
  documentNumber: 'INV100',
  documentType: 'INVOICE',
  billingType: 'Standard',
  accountNumber: 'Accounts Receivable',
  glEntryIds: '501,502,503,504',
  company: { id: 3, identifier: 'Acme', name: 'Acme Co' },
  companyAccountNumber: 'C1',
  billingTerms: { id: 1, name: 'Net 30' },
  billingTermsXref: 'Net 30',
  taxCode: { id: 1, name: 'Seattle' },
  total: 110,
  detail: [
    { id: 502, glTypeId: 'R', accountNumber: 'Service Revenue', glClass: 'MS', glItemId: 'Services', total: 120, quantity: 2, itemPrice: 60, description: 'Time' },
    { id: 503, glTypeId: 'SD', accountNumber: 'Product Discounts', total: -20, description: 'Discount' },
    { id: 504, glTypeId: 'ST', accountNumber: 'Sales Tax Payable', total: 10, taxCodeXref: 'WA State' },
  ],
  taxLevels: [
    { taxLevel: 2, taxCodeXref: 'King County', taxAmount: 0 },
    { taxLevel: 1, taxCodeXref: 'WA State', taxAmount: 10 },
  ],
  ...overrides,
});

describe('glExportToRecords', () => {
  it('keeps every GL entry id with its side, account, class and item', () => {
    const [r] = glExportToRecords({ transactions: [invoice()] } as unknown as GlExport);
    expect(r).toMatchObject({ kind: 'invoice', recordType: 'Standard', recordId: '12', number: 'INV100', revision: '501', terms: 'Net 30', total: '110.00', party: { name: 'Acme Co', accountNumber: 'C1' } });
    expect(r!.lines.map((l) => [l.glEntryId, l.accountType, l.side, l.amount])).toEqual([
      [501, 'Accounts Receivable', 'debit', '110.00'],
      [502, 'Revenue', 'credit', '120.00'],
      [503, 'Product Discount', 'debit', '20.00'],
      [504, 'Sales Tax Payable', 'credit', '10.00'],
    ]);
    expect(r!.lines[1]).toMatchObject({ class: 'MS', productId: 'Services', quantity: '2', unitPrice: '60.00' });
    expect(r!.lines[3]).toMatchObject({ taxLevel: 1, taxCodeXref: 'WA State' });
  });

  it('reads each tax line\'s level from the invoice taxLevels: by taxCodeXref, then by amount, none when ambiguous', () => {
    const [r] = glExportToRecords({
      transactions: [
        invoice({
          total: 12,
          detail: [
            { id: 510, glTypeId: 'ST', accountNumber: 'Sales Tax Payable', total: 7, taxCodeXref: 'Shared' },
            { id: 511, glTypeId: 'ST', accountNumber: 'Sales Tax Payable', total: 3, taxCodeXref: 'Shared' },
            { id: 512, glTypeId: 'ST', accountNumber: 'Sales Tax Payable', total: 2, taxCodeXref: 'Other' },
          ],
          taxLevels: [
            { taxLevel: 1, taxCodeXref: 'Shared', taxAmount: 7 },
            { taxLevel: 3, taxCodeXref: 'Shared', taxAmount: 3 },
            { taxLevel: 4, taxCodeXref: 'Other', taxAmount: 1 },
            { taxLevel: 5, taxCodeXref: 'Other', taxAmount: 1 },
          ],
        }),
      ],
    } as unknown as GlExport);
    expect(r!.lines.slice(1).map((l) => [l.glEntryId, l.taxLevel])).toEqual([
      [510, 1],
      [511, 3],
      [512, undefined],
    ]);
  });

  it('reads an expense bill line\'s GL entry from its documented id list and its class from the bill', () => {
    const bill = (detailIds: number[]) => ({
      id: 900, documentDate: '2026-11-02T00:00:00Z', documentNumber: 'EXP-1-7', glClass: 'Field', apAccountNumber: 'Accounts Payable',
      member: { id: 1, identifier: 'jd', name: 'J D' }, total: 25,
      detail: [{ id: detailIds, glTypeId: 'EE', accountNumber: 'Travel', total: 25, memo: 'Taxi' }],
    });
    const [r] = glExportToRecords({ expenseBills: [bill([901])] } as unknown as GlExport);
    expect(r!.lines.map((l) => [l.glEntryId, l.class, l.side])).toEqual([
      [900, 'Field', 'credit'],
      [901, 'Field', 'debit'],
    ]);
    // Marked exported by the detail's documented id list.
    expect(r!.glEntryIds).toEqual([901]);
    expect(() => glExportToRecords({ expenseBills: [bill([901, 902])] } as unknown as GlExport)).toThrow(/2 GL entry ids \(901, 902\) on one line at expenseBills\[0\]\.detail\[0\]/);
  });

  it('turns a negative credit memo into AR credit and revenue debit', () => {
    const [r] = glExportToRecords({
      transactions: [invoice({ documentType: 'CREDIT MEMO', billingType: 'CreditMemo', total: -50, detail: [{ id: 600, glTypeId: 'RP', accountNumber: 'Product Revenue', total: -50 }] })],
    } as unknown as GlExport);
    expect(r!.recordType).toBe('CreditMemo');
    expect(r!.lines.map((l) => [l.side, l.amount])).toEqual([
      ['credit', '50.00'],
      ['debit', '50.00'],
    ]);
  });

  it("keeps each line's documented references to its origin (time entry, catalog item, expense row, purchase tax level); an undocumented glLineContext is not read", () => {
    const [r, expense, purchase] = glExportToRecords({
      transactions: [
        invoice({
          detail: [
            { id: 502, glTypeId: 'R', accountNumber: 'Service Revenue', total: 60, timeEntry: { id: 77 }, glLineContext: { accountType: 'Revenue', owner: 'X', workType: 'After Hours' } },
            { id: 503, glTypeId: 'RP', accountNumber: 'Hardware Revenue', total: 50, item: { id: 9, identifier: 'SSD-1TB' } },
            { id: 504, glTypeId: 'RP', accountNumber: 'Hardware Revenue', total: 0, item: { id: 0, identifier: 'OLD' } },
          ],
        }),
      ],
      expenses: [{ id: 801, documentDate: '2026-11-02', accountNumber: 'Meals', glTypeId: 'EE', total: 5, offset: { id: 802, accountNumber: 'Card', glTypeId: 'EO', total: 5 } }],
      purchaseTransactions: [
        {
          id: '7-PO1-purchase', documentDate: '2026-11-02', documentNumber: 'PO1', apAccountNumber: 'AP', total: 11, taxLevels: [{ taxLevel: 2, taxCodeXref: 'County' }],
          purchaseDetail: [{ id: 901, glTypeId: 'IT', accountNumber: 'Inventory', total: 10, item: { id: 4, identifier: 'DOCK' } }],
          purchaseDetailTax: [{ id: 902, glTypeId: 'PT', accountNumber: 'Tax', total: 1 }],
        },
      ],
    } as unknown as GlExport, { rowIds: new Map([['7-PO1-purchase', 900]]) });
    expect(r!.lines.map((l) => l.source)).toEqual([undefined, { timeEntryId: 77 }, { itemId: 9, item: 'SSD-1TB' }, { item: 'OLD' }]);
    expect(r!.lines[1]).not.toHaveProperty('context');
    expect(expense!.lines.map((l) => l.source)).toEqual([{ expenseRowId: 801 }, { expenseRowId: 801 }]);
    expect(purchase!.lines.map((l) => l.source)).toEqual([undefined, { itemId: 4, item: 'DOCK' }, { taxLevel: 2 }]);
  });

  it('marks an invoice exported by every id of its glEntryIds, not only its lines', () => {
    const [r] = glExportToRecords({ transactions: [invoice({ glEntryIds: '501,502,503,504,505' })] } as unknown as GlExport);
    expect(r!.lines[0]!.glEntryId).toBe(501);
    expect(r!.glEntryIds).toEqual([501, 502, 503, 504, 505]);
  });

  it('names the other kinds by their documented ids: expense id and offset, procurement rows, purchase detail and tax, transfer offset', () => {
    const rowIds = new Map([['3-PO3-purchase', 300], ['4-adjustment', 400], ['5-transfer', 500]]);
    const records = glExportToRecords({
      expenses: [{ id: 200, documentDate: '2026-11-02', accountNumber: 'Travel', glTypeId: 'EE', total: 25, offset: { id: 201, accountNumber: 'Accounts Payable', glTypeId: 'EO', total: 25 } }],
      purchaseTransactions: [{
        id: '3-PO3-purchase', documentDate: '2026-11-02', documentNumber: 'PO3', apAccountNumber: 'Accounts Payable', total: 11,
        purchaseDetail: [{ id: 301, glTypeId: 'P', accountNumber: 'Inventory', total: 10 }], purchaseDetailTax: [{ id: 302, glTypeId: 'PT', accountNumber: 'Tax', total: 1 }],
      }],
      adjustmentTransactions: [{ id: '4-adjustment', documentDate: '2026-11-02', accountNumber: 'Inventory', adjustmentDetail: [{ accountNumber: 'Shrinkage', total: 5, quantity: -1 }] }],
      inventoryTransfers: [{ id: '5-transfer', transferId: 5, documentDate: '2026-11-02', accountNumber: 'Inventory B', glTypeId: 'IT', total: 8, offset: { id: 501, accountNumber: 'Inventory A', glTypeId: 'IT', total: 8 } }],
    } as unknown as GlExport, { rowIds });
    expect(records.map((r) => [r.recordId, r.revision, r.glEntryIds ?? r.lines.map((l) => l.glEntryId)])).toEqual([
      ['200', '200', [200, 201]],
      ['3-PO3-purchase', '300', [300, 301, 302]],
      ['4-adjustment', '400', [400]],
      ['5-transfer', '500', [500, 501]],
    ]);
  });

  it("knows an expense by its own id when it is given (its GL entry changes when it is closed again), with the row id it was exported by", () => {
    const expense = (id: number) => ({ id, documentDate: '2026-11-02', accountNumber: 'Travel', glTypeId: 'EE', total: 25, offset: { id: id + 1, accountNumber: 'Card', glTypeId: 'EO', total: 25 } });
    const bill = (id: number) => ({
      id, documentDate: '2026-11-02', documentNumber: 'EXP-4-12', apAccountNumber: 'Accounts Payable', member: { id: 1, identifier: 'jd', name: 'J D' }, total: 25,
      detail: [{ id: [id], glTypeId: 'EE', accountNumber: 'Travel', total: 25 }],
    });
    const exported = (first: number) => glExportToRecords({ expenses: [expense(first)], expenseBills: [bill(first + 10)] } as unknown as GlExport, { expenseIds: new Map([[first, 12], [first + 10, 13]]) });
    const earlier = exported(200);
    const later = exported(700);
    expect(earlier.map((r) => [r.recordId, r.rowId, r.number, r.revision])).toEqual([['12', '200', 'EXP-12', '200'], ['13', '210', 'EXP-4-12', '210']]);
    // Closed again: the same records and numbers, a new revision and row.
    expect(later.map((r) => [r.recordId, r.rowId, r.number, r.revision])).toEqual([['12', '700', 'EXP-12', '700'], ['13', '710', 'EXP-4-12', '710']]);
    // Without its own id, an expense is known by its row as before.
    expect(glExportToRecords({ expenses: [expense(200)] } as unknown as GlExport).map((r) => [r.recordId, r.rowId, r.number])).toEqual([['200', undefined, '200']]);
  });

  it('fails only the malformed document, naming its number, the field and the fix; the others convert', () => {
    const good = invoice();
    const cases: Array<[Record<string, unknown>, string, RegExp, RegExp]> = [
      [invoice({ id: 13, documentNumber: 'INV-ZZ', detail: [{ id: 9, glTypeId: 'ZZ', accountNumber: 'x', total: 1 }] }), 'MappingInvalid', /invoice INV-ZZ .*unknown GL type "ZZ" on transactions\[1\]\.detail\[0\]/, /GL Accounts setup table/],
      [invoice({ id: 13, documentNumber: 'INV-NOACCT', detail: [{ id: 9, glTypeId: 'R', total: 1 }] }), 'MappingMissing', /invoice INV-NOACCT .*no GL account on transactions\[1\]\.detail\[0\]/, /Map a GL account/],
      [invoice({ id: 13, documentNumber: 'INV-CENTS', total: 110.005 }), 'InvalidInput', /invoice INV-CENTS .*amount 110\.005 .*whole cents/, /whole cents/],
      [invoice({ id: 13, documentNumber: 'INV-TYPE', total: '110' }), 'InvalidInput', /invoice INV-TYPE .*transactions\[1\]\.total: .*expected number/, /amounts/],
      [invoice({ id: 13, documentNumber: 'INV-NOAR', accountNumber: undefined }), 'MappingMissing', /invoice INV-NOAR .*transactions\[1\]\.accountNumber/, /Map a GL account/],
    ];
    for (const [bad, type, message, fix] of cases) {
      const docs = glExportDocuments({ transactions: [good, bad, { ...good, id: 14, documentNumber: 'INV102' }] } as unknown as GlExport);
      expect(docs.map((d) => d.ok)).toEqual([true, false, true]);
      const failed = docs[1]!;
      if (failed.ok) throw new Error('expected a failure');
      expect({ kind: failed.kind, recordId: failed.recordId, type: failed.error.type, record: failed.error.record }).toEqual({ kind: 'invoice', recordId: '13', type, record: `invoice ${String(bad.documentNumber)}` });
      expect(failed.error.message).toMatch(message);
      expect(failed.error.fix).toMatch(fix);
    }
  });

  it('a procurement document without its unposted row fails alone', () => {
    const docs = glExportDocuments({ adjustmentTransactions: [{ id: '4-adjustment', documentDate: '2026-11-02', accountNumber: 'Inventory', adjustmentDetail: [] }] } as unknown as GlExport);
    expect(docs).toEqual([expect.objectContaining({ ok: false, kind: 'procurement', recordId: '4-adjustment', number: '4-adjustment' })]);
  });

  it('keeps every cent of a total too large for a double, from the wire text on', () => {
    const big = '12345678901234567.89';
    const wire = JSON.stringify({ transactions: [invoice({ total: 0, detail: [{ id: 502, glTypeId: 'R', accountNumber: 'Service Revenue', total: 0, description: 'Time' }], taxLevels: [] })] })
      .replace(/"total":0/g, `"total":${big}`);
    expect(String(JSON.parse(wire).transactions[0].total)).not.toBe(big); // a double cannot hold it
    const [doc] = glExportDocuments(parseJsonExact(wire) as GlExport);
    expect(doc).toMatchObject({ ok: true, record: { total: big, lines: [{ amount: big }, { amount: big }] } });
  });

  it('refuses fractions of a cent in an exact amount, for that document only', () => {
    const wire = JSON.stringify({ transactions: [invoice({ id: 13, documentNumber: 'INV101', total: 0 }), invoice()] }).replace('"total":0', '"total":123456789012345.675');
    const [bad, good] = glExportDocuments(parseJsonExact(wire) as GlExport);
    expect(bad).toMatchObject({ ok: false, number: 'INV101', error: { message: expect.stringMatching(/123456789012345\.675.*whole cents/) } });
    expect(good).toMatchObject({ ok: true });
  });

  it('formats money exactly', () => {
    expect(money(0.1 + 0.2)).toBe('0.30');
    expect(money(-429.27)).toBe('-429.27');
    expect(money(1e6)).toBe('1000000.00');
    expect(money(-0.001)).toBe('0.00');
    expect(money(new ExactDecimal('98765432109876543.21'))).toBe('98765432109876543.21');
    expect(money(12.3456)).toBe('12.35');
  });
});
