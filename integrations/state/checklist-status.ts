/**
 * The latest finished go-live checklist per accounting company, in
 * `<LEDGERLINE_STATE_DIR>/checklist-<realmId>.json`: written at the end of each run, read by the
 * accounting batch's gate. A file is simpler than finding the latest run through Temporal
 * visibility from inside an activity, and it survives restarts.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { LatestChecklistStatus } from '../../domain/contract';
import { replaceStateFile, stateFile } from './state-file';

export function checklistStateFile(stateDir: string, realmId: string): string {
  return stateFile(stateDir, 'checklist', realmId);
}

export function readLatestChecklistStatus(stateDir: string, realmId: string): LatestChecklistStatus | undefined {
  const file = checklistStateFile(stateDir, realmId);
  if (!existsSync(file)) return undefined;
  const value = JSON.parse(readFileSync(file, 'utf8')) as LatestChecklistStatus;
  return typeof value.passed === 'boolean' && value.realmId === realmId ? value : undefined;
}

/** Keeps the newer result: a late retry of an older run does not replace it. */
export async function recordLatestChecklistStatus(stateDir: string, status: LatestChecklistStatus): Promise<LatestChecklistStatus> {
  const current = readLatestChecklistStatus(stateDir, status.realmId);
  if (current && current.at > status.at) return current;
  await replaceStateFile(checklistStateFile(stateDir, status.realmId), status);
  return status;
}
