/**
 * `npm run bench`: runs every `*.bench.ts` module in this folder, in name order, and prints the
 * figures each returns. Figures only: nothing here passes or fails on time.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchFigure {
  label: string;
  value: number;
  unit: string;
}

export interface BenchReport {
  name: string;
  figures: BenchFigure[];
  notes?: string[];
}

/** What a benchmark module exports. */
export interface BenchModule {
  run(): BenchReport | Promise<BenchReport>;
}

function formatValue(value: number): string {
  if (Number.isInteger(value) || Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(2);
}

export function printReport(report: BenchReport): void {
  const width = Math.max(...report.figures.map((f) => f.label.length));
  process.stdout.write(`\n${report.name}\n`);
  for (const f of report.figures) {
    process.stdout.write(`  ${f.label.padEnd(width)}  ${formatValue(f.value).padStart(14)} ${f.unit}\n`);
  }
  for (const note of report.notes ?? []) process.stdout.write(`  note: ${note}\n`);
}

async function main(): Promise<void> {
  const only = process.argv[2];
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => only === undefined || f.includes(only))
    .sort();
  process.stdout.write(`node ${process.version}, ${files.length} benchmark module(s)\n`);
  for (const file of files) {
    const mod = (await import(join(__dirname, file))) as Partial<BenchModule>;
    if (typeof mod.run !== 'function') {
      process.stderr.write(`skipping ${file}: it exports no run()\n`);
      continue;
    }
    printReport(await mod.run());
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
