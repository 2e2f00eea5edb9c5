/** Invoices whose agreement was cancelled or changed after they closed, and how the lookups are shared. */
import { MockActivityEnvironment } from '@temporalio/testing';
import { staleOrNone } from '../../../activities/resolve';
import type { RecordRef } from '../../../domain/contract';
import { LedgerError } from '../../../domain/errors';
import { postedStaleRecords, staleAgreementRecords, type AgreementFact } from '../../../domain/stale-agreements';
import { agreementChanges } from '../../../integrations/agreement-changes';
import type { ConnectWiseClient } from '../../../integrations/connectwise';
import { renderBatchReport } from '../../../integrations/mail';
import { partiallyFailedBatch } from '../mail/fixtures';

const ref = (id: number): RecordRef => ({ kind: 'invoice', id: String(id), number: `INV${id}`, total: '100.00' });
const CLOSED = '2026-11-02T10:00:00Z';
const active: AgreementFact = { id: 7, name: 'Cascade MSA', cancelled: false, status: 'Active', lastUpdated: '2026-10-01T00:00:00Z', billAmount: 2400 };

describe('staleAgreementRecords', () => {
  it('says nothing for an agreement last changed before the invoice closed', () => {
    expect(staleAgreementRecords([{ ref: ref(1), agreementId: 7, dateClosed: CLOSED }], new Map([[7, active]]))).toEqual([]);
  });

  it('names the invoice, the agreement, the cancellation with its reason, and the fix', () => {
    const cancelled = { ...active, cancelled: true, status: 'Cancelled', dateCancelled: '2026-11-20T09:00:00Z', reasonCancelled: 'Customer left', lastUpdated: '2026-11-20T09:00:00Z' };
    const [finding] = staleAgreementRecords([{ ref: ref(1), agreementId: 7, dateClosed: CLOSED }], new Map([[7, cancelled]]));
    expect(finding).toMatchObject({ kind: 'invoice', id: '1', number: 'INV1', agreement: '"Cascade MSA" (id 7)', change: 'cancelled on 2026-11-20 (reason: Customer left) after the invoice closed on 2026-11-02' });
    expect(finding!.fix).toMatch(/^Check invoice INV1 against the cancellation of agreement "Cascade MSA" \(id 7\) .*issue a credit memo in ConnectWise/);
  });

  it('a cancellation before the invoice closed is not stale', () => {
    const cancelled = { ...active, cancelled: true, dateCancelled: '2026-11-01T00:00:00Z', lastUpdated: '2026-11-01T00:00:00Z' };
    expect(staleAgreementRecords([{ ref: ref(1), agreementId: 7, dateClosed: CLOSED }], new Map([[7, cancelled]]))).toEqual([]);
  });

  it('an edit after the invoice closed says when and what the agreement now says', () => {
    const changed = { ...active, lastUpdated: '2026-11-15T08:00:00Z', billAmount: 1800, endDate: '2026-12-31T00:00:00Z' };
    const [finding] = staleAgreementRecords([{ ref: ref(2), agreementId: 7, dateClosed: CLOSED }], new Map([[7, changed]]));
    expect(finding!.change).toBe('changed on 2026-11-15 after the invoice closed on 2026-11-02; it now says status Active, bill amount 1800.00, ends 2026-12-31');
    expect(finding!.fix).toMatch(/Audit Trail tab in ConnectWise shows what changed\): the invoice posts as ConnectWise closed it; if it no longer matches, bill or credit the difference/);
  });
});

describe('agreementChanges', () => {
  function fakePsa() {
    const agreementReads: string[] = [];
    const invoice = (id: number, agreementId: number) => ({ id, invoiceNumber: `INV${id}`, type: 'Agreement', company: { id: 1 }, total: 100, applyToType: 'Agreement', applyToId: agreementId });
    const invoices = [invoice(1, 7), invoice(2, 7), invoice(3, 8)];
    const idsOf = (conditions: string) => [...conditions.matchAll(/\d+/g)].map((m) => Number(m[0]));
    const psa = {
      invoices: { all: async ({ conditions }: { conditions: string }) => invoices.filter((i) => idsOf(conditions).includes(i.id)) },
      unpostedInvoices: { all: async ({ conditions }: { conditions: string }) => idsOf(conditions).map((id) => ({ id, dateClosed: CLOSED })) },
      agreements: {
        all: async ({ conditions }: { conditions: string }) => {
          agreementReads.push(conditions);
          // Agreement 8 was cancelled after the invoices closed; 7 has not changed since October.
          return idsOf(conditions).map((id) =>
            id === 8 ? { id, name: 'A8', cancelledFlag: true, dateCancelled: '2026-11-20T00:00:00Z', _info: { lastUpdated: '2026-11-20T00:00:00Z' } } : { id, name: `A${id}`, _info: { lastUpdated: '2026-10-01T00:00:00Z' } },
          );
        },
      },
    } as unknown as ConnectWiseClient;
    return { psa, agreementReads };
  }

  it('reads each agreement once per batch, in one id list per call, whatever the chunks share', async () => {
    const { psa, agreementReads } = fakePsa();
    const changes = agreementChanges(psa);
    const [first, second] = await Promise.all([changes.staleRecords([ref(1), ref(3)], 'run-1'), changes.staleRecords([ref(2)], 'run-1')]);
    expect(first.map((s) => [s.number, s.agreement])).toEqual([['INV3', '"A8" (id 8)']]);
    expect(second).toEqual([]);
    const idsRead = () => agreementReads.flatMap((c) => [...c.matchAll(/\d+/g)].map((m) => Number(m[0]))).sort();
    expect(idsRead()).toEqual([7, 8]);
    expect(agreementReads.every((c) => /^id in \([\d,]+\)$/.test(c))).toBe(true);
    // Another batch reads again: what it reports is as of its own run.
    await changes.staleRecords([ref(2)], 'run-2');
    expect(idsRead()).toEqual([7, 7, 8]);
  });

  it('skips records that are not invoices without asking ConnectWise', async () => {
    const { psa, agreementReads } = fakePsa();
    expect(await agreementChanges(psa).staleRecords([{ ...ref(1), kind: 'expense' }], 'run-1')).toEqual([]);
    expect(agreementReads).toEqual([]);
  });
});

describe('the batch report', () => {
  it('lists each stale invoice with its agreement, what changed and the fix', () => {
    const report = renderBatchReport({
      ...partiallyFailedBatch,
      stale: [{ kind: 'invoice', number: 'INV1', agreement: '"Cascade MSA" (id 7)', change: 'cancelled on 2026-11-20 after the invoice closed on 2026-11-02', fix: 'Issue a credit memo.' }],
    });
    expect(report.text).toContain('Agreements changed after their invoices closed (1)');
    for (const part of [report.text, report.html]) {
      expect(part).toContain('INV1');
      expect(part).toContain('Cascade MSA');
      expect(part).toContain('cancelled on 2026-11-20');
      expect(part).toContain('Issue a credit memo.');
    }
    for (const line of report.text.split('\n')) if (!line.includes('http')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('says when invoices posted by earlier batches could not be checked, with no stale invoice to list', () => {
    const report = renderBatchReport({ ...partiallyFailedBatch, agreementCheckError: 'PermissionDenied: agreements not readable' });
    for (const part of [report.text.replace(/\s+/g, ' '), report.html]) {
      expect(part).toContain('Invoices posted by earlier batches were not checked for agreement changes: PermissionDenied: agreements not readable. The next batch checks them again.');
    }
    expect(renderBatchReport(partiallyFailedBatch).text).not.toContain('Agreements changed after');
  });
});

describe('resolve without the agreement reads', () => {
  const input = { refs: [ref(1)], glSource: 'psa' as const, batchId: 'run-1' };
  const failing = (err: Error) => ({ staleRecords: () => Promise.reject(err) });

  it('a refusal (the member may not view agreements) leaves the records unflagged, never failed', async () => {
    const refused = new LedgerError('PermissionDenied', 'GET /finance/agreements: 403');
    await expect(new MockActivityEnvironment().run(staleOrNone, failing(refused), input)).resolves.toEqual([]);
  });

  it('a transient failure is thrown, so the activity retries', async () => {
    const busy = new LedgerError('Unavailable', 'GET /finance/agreements: 503');
    await expect(new MockActivityEnvironment().run(staleOrNone, failing(busy), input)).rejects.toMatchObject({ type: 'Unavailable' });
  });
});

describe('postedStaleRecords', () => {
  const SINCE = '2026-11-10T00:00:00.000Z';
  const posted = [
    { ref: { kind: 'invoice' as const, id: '1', number: 'INV1' }, agreementId: 7 },
    { ref: { kind: 'invoice' as const, id: '3', number: 'INV3' }, agreementId: 8 },
  ];

  it('flags each posted invoice of an agreement changed in the window, saying it was posted before the change', () => {
    const cancelled = { ...active, cancelled: true, status: 'Cancelled', dateCancelled: '2026-11-20T09:00:00Z', reasonCancelled: 'Customer left', lastUpdated: '2026-11-20T09:00:00Z' };
    const [finding, ...rest] = postedStaleRecords(posted, new Map([[7, cancelled]]), SINCE);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ id: '1', number: 'INV1', agreement: '"Cascade MSA" (id 7)', change: `cancelled on 2026-11-20 (reason: Customer left) after an earlier batch posted the invoice (before ${SINCE})` });
    expect(finding!.fix).toMatch(/^Check invoice INV1 .*: the invoice posted as ConnectWise closed it; .*credit memo/);
  });

  it('an edit names what the agreement now says', () => {
    const [finding] = postedStaleRecords(posted, new Map([[8, { ...active, id: 8, lastUpdated: '2026-11-15T08:00:00Z', billAmount: 1800 }]]), SINCE);
    expect(finding).toMatchObject({ number: 'INV3', change: `changed on 2026-11-15 after an earlier batch posted the invoice (before ${SINCE}); it now says status Active, bill amount 1800.00` });
  });
});

describe('agreementChanges.postedStaleRecords', () => {
  it('reads the window of agreement changes, their invoices, and flags only the closed ones no longer unposted', async () => {
    const asked: string[] = [];
    const invoice = (id: number, statusId: number) => ({ id, invoiceNumber: `INV${id}`, type: 'Agreement', company: { id: 1 }, total: 100, status: { id: statusId }, agreement: { id: 7 } });
    const psa = {
      agreements: { all: async ({ conditions }: { conditions: string }) => (asked.push(conditions), [{ id: 7, name: 'Cascade MSA', cancelledFlag: true, agreementStatus: 'Cancelled', dateCancelled: '2026-11-20T09:00:00Z', _info: { lastUpdated: '2026-11-20T09:00:00Z' } }]) },
      // 1 exported, 2 still unposted, 3 open (not closed).
      invoices: { all: async ({ conditions }: { conditions: string }) => (asked.push(conditions), [invoice(1, 10), invoice(2, 10), invoice(3, 11)]) },
      billingStatuses: { all: async () => [{ id: 10, name: 'Closed', closedFlag: true }, { id: 11, name: 'New', closedFlag: false }] },
      unpostedInvoices: { all: async ({ conditions }: { conditions: string }) => (asked.push(conditions), [{ id: 2 }]) },
    } as unknown as ConnectWiseClient;
    const found = await agreementChanges(psa).postedStaleRecords({ since: '2026-11-10T00:00:00.000Z', until: '2026-11-21T00:00:00.000Z' });
    expect(found.map((f) => f.number)).toEqual(['INV1']);
    expect(asked).toEqual([
      '_info/lastUpdated > [2026-11-10T00:00:00Z] and _info/lastUpdated <= [2026-11-21T00:00:00Z]',
      'agreement/id in (7)',
      'applyToType="Agreement" and applyToId in (7)',
      'id in (1,2)',
    ]);
  });
});
