/**
 * `npm run bench`: runs every `*.bench.ts` module in this folder, in name order, prints the figures
 * each returns and which targets are met, and writes them all as Markdown to bench/results/latest.md
 * (BENCH_RESULTS_FILE to change it). `npm run bench -- <name>` runs the modules whose file name
 * contains <name>. Figures only: nothing here passes or fails on time.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { dirname, join, resolve } from 'node:path';

export interface BenchFigure {
  label: string;
  value: number;
  unit: string;
}

/** A target a benchmark checks: met, not met, or not measured in this run (null), with the figure. */
export interface BenchTarget {
  target: string;
  met: boolean | null;
  measured: string;
}

export interface BenchReport {
  name: string;
  figures: BenchFigure[];
  notes?: string[];
  /** A summary table (first row: headings), printed and written to the results file. */
  table?: string[][];
  targets?: BenchTarget[];
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
  if (report.table) {
    const widths = report.table[0]!.map((_, i) => Math.max(...report.table!.map((r) => (r[i] ?? '').length)));
    process.stdout.write('\n' + report.table.map((r) => '  ' + r.map((c, i) => c.padStart(widths[i]!)).join('  ')).join('\n') + '\n');
  }
}

const verdict = (t: BenchTarget) => (t.met === null ? 'not measured' : t.met ? 'met' : 'NOT met');

/** Every report as Markdown: its summary table (or its figures), notes, and the targets of the run. */
function markdown(reports: BenchReport[], command: string): string {
  const row = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  const tableOf = (rows: string[][]) => [row(rows[0]!), row(rows[0]!.map(() => '---')), ...rows.slice(1).map(row)].join('\n');
  const out = [`# npm run bench: results`, '', `${new Date().toISOString()}, node ${process.version}, ${os.cpus().length} CPU(s), ${(os.totalmem() / 2 ** 30).toFixed(1)} GB; command: \`${command}\``, ''];
  for (const r of reports) {
    out.push(`## ${r.name}`, '');
    out.push(tableOf(r.table ?? [['figure', 'value', 'unit'], ...r.figures.map((f) => [f.label, formatValue(f.value), f.unit])]), '');
    for (const note of r.notes ?? []) out.push(`- ${note.replace(/\n/g, ' ')}`);
    out.push('');
  }
  const targets = reports.flatMap((r) => r.targets ?? []);
  if (targets.length) out.push('## Targets', '', tableOf([['target', 'verdict', 'measured'], ...targets.map((t) => [t.target, verdict(t), t.measured])]), '');
  return out.join('\n');
}

async function main(): Promise<void> {
  const only = process.argv[2];
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => only === undefined || f.includes(only))
    .sort();
  process.stdout.write(`node ${process.version}, ${files.length} benchmark module(s)\n`);
  const reports: BenchReport[] = [];
  for (const file of files) {
    const mod = (await import(join(__dirname, file))) as Partial<BenchModule>;
    if (typeof mod.run !== 'function') {
      process.stderr.write(`skipping ${file}: it exports no run()\n`);
      continue;
    }
    const report = await mod.run();
    printReport(report);
    reports.push(report);
  }
  const targets = reports.flatMap((r) => r.targets ?? []);
  if (targets.length) {
    process.stdout.write('\ntargets\n');
    for (const t of targets) process.stdout.write(`  ${verdict(t).padEnd(12)} ${t.target}: ${t.measured}\n`);
  }
  const file = resolve(process.env.BENCH_RESULTS_FILE ?? join(__dirname, 'results', 'latest.md'));
  mkdirSync(dirname(file), { recursive: true });
  const env = Object.entries(process.env).filter(([k]) => k.startsWith('BENCH_')).map(([k, v]) => `${k}=${v} `).join('');
  writeFileSync(file, markdown(reports, `${env}npm run bench${only ? ` -- ${only}` : ''}`));
  process.stdout.write(`\nresults written to ${file}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  });
}
