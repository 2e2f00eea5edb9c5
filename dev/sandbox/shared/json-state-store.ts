/**
 * Whole-state JSON persistence for a sandbox: load once at start, save after every committed change.
 * Writes go to a temporary file that is renamed over the old one, so a crash mid-write never leaves
 * a truncated state file behind.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export class JsonStateStore<T> {
  readonly file: string;

  constructor(dataDir: string, fileName = 'state.json') {
    this.file = path.resolve(dataDir, fileName);
  }

  /** The saved state, or undefined when there is none yet. */
  load(): T | undefined {
    if (!fs.existsSync(this.file)) return undefined;
    return JSON.parse(fs.readFileSync(this.file, 'utf8')) as T;
  }

  save(state: T): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(state));
    fs.renameSync(tmp, this.file);
  }

  clear(): void {
    fs.rmSync(this.file, { force: true });
  }
}

/**
 * Saves coalesced: a change schedules one save, `minDelayMs` later or, once saves take long, ten
 * times as long as the last one took, so writing the whole state costs at most about a tenth of the
 * sandbox's time however large the state grows. `flush` saves at once (on close).
 */
export class CoalescedSave {
  private timer: NodeJS.Timeout | undefined;
  private lastSaveMs = 0;

  constructor(
    private readonly save: () => void,
    private readonly minDelayMs = 50,
  ) {}

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), Math.max(this.minDelayMs, 10 * this.lastSaveMs));
    this.timer.unref();
  }

  get pending(): boolean {
    return this.timer !== undefined;
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const t0 = performance.now();
    this.save();
    this.lastSaveMs = performance.now() - t0;
  }
}
