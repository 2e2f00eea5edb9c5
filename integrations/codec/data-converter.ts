/** The one data converter every Temporal client and worker in the project uses. */
import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec } from './encryption-codec';
import { loadKeyRing, type KeyRingSources } from './key-ring';

/**
 * Module exporting `failureConverter`. Workers built from `workflowsPath` bundle it automatically;
 * a prebuilt bundle (bundleWorkflowCode) must be given it as `failureConverterPath`, or failures
 * raised inside workflow code keep their messages in clear text.
 */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

export function createDataConverter(sources: KeyRingSources): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(loadKeyRing(sources))], failureConverterPath: FAILURE_CONVERTER_PATH };
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
