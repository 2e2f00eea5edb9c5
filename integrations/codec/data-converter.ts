/** The one data converter every Temporal client and worker in the project uses. */
import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec } from './encryption-codec';
import { loadKeyRing, type KeyRingSources } from './key-ring';

export function createDataConverter(sources: KeyRingSources): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(loadKeyRing(sources))] };
}

/** Key sources from the validated Temporal config. */
export function keySourcesFromConfig(config: {
  LEDGERLINE_CODEC_KEY_FILE?: string;
  LEDGERLINE_CODEC_KEYS?: string;
  LEDGERLINE_CODEC_CURRENT_KEY_ID?: string;
}): KeyRingSources {
  return {
    keyFile: config.LEDGERLINE_CODEC_KEY_FILE,
    inlineKeys: config.LEDGERLINE_CODEC_KEYS,
    currentKeyId: config.LEDGERLINE_CODEC_CURRENT_KEY_ID,
  };
}
