/**
 * Credentials go only to the configured host, over https (plain http to this machine only): the
 * ConnectWise client does not follow a Link or a redirect to another host, the QuickBooks client
 * follows no redirect, and neither starts with a plain-http URL off this machine. A second server
 * stands in for "another host" and counts what reaches it: nothing may.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadWorkerConfig } from '../../../config';
import { LedgerError } from '../../../domain/errors';
import { ConnectWiseClient } from '../../../integrations/connectwise';
import { MemoryTokenStore, QuickBooksClient } from '../../../integrations/quickbooks';
import { sandboxWorkerEnv } from '../../../dev/stack/sandbox-worker-env';

/** What a promise rejects with (fails the test when it resolves). */
async function thrown(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

function thrownSync(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

type Handler = (path: string, headers: IncomingHttpHeaders) => { status: number; headers?: Record<string, string>; body?: string };
interface Host {
  origin: string;
  seen: Array<{ path: string; authorization?: string }>;
  answer: Handler;
  close(): Promise<void>;
}

async function host(): Promise<Host> {
  const h = { seen: [] as Host['seen'], answer: (() => ({ status: 404 })) as Handler } as Host;
  const server: Server = createServer((req, res) => {
    h.seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
    const a = h.answer(req.url ?? '', req.headers);
    res.writeHead(a.status, { 'Content-Type': 'application/json', ...a.headers });
    res.end(a.body ?? '');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  h.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  h.close = () => new Promise<void>((r) => server.close(() => r()));
  return h;
}

let site: Host;
let elsewhere: Host;
beforeEach(async () => {
  site = await host();
  elsewhere = await host();
});
afterEach(async () => {
  await site.close();
  await elsewhere.close();
});

const API = '/v4_6_release/apis/3.0';
const NO_RETRY = { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 };
const psa = (baseUrl = `${site.origin}${API}`) => new ConnectWiseClient({ baseUrl, companyId: 'c', publicKey: 'pub', privateKey: 'priv-key', clientId: 'id', retry: NO_RETRY });

describe('ConnectWise credentials stay on the configured host', () => {
  it('follows a Link on the configured host, and refuses one naming another host without calling it', async () => {
    site.answer = (path) =>
      path.includes('page=2')
        ? { status: 200, body: '[{"id":2,"identifier":"B","name":"B"}]', headers: { Link: `<${elsewhere.origin}${API}/company/companies?page=3>; rel="next"` } }
        : { status: 200, body: '[{"id":1,"identifier":"A","name":"A"}]', headers: { Link: `<${site.origin}${API}/company/companies?page=2>; rel="next"` } };
    const err = await thrown(psa().companies.all());
    expect(err).toBeInstanceOf(LedgerError);
    expect(err).toMatchObject({ type: 'ResponseShapeMismatch' });
    expect((err as LedgerError).message).toBe(
      `ConnectWise named a next page at ${elsewhere.origin}, not at the configured ${site.origin}; it was not requested, since every request carries the API member's keys`,
    );
    expect((err as LedgerError).fix).toMatch(/CW_BASE_URL/);
    expect(site.seen).toHaveLength(2);
    expect(site.seen.every((r) => r.authorization?.startsWith('Basic '))).toBe(true);
    expect(elsewhere.seen).toEqual([]);
  });

  it('refuses a Link that drops to plain http or changes port on the same host name', async () => {
    const https = 'https://psa.example.com';
    const transportUrl = (link: string) => (psa(`${https}${API}`) as unknown as { transport: { url(p: string): string } }).transport.url(link);
    expect(transportUrl(`${https}${API}/x?page=2`)).toBe(`${https}${API}/x?page=2`);
    expect(() => transportUrl(`http://psa.example.com${API}/x?page=2`)).toThrow(/next page at http:\/\/psa\.example\.com, not at the configured https:\/\/psa\.example\.com/);
    expect(() => transportUrl(`https://psa.example.com:8443${API}/x`)).toThrow(/not at the configured/);
  });

  it('does not follow a redirect, wherever it points', async () => {
    site.answer = () => ({ status: 302, headers: { Location: `${elsewhere.origin}${API}/system/info` } });
    const err = (await thrown(psa().systemInfo())) as LedgerError;
    expect(err.type).toBe('ResponseShapeMismatch');
    expect(err.message).toBe(`ConnectWise GET /system/info answered a redirect (HTTP 302) to ${elsewhere.origin}; not followed, since the request carries credentials`);
    expect(elsewhere.seen).toEqual([]);
  });

  it('refuses a plain-http base URL off this machine before sending anything; loopback http and https are fine', () => {
    expect(() => psa('http://api-na.myconnectwise.net/v4_6_release/apis/3.0')).toThrow(
      /ConnectWise settings: baseUrl uses plain http to api-na\.myconnectwise\.net: credentials go over https/,
    );
    expect(() => psa('ftp://api-na.myconnectwise.net/x')).toThrow(/baseUrl uses ftp/);
    for (const ok of ['https://api-na.myconnectwise.net/v4_6_release/apis/3.0', 'http://127.0.0.1:8701/x', 'http://localhost:8701/x', 'http://[::1]:8701/x']) {
      expect(() => psa(ok)).not.toThrow();
    }
  });
});

const ledger = (overrides: { baseUrl?: string; tokenUrl?: string; accessToken?: string } = {}) =>
  new QuickBooksClient({
    baseUrl: overrides.baseUrl ?? site.origin,
    tokenUrl: overrides.tokenUrl ?? `${site.origin}/oauth2/v1/tokens/bearer`,
    realmId: '123',
    clientId: 'cid',
    clientSecret: 'client-secret',
    tokens: new MemoryTokenStore({ accessToken: overrides.accessToken ?? 'at-live', refreshToken: 'rt-live' }),
    retry: { maxAttempts: 1 },
  });

describe('QuickBooks credentials stay on the configured hosts', () => {
  it('does not follow a redirect of an API call', async () => {
    site.answer = () => ({ status: 307, headers: { Location: `${elsewhere.origin}/v3/company/123/preferences` } });
    const err = (await thrown(ledger().getPreferences())) as LedgerError;
    expect(err.type).toBe('ResponseShapeMismatch');
    expect(err.message).toBe(`QuickBooks GET /preferences answered a redirect (HTTP 307) to ${elsewhere.origin}; not followed, since the request carries credentials`);
    expect(err.fix).toMatch(/QBO_BASE_URL/);
    expect(elsewhere.seen).toEqual([]);
  });

  it('does not follow a redirect of the token endpoint (client secret and refresh token)', async () => {
    site.answer = (path) => (path.startsWith('/oauth2') ? { status: 301, headers: { Location: `${elsewhere.origin}/token` } } : { status: 401, body: '{}' });
    const err = (await thrown(ledger().getPreferences())) as LedgerError;
    expect(err.message).toMatch(/QuickBooks POST oauth2 token \(refresh_token\) answered a redirect \(HTTP 301\)/);
    expect(err.fix).toMatch(/QBO_TOKEN_URL/);
    expect(elsewhere.seen).toEqual([]);
  });

  it('refuses a plain-http API or token URL off this machine', () => {
    expect(() => ledger({ baseUrl: 'http://quickbooks.api.intuit.com' })).toThrow(/QuickBooks QBO_BASE_URL http:\/\/quickbooks\.api\.intuit\.com uses plain http/);
    expect(() => ledger({ tokenUrl: 'http://oauth.platform.intuit.com/oauth2/v1/tokens/bearer' })).toThrow(/QuickBooks QBO_TOKEN_URL .* uses plain http to oauth\.platform\.intuit\.com/);
    expect(() => ledger({ baseUrl: 'https://quickbooks.api.intuit.com', tokenUrl: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer' })).not.toThrow();
  });
});

describe('worker settings', () => {
  const base = sandboxWorkerEnv({ psaBaseUrl: 'http://127.0.0.1:8701/v4_6_release/apis/3.0', qboBaseUrl: 'http://127.0.0.1:8702', smtpPort: 8725 });
  it.each([
    ['CW_BASE_URL', 'http://api-na.myconnectwise.net/v4_6_release/apis/3.0'],
    ['QBO_BASE_URL', 'http://quickbooks.api.intuit.com'],
    ['QBO_TOKEN_URL', 'http://oauth.platform.intuit.com/oauth2/v1/tokens/bearer'],
  ])('refuse %s over plain http off this machine, naming the variable', (name, url) => {
    const err = thrownSync(() => loadWorkerConfig({ ...base, [name]: url }));
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(new RegExp(`${name}: uses plain http to .*: credentials go over https`));
  });
});
