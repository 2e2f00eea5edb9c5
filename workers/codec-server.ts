/**
 * Codec server process for deployments other than `npm start` (compose, a UI on another host): the
 * Temporal UI and CLI decode payloads through it with the same keys the workers use.
 */
import { codecServerAccess, startCodecServer } from '../integrations/codec/codec-server';
import { EncryptionCodec } from '../integrations/codec/encryption-codec';
import { loadKeyRing } from '../integrations/codec/key-ring';
import { keySourcesFromConfig } from '../integrations/codec/data-converter';
import { ConfigError, loadCodecServerConfig } from '../config';

async function main(): Promise<void> {
  const config = loadCodecServerConfig();
  const access = codecServerAccess(config);
  const server = await startCodecServer({
    host: config.CODEC_SERVER_HOST,
    port: config.CODEC_SERVER_PORT,
    uiOrigin: config.CODEC_SERVER_UI_ORIGINS ?? [config.TEMPORAL_UI_URL],
    ...access,
    codec: new EncryptionCodec(loadKeyRing(keySourcesFromConfig(config)), { compress: config.LEDGERLINE_CODEC_COMPRESS }),
  });
  const who = [access.token && 'bearer token', access.accessTokens && `access tokens from ${config.CODEC_SERVER_OIDC_ISSUER}`].filter(Boolean).join(' or ') || 'callers on this machine';
  console.log(
    `Codec server listening on ${server.url} for ${(config.CODEC_SERVER_UI_ORIGINS ?? [config.TEMPORAL_UI_URL]).join(', ')}; namespaces ${access.namespaces.join(', ')}; authentication: ${who}`,
  );
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : `Codec server failed to start: ${(err as Error).message}`);
  process.exit(1);
});
