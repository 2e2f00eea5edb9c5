import { LedgerError } from '../../../domain/errors';
import { glExportToRecords, money, type GlExport } from '../../../integrations/connectwise';

const invoice = (overrides: Record<string, unknown> = {}) => ({
  id: '12',
  documentDate: '2026-11-02T00:00:00Z',
  documentNumber: 'INV100',
  documentType: 'INVOICE',
  billingType: 'Standard',
  accountNumber: 'Accounts Receivable',
  glEntryIds: ['501'],
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
      id: 7, documentDate: '2026-11-02T00:00:00Z', documentNumber: 'EXP-1-7', glClass: 'Field', apAccountNumber: 'Accounts Payable', glEntryIds: ['900'],
      member: { id: 1, identifier: 'jd', name: 'J D' }, total: 25,
      detail: [{ id: detailIds, glTypeId: 'EE', accountNumber: 'Travel', total: 25, memo: 'Taxi' }],
    });
    const [r] = glExportToRecords({ expenseBills: [bill([901])] } as unknown as GlExport);
    expect(r!.lines.map((l) => [l.glEntryId, l.class, l.side])).toEqual([
      [900, 'Field', 'credit'],
      [901, 'Field', 'debit'],
    ]);
    expect(() => glExportToRecords({ expenseBills: [bill([901, 902])] } as unknown as GlExport)).toThrow(/expenseBills\[0\]\.detail\[0\]: 2 GL entry ids \(901, 902\)/);
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

  it('reads GL line contexts when the site provides them, and ignores malformed ones', () => {
    const context = { accountType: 'Revenue', owner: 'Ledgerline', workType: 'After Hours' };
    const [r] = glExportToRecords({
      transactions: [invoice({ detail: [{ id: 502, glTypeId: 'R', accountNumber: 'Service Revenue', total: 110, glLineContext: context }], glLineContext: { owner: 1 } })],
    } as unknown as GlExport);
    expect(r!.lines[1]!.context).toEqual(context);
    expect(r!.lines[0]!.context).toBeUndefined();
  });

  it('refuses an unknown glTypeId as a response shape problem naming the field', () => {
    expect(() => glExportToRecords({ transactions: [invoice({ detail: [{ id: 9, glTypeId: 'ZZ', accountNumber: 'x', total: 1 }] })] } as unknown as GlExport)).toThrow(LedgerError);
    try {
      glExportToRecords({ transactions: [invoice({ detail: [{ id: 9, glTypeId: 'ZZ', accountNumber: 'x', total: 1 }] })] } as unknown as GlExport);
    } catch (err) {
      expect((err as LedgerError).type).toBe('ResponseShapeMismatch');
      expect((err as LedgerError).details).toMatchObject({ field: 'transactions[0].detail[0].glTypeId' });
    }
  });

  it('formats money exactly', () => {
    expect(money(0.1 + 0.2)).toBe('0.30');
    expect(money(-429.27)).toBe('-429.27');
    expect(money(1e6)).toBe('1000000.00');
    expect(money(-0.001)).toBe('0.00');
  });
});
