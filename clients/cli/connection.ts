/** One Temporal client per command, from the same configuration every client uses; always closed. */
import type { Client } from '@temporalio/client';
import { connectClient } from '../temporal-client';
import { loadTemporalConfig, type TemporalConfig } from '../../config';

export async function withTemporal<T>(fn: (client: Client, config: TemporalConfig) => Promise<T>): Promise<T> {
  const config = loadTemporalConfig();
  const client = await connectClient(config);
  try {
    return await fn(client, config);
  } finally {
    await client.connection.close();
  }
}

/** Workflow ids people can read and sort: `<prefix>-2026-11-23T10-57-00-123Z`. */
export function newWorkflowId(prefix: string, now = new Date()): string {
  return `${prefix}-${now.toISOString().replace(/[:.]/g, '-')}`;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
