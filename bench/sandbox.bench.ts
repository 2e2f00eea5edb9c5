/**
 * The sandboxes' answer time against how much data they hold: for each size (BENCH_SANDBOX_SIZES,
 * default 2000,20000), a ConnectWise sandbox with that many generated records and a QuickBooks
 * sandbox with that many invoices (and a tenth as many customers), then the lookups the product
 * makes, each timed over real HTTP: unposted lists (a forward-only page, rows by id), GL export
 * per record, invoices and time entries by id, marking records exported; QuickBooks DocNumber,
 * Id, TxnDate and DisplayName IN-queries, change data capture, a batch of creates. Figures are
 * milliseconds per request at each size (the fastest of BENCH_SANDBOX_REPEAT, since other work on a
 * shared machine only adds time; the median beside it) and their ratio (flat growth: about 1x).
 * Alone: npx tsx bench/sandbox.bench.ts (or npm run bench -- sandbox).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startConnectWiseSandbox, DEMO_CREDENTIALS, type ConnectWiseSandbox } from '../dev/sandbox/connectwise';
import { startQuickBooksSandbox, DEMO_ACCESS_TOKEN, type QuickBooksSandbox } from '../dev/sandbox/quickbooks';
import { glExportToRecords } from '../integrations/connectwise';
import type { BenchFigure, BenchReport } from './main';

const sizes = (process.env.BENCH_SANDBOX_SIZES ?? '2000,20000').split(',').map((s) => Number(s.trim())).filter((n) => n > 0);
/** Repetitions per request; the figure is the fastest (the median is shown beside it). */
const REPEAT = Number(process.env.BENCH_SANDBOX_REPEAT ?? 15);
const THROTTLES_OFF = { requestsPerMinute: 1e9, concurrentRequests: 1e9, batchRequestsPerMinute: 1e9 };
const IDS_PER_LOOKUP = 30;

type Timed = { name: string; run: (i: number) => Promise<void> };

async function ok(res: Response, what: string): Promise<unknown> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

function cwClient(cw: ConnectWiseSandbox) {
  const auth = `Basic ${Buffer.from(`${DEMO_CREDENTIALS.companyId}+${DEMO_CREDENTIALS.publicKey}:${DEMO_CREDENTIALS.privateKey}`).toString('base64')}`;
  const headers = { authorization: auth, clientid: 'ledgerline-bench', 'content-type': 'application/json' };
  return {
    get: async (path: string, params: Record<string, string> = {}, extra: Record<string, string> = {}) =>
      ok(await fetch(`${cw.baseUrl}${path}?${new URLSearchParams(params)}`, { headers: { ...headers, ...extra } }), `GET ${path}`) as Promise<Array<Record<string, unknown>>>,
    post: async (path: string, body: unknown) => ok(await fetch(`${cw.baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) }), `POST ${path}`),
  };
}

function qboClient(qbo: QuickBooksSandbox) {
  const base = `${qbo.baseUrl}/v3/company/${qbo.realmId}`;
  const headers = { authorization: `Bearer ${DEMO_ACCESS_TOKEN}`, accept: 'application/json', 'content-type': 'application/json' };
  return {
    query: async (sql: string) => ((await ok(await fetch(`${base}/query?${new URLSearchParams({ query: sql })}`, { headers }), sql)) as { QueryResponse: Record<string, unknown> }).QueryResponse,
    get: async (path: string, params: Record<string, string>) => ok(await fetch(`${base}/${path}?${new URLSearchParams(params)}`, { headers }), `GET ${path}`),
    batch: async (items: unknown[]) => {
      const body = (await ok(await fetch(`${base}/batch`, { method: 'POST', headers, body: JSON.stringify({ BatchItemRequest: items }) }), 'batch')) as { BatchItemResponse: Array<Record<string, unknown>> };
      const fault = body.BatchItemResponse.find((r) => r.Fault);
      if (fault) throw new Error(`batch item refused: ${JSON.stringify(fault.Fault).slice(0, 300)}`);
      return body.BatchItemResponse;
    },
  };
}

const spread = <T>(items: readonly T[], n: number, offset = 0): T[] => Array.from({ length: Math.min(n, items.length) }, (_, i) => items[(offset + Math.floor((i * items.length) / n)) % items.length]!);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');
const dayFrom = (start: string, days: number) => new Date(Date.parse(start) + days * 86_400_000).toISOString().slice(0, 10);

async function connectWiseRequests(cw: ConnectWiseSandbox, n: number): Promise<Timed[]> {
  const invoices = Math.round(n * 0.6);
  const expenses = Math.round(n * 0.2);
  cw.admin.generate({ invoices, expenses, procurement: n - invoices - expenses, seed: 42 });
  const c = cwClient(cw);
  // Ids to look up, spread over the whole range (every request names a different set).
  const all = async (path: string) => {
    const out: Array<Record<string, unknown>> = [];
    for (let pageId = 0; ; ) {
      const page = await c.get(path, { pageSize: '1000', fields: 'id', ...(pageId && { pageId: String(pageId) }) }, { 'pagination-type': 'forward-only' });
      out.push(...page);
      if (page.length < 1000) return out.map((r) => r.id as number);
      pageId = page[page.length - 1]!.id as number;
    }
  };
  const invoiceIds = await all('/finance/accounting/unpostedinvoices');
  const expenseIds = await all('/finance/accounting/unpostedexpenses');
  const procurementIds = await all('/finance/accounting/unpostedprocurement');
  const timeIds = (await c.get('/time/entries', { pageSize: '1000', fields: 'id' })).map((t) => t.id as number);
  const idsIn = (ids: number[], i: number) => `id in (${spread(ids, IDS_PER_LOOKUP, i * 7).join(',')})`;
  const middle = invoiceIds[Math.floor(invoiceIds.length / 2)]!;
  // Records to mark exported: one distinct invoice per repetition, from the far end of the list.
  const toMark = invoiceIds.slice(-REPEAT * 2);
  return [
    { name: 'CW unposted invoices, a forward-only page of 200', run: async () => void (await c.get('/finance/accounting/unpostedinvoices', { pageSize: '200', pageId: String(middle) }, { 'pagination-type': 'forward-only' })) },
    { name: `CW unposted invoices, ${IDS_PER_LOOKUP} by id`, run: async (i) => void (await c.get('/finance/accounting/unpostedinvoices', { conditions: idsIn(invoiceIds, i), pageSize: '1000' })) },
    { name: `CW unposted expenses, ${IDS_PER_LOOKUP} by id`, run: async (i) => void (await c.get('/finance/accounting/unpostedexpenses', { conditions: idsIn(expenseIds, i), pageSize: '1000' })) },
    { name: `CW unposted procurement, ${IDS_PER_LOOKUP} by id`, run: async (i) => void (await c.get('/finance/accounting/unpostedprocurement', { conditions: idsIn(procurementIds, i), pageSize: '1000' })) },
    { name: `CW invoices, ${IDS_PER_LOOKUP} by id`, run: async (i) => void (await c.get('/finance/invoices', { conditions: idsIn(invoiceIds, i), pageSize: '1000' })) },
    { name: `CW time entries, ${IDS_PER_LOOKUP} by id`, run: async (i) => void (await c.get('/time/entries', { conditions: idsIn(timeIds, i), pageSize: '1000' })) },
    { name: `CW GL export of ${IDS_PER_LOOKUP} invoices`, run: async (i) => void (await c.post('/finance/accounting/export', { exportInvoicesFlag: true, includedInvoiceIds: spread(invoiceIds, IDS_PER_LOOKUP, i * 7) })) },
    {
      name: 'CW GL export + batch (mark 1 invoice exported)',
      run: async (i) => {
        const id = toMark[i]!;
        const gl = await c.post('/finance/accounting/export', { exportInvoicesFlag: true, includedInvoiceIds: [id] });
        const entryIds = glExportToRecords(gl as Parameters<typeof glExportToRecords>[0]).flatMap((r) => r.glEntryIds);
        await c.post('/finance/accounting/batches', { batchIdentifier: `bench-${n}-${i}`, exportInvoicesFlag: true, processedRecordIds: entryIds });
      },
    },
  ];
}

async function quickBooksRequests(qbo: QuickBooksSandbox, n: number): Promise<Timed[]> {
  qbo.admin.seed('demo', Math.round(n / 10));
  const q = qboClient(qbo);
  const customers = ((await q.query('SELECT * FROM Customer MAXRESULTS 1000')).Customer as Array<{ Id: string; DisplayName: string }>) ?? [];
  const item = ((await q.query("SELECT * FROM Item WHERE Type = 'Service' MAXRESULTS 1")).Item as Array<{ Id: string }>)[0]!;
  const invoice = (i: number) => ({
    bId: String(i % 30),
    operation: 'create',
    Invoice: {
      DocNumber: `BENCH-${i}`,
      TxnDate: dayFrom('1970-01-01', i),
      CustomerRef: { value: customers[i % customers.length]!.Id },
      Line: [{ Amount: 10 + (i % 90), DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: item.Id } } }],
    },
  });
  for (let i = 0; i < n; i += 30) await q.batch(Array.from({ length: Math.min(30, n - i) }, (_, k) => invoice(i + k)));
  const allNames: string[] = [];
  for (let start = 1; ; start += 1000) {
    const page = ((await q.query(`SELECT * FROM Customer STARTPOSITION ${start} MAXRESULTS 1000`)).Customer as Array<{ DisplayName: string }>) ?? [];
    allNames.push(...page.map((c) => c.DisplayName));
    if (page.length < 1000) break;
  }
  // Change data capture over the last few writes only: QuickBooks' times have whole seconds.
  await sleep(1100);
  const since = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
  await q.batch(Array.from({ length: 30 }, (_, k) => invoice(n + k)));
  let next = n + 30;
  const allNumbers = Array.from({ length: n }, (_, k) => `BENCH-${k}`);
  const allOffsets = Array.from({ length: n }, (_, k) => k);
  const numbers = (i: number) => spread(allNumbers, IDS_PER_LOOKUP, i * 7);
  const ids = (i: number) => spread(allOffsets, IDS_PER_LOOKUP, i * 7);
  return [
    { name: `QBO Invoice DocNumber IN (${IDS_PER_LOOKUP})`, run: async (i) => void (await q.query(`SELECT * FROM Invoice WHERE DocNumber IN (${quoted(numbers(i))}) MAXRESULTS 1000`)) },
    {
      name: `QBO Invoice Id IN (${IDS_PER_LOOKUP})`,
      run: async (i) => {
        const found = (await q.query(`SELECT * FROM Invoice WHERE DocNumber IN (${quoted(numbers(i).slice(0, 1))})`)).Invoice as Array<{ Id: string }>;
        const first = Number(found[0]!.Id);
        await q.query(`SELECT * FROM Invoice WHERE Id IN (${quoted(ids(i).map((k) => String(first + k)))}) MAXRESULTS 1000`);
      },
    },
    { name: `QBO Invoice TxnDate IN (${IDS_PER_LOOKUP})`, run: async (i) => void (await q.query(`SELECT * FROM Invoice WHERE TxnDate IN (${quoted(ids(i).map((k) => dayFrom('1970-01-01', k)))}) MAXRESULTS 1000`)) },
    { name: `QBO Customer DisplayName IN (${IDS_PER_LOOKUP})`, run: async (i) => void (await q.query(`SELECT * FROM Customer WHERE DisplayName IN (${quoted(spread(allNames, IDS_PER_LOOKUP, i * 7).map((s) => s.replace(/'/g, "\\'")))})`)) },
    { name: 'QBO CDC Invoice since the last 30 writes', run: async () => void (await q.get('cdc', { entities: 'Invoice', changedSince: since })) },
    {
      name: 'QBO batch of 30 invoice creates',
      run: async () => {
        await q.batch(Array.from({ length: 30 }, (_, k) => invoice(next + k)));
        next += 30;
      },
    },
  ];
}

/** Per request: the fastest repetition (other work on the machine only ever adds time) and the median. */
async function timeEach(requests: Timed[]): Promise<Map<string, { best: number; median: number }>> {
  const out = new Map<string, { best: number; median: number }>();
  for (const r of requests) {
    await r.run(REPEAT); // warm-up (builds any index once)
    const times: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      const t0 = performance.now();
      await r.run(i);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    out.set(r.name, { best: times[0]!, median: times[Math.floor(times.length / 2)]! });
  }
  return out;
}

export async function run(): Promise<BenchReport> {
  const perSize: Array<{ n: number; ms: Map<string, { best: number; median: number }> }> = [];
  for (const n of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'ledgerline-sandbox-bench-'));
    const cw = await startConnectWiseSandbox({ port: 0, dataDir: join(dir, 'cw'), seed: 'demo', fresh: true });
    const qbo = await startQuickBooksSandbox({ port: 0, dataDir: join(dir, 'qbo'), seed: 'demo', knobs: THROTTLES_OFF });
    try {
      const requests = [...(await connectWiseRequests(cw, n)), ...(await quickBooksRequests(qbo, n))];
      perSize.push({ n, ms: await timeEach(requests) });
    } finally {
      await cw.close();
      await qbo.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const figures: BenchFigure[] = [];
  const first = perSize[0];
  const last = perSize[perSize.length - 1];
  for (const name of first?.ms.keys() ?? []) {
    for (const { n, ms } of perSize) figures.push({ label: `${name} @ ${n}`, value: ms.get(name)!.best, unit: `ms/request (fastest; median ${ms.get(name)!.median.toFixed(2)})` });
    if (first && last && last !== first) figures.push({ label: `${name}: ${last.n} / ${first.n}`, value: last.ms.get(name)!.best / first.ms.get(name)!.best, unit: `x (data ${(last.n / first.n).toFixed(0)}x)` });
  }
  const ratios = first && last && last !== first ? [...first.ms.keys()].map((k) => last.ms.get(k)!.best / first.ms.get(k)!.best) : [];
  const worst = ratios.length ? Math.max(...ratios) : NaN;
  return {
    name: 'sandboxes: time per request against data held (ConnectWise records, QuickBooks invoices)',
    figures,
    notes: [
      `sizes ${sizes.join(', ')}; ${REPEAT} repetitions per request, the fastest compared; worst growth ${Number.isNaN(worst) ? 'not measured (one size)' : `${worst.toFixed(2)}x for ${(last!.n / first!.n).toFixed(0)}x the data`}`,
    ],
  };
}

if (require.main === module) {
  void (async () => {
    const { printReport } = await import('./main');
    printReport(await run());
  })().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
