/** A Temporal client with the project's data converter: every client (CLI, schedules, start) uses this. */
import { Client, Connection } from '@temporalio/client';
import { createDataConverter, keySourcesFromConfig } from '../integrations/codec/data-converter';
import type { TemporalConfig } from '../config';

export async function connectClient(config: TemporalConfig): Promise<Client> {
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  return new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: createDataConverter(keySourcesFromConfig(config), { compress: config.LEDGERLINE_CODEC_COMPRESS }),
  });
}
