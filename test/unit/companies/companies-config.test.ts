/**
 * The accounting companies as data: a document (file or inline) validated field by field, secrets
 * only by reference, and today's QBO_* variables as the one "default" company.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadWorkerConfig } from '../../../config';
import { companyRates, DEFAULT_COMPANY, loadCompanies, readSecret } from '../../../config/companies';

/** The error `fn` throws (configuration errors are plain Errors, not LedgerErrors). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

const dir = mkdtempSync(join(tmpdir(), 'companies-'));

const company = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  quickbooks: { realmId: '123', clientId: 'app', clientSecret: { env: 'EAST_SECRET' } },
  routing: { locations: [1] },
  ...extra,
});

const inline = (doc: unknown): NodeJS.ProcessEnv => ({ LEDGERLINE_COMPANIES: JSON.stringify(doc) });

describe('accounting companies configuration', () => {
  it('without a document, the QBO_* variables are the one default company; secrets stay references to them', () => {
    const [only, ...rest] = loadCompanies({ QBO_BASE_URL: 'http://127.0.0.1:1', QBO_REALM_ID: '42', QBO_CLIENT_ID: 'id', QBO_CLIENT_SECRET: 's3cret', QBO_TOKEN_URL: 'http://127.0.0.1:1/t', QBO_REFRESH_TOKEN: 'rt' });
    expect(rest).toEqual([]);
    expect(only).toMatchObject({
      name: DEFAULT_COMPANY,
      quickbooks: { realmId: '42', baseUrl: 'http://127.0.0.1:1', clientSecret: { env: 'QBO_CLIENT_SECRET' }, refreshToken: { env: 'QBO_REFRESH_TOKEN' }, tokenStore: 'temporal' },
      routing: {},
    });
    expect(JSON.stringify(only)).not.toContain('s3cret');
    expect(loadCompanies({ QBO_REALM_ID: '42', QBO_TOKEN_STORE: 'file', QBO_TOKEN_FILE: '/data/t.json' })[0]!.quickbooks.tokenStore).toEqual({ file: '/data/t.json' });
  });

  it("paces each company within QuickBooks' limits, its own where it states them, and rates its accounting queue from them", () => {
    const [east, west] = loadCompanies(inline({ companies: [company('east'), company('west', { quickbooks: { realmId: '456', clientId: 'app', clientSecret: { env: 'X' } }, routing: { locations: [2] }, rateLimit: { batchCallsPerMinute: 20, requestsPerMinute: 300 } })] }));
    const base = { CW_BASE_URL: 'http://127.0.0.1:1', CW_COMPANY_ID: 'c', CW_PUBLIC_KEY: 'p', CW_PRIVATE_KEY: 'k', CW_CLIENT_ID: 'i', LEDGERLINE_COMPANIES_FILE: '/etc/ledgerline/companies.yaml' };
    const config = loadWorkerConfig(base);
    expect(companyRates(east!, config)).toEqual({ limits: { requestsPerMinute: 500, batchCallsPerMinute: 40, concurrentRequests: 10 }, activitiesPerSecond: 500 / 60 });
    expect(companyRates(west!, config)).toEqual({ limits: { requestsPerMinute: 300, batchCallsPerMinute: 20, concurrentRequests: 10 }, activitiesPerSecond: 5 });
    const deployment = loadWorkerConfig({ ...base, QBO_REQUESTS_PER_MINUTE: '120', QBO_CONCURRENT_REQUESTS: '4', ACCOUNTING_MAX_ACTIVITIES_PER_SECOND: '3' });
    expect(companyRates(east!, deployment)).toEqual({ limits: { requestsPerMinute: 120, batchCallsPerMinute: 40, concurrentRequests: 4 }, activitiesPerSecond: 3 });
    expect(thrown(() => loadCompanies(inline({ companies: [company('east', { rateLimit: { batchCallsPerMinute: 0.5 } })] }))).message).toMatch(/rateLimit\.batchCallsPerMinute/);
    // Another company's queue would be the default company's batch-call queue.
    expect(thrown(() => loadCompanies(inline({ companies: [company('batch-calls')] }))).message).toMatch(/name: a name ending in "batch-calls"/);
  });

  it('reads a JSON or YAML file with defaults for what is left out', () => {
    const json = join(dir, 'companies.json');
    writeFileSync(json, JSON.stringify({ companies: [company('east'), company('west', { quickbooks: { realmId: '456', clientId: { env: 'WEST_ID' }, clientSecret: { file: '/run/secrets/west' } }, routing: { businessUnits: [2] } })] }));
    const yaml = join(dir, 'companies.yaml');
    writeFileSync(yaml, 'companies:\n  - name: east\n    quickbooks: { realmId: "123", clientId: app, clientSecret: { env: EAST_SECRET } }\n    routing: { ownerLevels: [3] }\n');
    const fromJson = loadCompanies({ LEDGERLINE_COMPANIES_FILE: json });
    expect(fromJson.map((c) => c.name)).toEqual(['east', 'west']);
    expect(fromJson[0]).toMatchObject({ quickbooks: { baseUrl: 'https://quickbooks.api.intuit.com', tokenStore: 'temporal' }, matching: {}, schedules: {} });
    expect(loadCompanies({ LEDGERLINE_COMPANIES_FILE: yaml })[0]!.routing).toEqual({ ownerLevels: [3] });
  });

  it('refuses a secret written into the document, naming the field and the fix', () => {
    const err = thrown(() => loadCompanies(inline({ companies: [company('east', { quickbooks: { realmId: '1', clientId: 'app', clientSecret: 'hunter2' } })] })));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/companies\.0\.quickbooks\.clientSecret: secrets are never written in the companies configuration: give \{ "env": "VARIABLE" \} or \{ "file"/);
    expect(err.message).not.toContain('hunter2');
  });

  it('refuses duplicate names and realms, and several companies without routing', () => {
    const err = thrown(() => loadCompanies(inline({ companies: [company('east'), company('east'), { ...company('north'), routing: {} }] })));
    expect(err.message).toMatch(/companies\.1\.name: "east" is also the name of companies\[0\]/);
    expect(err.message).toMatch(/companies\.1\.quickbooks\.realmId: realm 123 is also companies\[0\]'s/);
    expect(err.message).toMatch(/companies\.2\.routing: with several companies, each names the locations, businessUnits or ownerLevels it books/);
  });

  it('refuses unknown keys, bad names and empty id lists; unreadable documents say why', () => {
    expect(thrown(() => loadCompanies(inline({ companies: [{ ...company('East!'), colour: 'red' }] }))).message).toMatch(/companies\.0\.name: use 1-30 lower-case[\s\S]*Unrecognized key: "colour"/);
    expect(thrown(() => loadCompanies(inline({ companies: [company('east', { routing: { locations: [] } })] }))).message).toMatch(/routing\.locations: list at least one id/);
    expect(thrown(() => loadCompanies({ LEDGERLINE_COMPANIES: '{nope' })).message).toMatch(/LEDGERLINE_COMPANIES is not JSON/);
    expect(thrown(() => loadCompanies({ LEDGERLINE_COMPANIES_FILE: join(dir, 'missing.json') })).message).toMatch(/missing\.json cannot be read \(ENOENT\)/);
  });

  it('reads secrets where their references point, and says which one is missing', () => {
    const file = join(dir, 'secret');
    writeFileSync(file, 'from-file\n');
    expect(readSecret({ env: 'X' }, { X: 'from-env' }, 'f')).toBe('from-env');
    expect(readSecret({ file }, {}, 'f')).toBe('from-file');
    expect(thrown(() => readSecret({ env: 'EAST_SECRET' }, {}, 'company east: quickbooks.clientSecret')).message).toBe('company east: quickbooks.clientSecret: environment variable EAST_SECRET is not set');
  });

  it('the worker needs the QBO_* variables only without a companies document', () => {
    const base = { CW_BASE_URL: 'http://127.0.0.1:1', CW_COMPANY_ID: 'c', CW_PUBLIC_KEY: 'p', CW_PRIVATE_KEY: 'k', CW_CLIENT_ID: 'i' };
    expect(thrown(() => loadWorkerConfig(base)).message).toMatch(/QBO_REALM_ID: is required \(or list the accounting companies in LEDGERLINE_COMPANIES_FILE\)/);
    expect(loadWorkerConfig({ ...base, LEDGERLINE_COMPANIES_FILE: '/etc/ledgerline/companies.yaml' }).QBO_REALM_ID).toBeUndefined();
  });
});
