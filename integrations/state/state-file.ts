/**
 * The product's small durable state: one JSON file per kind of state and accounting company under
 * LEDGERLINE_STATE_DIR. Files are replaced whole (write a sibling, rename), so a reader never sees
 * half a file. Per host: workers on several hosts need the directory on shared storage.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export function stateFile(stateDir: string, name: string, realmId: string): string {
  return join(stateDir, `${name}-${realmId.replace(/[^A-Za-z0-9_-]/g, '_')}.json`);
}

export async function replaceStateFile(file: string, value: unknown, options: { mode?: number } = {}): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`, options.mode === undefined ? undefined : { mode: options.mode });
  await rename(tmp, file);
}
