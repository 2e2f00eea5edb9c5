/** Output: readable text on stdout by default, one JSON document with `--json` (for scripts). */
import type { Command } from 'commander';

export interface OutputOptions {
  json?: boolean;
}

export function withJson(command: Command): Command {
  return command.option('--json', 'print one JSON document instead of text');
}

export function emit(opts: OutputOptions, data: unknown, text: () => string): void {
  process.stdout.write(opts.json ? `${JSON.stringify(data, null, 2)}\n` : `${text()}\n`);
}

/** Progress and hints go to stderr so `--json` output stays parseable. */
export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}

export function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n');
}
