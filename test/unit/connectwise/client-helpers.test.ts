import { cwDate, cwIn, cwString, parseLinkHeader } from '../../../integrations/connectwise';
import { errorFromNetwork, errorFromResponse, parseRetryAfter } from '../../../integrations/connectwise/errors';
import { connectWiseHeaders } from '../../../integrations/connectwise/auth';
import { ConnectWiseConfigSchema } from '../../../integrations/connectwise/config';

describe('ConnectWise client helpers', () => {
  it('builds Basic companyId+publicKey:privateKey, clientId and the pinned Accept version', () => {
    const config = ConnectWiseConfigSchema.parse({
      baseUrl: 'https://api-na.myconnectwise.net/v4_6_release/apis/3.0/',
      companyId: 'acme',
      publicKey: 'pub',
      privateKey: 'priv',
      clientId: 'client-guid',
      apiVersion: '2025.1',
    });
    expect(config.baseUrl).toBe('https://api-na.myconnectwise.net/v4_6_release/apis/3.0');
    const h = connectWiseHeaders(config);
    expect(Buffer.from(h.Authorization!.replace('Basic ', ''), 'base64').toString()).toBe('acme+pub:priv');
    expect(h.clientId).toBe('client-guid');
    expect(h.Accept).toBe('application/vnd.connectwise.com+json; version=2025.1');
  });

  it('quotes condition literals', () => {
    expect(cwString('O"Neill')).toBe('"O\\"Neill"');
    expect(cwDate(new Date('2026-06-01T15:25:41.123Z'))).toBe('[2026-06-01T15:25:41Z]');
    expect(cwIn([1, 'a'])).toBe('(1,"a")');
  });

  it('parses RFC 5988 Link headers', () => {
    const links = parseLinkHeader(
      '<https://x/apis/3.0/company/companies?pageSize=25&page=1>; rel="first", <https://x/apis/3.0/company/companies?pageSize=25&page=1>; rel="prev", ' +
        '<https://x/apis/3.0/company/companies?pageSize=25&page=3>; rel="next", <https://x/apis/3.0/company/companies?pageSize=25&page=9>; rel="last"',
    );
    expect(links.next).toBe('https://x/apis/3.0/company/companies?pageSize=25&page=3');
    expect(links.last).toContain('page=9');
    expect(parseLinkHeader(null)).toEqual({});
  });

  it.each([
    [400, 'ValidationRejected', false],
    [401, 'AuthenticationFailed', false],
    [403, 'PermissionDenied', false],
    [404, 'NotFound', false],
    [409, 'Conflict', false],
    [429, 'RateLimited', true],
    [500, 'Unavailable', true],
    [503, 'Unavailable', true],
  ])('maps HTTP %i to %s (retryable %s)', (status, type, retryable) => {
    const err = errorFromResponse('GET /company/companies', status, '{"code":"InvalidObject","message":"company object is invalid","errors":[{"code":"ObjectExists","message":"dup","field":"identifier"}]}', '3');
    expect(err.type).toBe(type);
    expect(err.retryable).toBe(retryable);
    expect(err.message).toContain('GET /company/companies');
    expect(err.details?.errors).toEqual([{ code: 'ObjectExists', field: 'identifier', message: 'dup' }]);
  });

  it('reads the throttle body (error, not code) and Retry-After', () => {
    const err = errorFromResponse('GET /system/info', 429, '{"error":"ConnectWiseAPI","message":"Too many requests. Please try again in 30 seconds."}', '30');
    expect(err.type).toBe('RateLimited');
    expect(err.retryAfterMs).toBe(30_000);
    expect(err.details?.code).toBe('ConnectWiseAPI');
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:00 GMT'))).toBe(60_000);
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('tells a timeout from a dropped connection', () => {
    expect(errorFromNetwork('POST /x', new Error('aborted'), true).type).toBe('Timeout');
    const dropped = errorFromNetwork('POST /x', Object.assign(new TypeError('fetch failed'), { cause: { code: 'UND_ERR_SOCKET' } }), false);
    expect(dropped.type).toBe('Unavailable');
    expect(dropped.details?.code).toBe('UND_ERR_SOCKET');
  });
});
