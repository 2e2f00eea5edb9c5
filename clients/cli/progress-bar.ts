/**
 * The `batch start --follow` progress bar, fed by the workflow's `progress` query. On a terminal it
 * redraws one line; otherwise (CI, a pipe) it prints a line only when something changed.
 */
import type { BatchProgress } from '../../domain/batch-summary';

export function renderProgress(p: BatchProgress, width = 24): string {
  const counts = `posted ${p.posted}, already ${p.alreadyPosted}, failed ${p.failed}`;
  if (p.stage === 'validating' || p.stage === 'collecting') return `${p.stage}: ${p.collected} records`;
  const total = Math.max(p.chunksTotal, 1);
  const filled = Math.round((Math.min(p.chunksDone, total) / total) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${p.chunksDone}/${p.chunksTotal} chunks  ${p.stage}  ${counts}`;
}

export class ProgressLine {
  private last = '';
  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  update(line: string): void {
    if (line === this.last) return;
    this.last = line;
    if (this.stream.isTTY) this.stream.write(`\r\x1b[2K${line}`);
    else this.stream.write(`${line}\n`);
  }

  done(): void {
    if (this.stream.isTTY && this.last) this.stream.write('\n');
  }
}
