import {
  amountOf,
  paymentWindow,
  psaInvoiceIdFromNote,
  WATERMARK_OVERLAP_MS,
} from '../../../domain/payments';
import { paymentSyncInputSchema } from '../../../domain/schemas';

describe('links between the systems', () => {
  it('reads the PSA id only next to the ledgerline marker', () => {
    expect(psaInvoiceIdFromNote('ConnectWise Standard invoice 10042 (PSA id 77, revision 3) [ledgerline:LLabc123]')).toBe(77);
    expect(psaInvoiceIdFromNote('ConnectWise Standard invoice 10042 (PSA id 77, revision 3)')).toBeUndefined();
    expect(psaInvoiceIdFromNote(undefined)).toBeUndefined();
  });

  it('turns API numbers into exact amounts', () => {
    expect(amountOf(0.1 + 0.2)).toBe('0.30');
    expect(amountOf(1250)).toBe('1250.00');
    expect(amountOf(undefined)).toBe('0.00');
  });

});

describe('paymentWindow', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');
  it('uses since and until when given (days mean midnight UTC)', () => {
    expect(paymentWindow({ since: '2026-11-01', until: '2026-11-02T06:00:00Z', lookback: '30d' }, '2026-11-20T00:00:00Z', now)).toEqual({
      since: '2026-11-01T00:00:00.000Z',
      until: '2026-11-02T06:00:00.000Z',
      from: 'input',
    });
  });
  it('starts a little before the watermark, which wins over the lookback', () => {
    const w = paymentWindow({ lookback: '30d' }, '2026-11-23T10:00:00Z', now);
    expect(Date.parse(w.since)).toBe(Date.parse('2026-11-23T10:00:00Z') - WATERMARK_OVERLAP_MS);
    expect(w).toMatchObject({ until: '2026-11-23T12:00:00.000Z', from: 'watermark' });
  });
  it('reads the lookback on a first run', () => {
    expect(paymentWindow({ lookback: '2d' }, undefined, now)).toMatchObject({ since: '2026-11-21T12:00:00.000Z', from: 'lookback' });
  });
});

describe('paymentSync input', () => {
  it('accepts days and date-times and defaults the lookback', () => {
    expect(paymentSyncInputSchema.parse({ since: '2026-11-01', until: '2026-11-02T00:00:00Z' })).toMatchObject({ lookback: '30d' });
  });
  it('refuses bad dates, unknown fields and inverted windows', () => {
    expect(paymentSyncInputSchema.safeParse({ since: '2026-13-01' }).success).toBe(false);
    expect(paymentSyncInputSchema.safeParse({ sinse: '2026-11-01' }).success).toBe(false);
    expect(paymentSyncInputSchema.safeParse({ since: '2026-11-02', until: '2026-11-01' }).success).toBe(false);
    expect(paymentSyncInputSchema.safeParse({ lookback: '3 weeks' }).success).toBe(false);
  });
});
