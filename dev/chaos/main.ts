/**
 * `npm run chaos [-- --records N --kills K --closes C --starts S --seed X]`: runs the chaos harness
 * (dev/chaos/harness.ts), prints the figures, and exits 1 when QuickBooks holds a duplicate, a PSA
 * record is lost or a refused start did not say why; 2 on bad flags.
 */
import '../stack/quiet-runtime';
import { Command, InvalidArgumentError } from 'commander';
import { chaosExitCode, DEFAULT_CHAOS_OPTIONS, figuresTable, runChaos } from './harness';

const count = (min: number) => (raw: string) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number >= ${min}`);
  return n;
};

async function main(argv: string[]): Promise<number> {
  const d = DEFAULT_CHAOS_OPTIONS;
  const program = new Command('chaos')
    .description('Ledgerline under faults, racing starts, worker kills and mid-run closes; then a count of the books')
    .option('--records <n>', 'generated PSA records', count(0), d.records)
    .option('--kills <n>', 'worker SIGKILLs (each restarted)', count(0), d.kills)
    .option('--closes <n>', 'records closed in ConnectWise while the batch collects', count(0), d.closes)
    .option('--starts <n>', 'accountingBatch starts racing at the same moment', count(1), d.starts)
    .option('--seed <n>', 'seed of every random choice', count(0), d.seed)
    .option('--workers <n>', 'worker processes', count(1), d.workers)
    .option('--max-rounds <n>', 'batches started after the first, at most', count(0), d.maxRounds)
    .option('--chunk-size <n>', 'accountingBatch chunkSize', count(1), d.chunkSize)
    .option('--quiet', 'only the figures')
    .exitOverride();
  try {
    program.parse(argv);
  } catch {
    return 2;
  }
  const flags = program.opts<{ records: number; kills: number; closes: number; starts: number; seed: number; workers: number; maxRounds: number; chunkSize: number; quiet?: boolean }>();
  if (flags.closes > flags.records) {
    process.stderr.write('error: --closes cannot exceed --records\n');
    return 2;
  }
  const { quiet, ...options } = flags;
  const t0 = Date.now();
  const log = quiet ? undefined : (line: string) => process.stderr.write(`[chaos ${((Date.now() - t0) / 1000).toFixed(1)}s] ${line}\n`);
  const report = await runChaos({ ...options, log });
  if (!quiet) {
    for (const line of report.batches) process.stdout.write(`batch ${line}\n`);
    for (const d of report.books.duplicateRecords.slice(0, 20)) process.stdout.write(`duplicate ${d.key}: ${d.transactions.join(', ')}\n`);
    for (const l of report.books.lostRecords.slice(0, 20)) process.stdout.write(`lost ${l.key}: ${l.why}\n`);
    process.stdout.write('\n');
  }
  process.stdout.write(`${figuresTable(report.figures)}\n`);
  return chaosExitCode(report.figures);
}

main(process.argv).then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`chaos run failed: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
