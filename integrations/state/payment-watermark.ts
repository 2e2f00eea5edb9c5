/**
 * Where the last payment sync stopped, per accounting company, in
 * `<LEDGERLINE_STATE_DIR>/payment-sync-<realmId>.json` (0600). It only moves forward.
 */
import { readFile } from 'node:fs/promises';
import { LedgerError } from '../../domain/errors';
import { replaceStateFile, stateFile } from './state-file';

export function paymentWatermarkFile(stateDir: string, realmId: string): string {
  return stateFile(stateDir, 'payment-sync', realmId);
}

export async function readPaymentWatermark(file: string): Promise<string | undefined> {
  try {
    const json = JSON.parse(await readFile(file, 'utf8')) as { watermark?: unknown };
    return typeof json.watermark === 'string' && !Number.isNaN(Date.parse(json.watermark)) ? json.watermark : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LedgerError('InvalidInput', `The payment sync state file ${file} is unreadable: ${(err as Error).message}`, {
      fix: 'Delete the file (the next run then reads the default lookback) or pass `since` explicitly.',
    });
  }
}

/** Returns the watermark now recorded: `until`, or a later one already there. */
export async function advancePaymentWatermark(file: string, realmId: string, until: string): Promise<string> {
  const current = await readPaymentWatermark(file);
  const watermark = current !== undefined && Date.parse(current) > Date.parse(until) ? current : until;
  await replaceStateFile(file, { realmId, watermark, writtenAt: new Date().toISOString() }, { mode: 0o600 });
  return watermark;
}
