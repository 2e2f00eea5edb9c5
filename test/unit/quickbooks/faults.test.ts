import { faultToLedgerError, parseFaultBody, retryAfterMs } from '../../../integrations/quickbooks/faults';

const dataFault = (code: string, type = 'ValidationFault') =>
  JSON.stringify({ Fault: { Error: [{ Message: 'Msg', Detail: `Detail ${code}`, code, element: 'Line' }], type }, time: '2026-01-01T00:00:00-08:00' });

const gatewayFault = JSON.stringify({
  fault: { error: [{ message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401', detail: 'Token expired', code: '3200' }], type: 'AUTHENTICATION' },
  requestId: null,
  time: 1760000000000,
});

const xmlThrottle =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><IntuitResponse time="x"><Fault type="SERVICE"><Error code="3001">' +
  '<Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message><Detail>The request limit was reached. Try again later</Detail></Error></Fault></IntuitResponse>';

describe('QuickBooks fault parsing', () => {
  it('reads all three shapes', () => {
    expect(parseFaultBody(dataFault('6240'))).toEqual({ type: 'ValidationFault', errors: [{ code: '6240', message: 'Msg', detail: 'Detail 6240', element: 'Line' }] });
    expect(parseFaultBody(gatewayFault)?.errors[0]).toMatchObject({ code: '3200', detail: 'Token expired' });
    expect(parseFaultBody(xmlThrottle)).toEqual({
      type: 'SERVICE',
      errors: [{ code: '3001', message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429', detail: 'The request limit was reached. Try again later', element: undefined }],
    });
    expect(parseFaultBody('<html>413</html>')).toBeUndefined();
  });

  it.each([
    [400, '6240', false, 'ValidationRejected'],
    [400, '6070', false, 'ValidationRejected'],
    [400, '2020', false, 'ValidationRejected'],
    [400, '2500', false, 'ReferenceNotFound'],
    [400, '610', false, 'ReferenceNotFound'],
    [400, '610', true, 'NotFound'],
    [400, '5010', false, 'Conflict'],
    [401, '3200', false, 'AuthenticationFailed'],
    [403, '3100', false, 'PermissionDenied'],
    [429, '3001', false, 'RateLimited'],
    [403, '3001', false, 'RateLimited'],
    [500, '10000', false, 'Unavailable'],
    [503, '', false, 'Unavailable'],
  ])('HTTP %i code %s (read by id: %s) -> %s', (status, code, isReadById, type) => {
    const err = faultToLedgerError(parseFaultBody(dataFault(code)), { endpoint: 'POST /invoice', httpStatus: status, intuitTid: 'tid-1', isReadById });
    expect(err.type).toBe(type);
    expect(err.details).toMatchObject({ code, intuit_tid: 'tid-1', endpoint: 'POST /invoice' });
    expect(err.message).toContain('POST /invoice');
  });

  it('takes the code out of a gateway message when the code field is missing', () => {
    const body = JSON.stringify({ fault: { error: [{ message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429', detail: 'x' }], type: 'SERVICE' } });
    const err = faultToLedgerError(parseFaultBody(body), { endpoint: 'GET /query', httpStatus: 200 });
    expect(err.type).toBe('RateLimited');
    expect(err.details?.code).toBe('3001');
  });

  it('honours Retry-After (seconds or date) and otherwise waits Intuit\'s 60 s', () => {
    expect(retryAfterMs('7')).toBe(7000);
    expect(retryAfterMs(new Date(1_000_000 + 5000).toUTCString(), 1_000_000)).toBeLessThanOrEqual(5000);
    expect(retryAfterMs(null)).toBe(60_000);
    expect(retryAfterMs('soon')).toBe(60_000);
    const err = faultToLedgerError(parseFaultBody(xmlThrottle), { endpoint: 'GET /query', httpStatus: 429, retryAfterHeader: '3' });
    expect(err.retryAfterMs).toBe(3000);
    expect(err.retryable).toBe(true);
  });
});

describe('company-setting refusals', () => {
  const fault = (code: string, message: string, detail: string, element: string) =>
    parseFaultBody(JSON.stringify({ Fault: { Error: [{ Message: message, Detail: detail, code, element }], type: 'ValidationFault' } }));

  it('a closed period is a per-record rejection whose fix is to reopen the period or re-date', () => {
    const err = faultToLedgerError(
      fault('6210', 'Account Period Closed, Cannot Update Through Services API', 'The account period has closed and the account books cannot be updated through the QBO Services API.', 'TxnDate'),
      { endpoint: 'POST /invoice', httpStatus: 400 },
    );
    expect(err.type).toBe('ValidationRejected');
    expect(err.fix).toMatch(/closed period.*reopen the period.*re-date/i);
  });

  it('a currency the company lacks is a per-record rejection whose fix names multicurrency', () => {
    const err = faultToLedgerError(fault('2500', 'Invalid Reference Id', 'Invalid Reference Id : Currency element id EUR not found', 'CurrencyRef'), {
      endpoint: 'POST /invoice',
      httpStatus: 400,
    });
    expect(err.type).toBe('ReferenceNotFound');
    expect(err.fix).toMatch(/multicurrency/i);
  });
});
