/**
 * Codec server process for deployments other than `npm start` (compose, a UI on another host): the
 * Temporal UI and CLI decode payloads through it with the same keys the workers use.
 */
import { startCodecServer } from '../integrations/codec/codec-server';
import { EncryptionCodec } from '../integrations/codec/encryption-codec';
import { loadKeyRing } from '../integrations/codec/key-ring';
import { keySourcesFromConfig } from '../integrations/codec/data-converter';
import { ConfigError, loadCodecServerConfig } from '../config';

async function main(): Promise<void> {
  const config = loadCodecServerConfig();
  const server = await startCodecServer({
    host: config.CODEC_SERVER_HOST,
    port: config.CODEC_SERVER_PORT,
    uiOrigin: config.CODEC_SERVER_UI_ORIGINS ?? [config.TEMPORAL_UI_URL],
    token: config.CODEC_SERVER_TOKEN,
    codec: new EncryptionCodec(loadKeyRing(keySourcesFromConfig(config))),
  });
  console.log(`Codec server listening on ${server.url} for ${(config.CODEC_SERVER_UI_ORIGINS ?? [config.TEMPORAL_UI_URL]).join(', ')}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : `Codec server failed to start: ${(err as Error).message}`);
  process.exit(1);
});
