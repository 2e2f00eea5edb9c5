/** zod at the boundary: a body that does not match names the endpoint and the field. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LedgerError } from '../../../domain/errors';
import { ConnectWiseClient } from '../../../integrations/connectwise';

let server: Server;
let baseUrl: string;
const bodies: Record<string, string> = {
  '/v4_6_release/apis/3.0/company/companies': JSON.stringify([{ id: 1, identifier: 'A', name: 'A' }, { id: 'two', identifier: 'B', name: 'B' }]),
  '/v4_6_release/apis/3.0/system/info': '<html>gateway</html>',
  '/v4_6_release/apis/3.0/finance/billingTerms/count': JSON.stringify({ total: 3 }),
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const body = bodies[new URL(req.url!, 'http://x').pathname];
    res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/json' });
    res.end(body ?? '{"code":"NotFound","message":"nope","errors":null}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v4_6_release/apis/3.0`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const client = () => new ConnectWiseClient({ baseUrl, companyId: 'c', publicKey: 'p', privateKey: 'k', clientId: 'id', retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 } });

async function rejection(p: Promise<unknown>): Promise<LedgerError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof LedgerError) return err;
    throw err;
  }
  throw new Error('expected a LedgerError');
}

describe('response shape checks', () => {
  it('names the endpoint and the offending field', async () => {
    const err = await rejection(client().companies.list());
    expect(err.type).toBe('ResponseShapeMismatch');
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('GET /company/companies');
    expect(err.details).toMatchObject({ endpoint: 'GET /company/companies', field: '1.id' });
  });

  it('refuses a body that is not JSON, saying what came instead and what to check', async () => {
    const err = await rejection(client().systemInfo());
    expect(err.type).toBe('ResponseShapeMismatch');
    expect(err.message).toBe('ConnectWise GET /system/info answered an HTML page (a proxy, gateway or login page, not the API)');
    expect(err.fix).toMatch(/CW_BASE_URL/);
  });

  it('checks counts too', async () => {
    const err = await rejection(client().billingTerms.count());
    expect(err.details).toMatchObject({ endpoint: 'GET /finance/billingTerms/count', field: 'count' });
  });
});
