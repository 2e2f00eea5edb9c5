/** The one data converter every Temporal client and worker in the project uses. */
import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec, type EncryptionCodecOptions } from './encryption-codec';
import { developmentKeyFile, ensureDevelopmentKeyFile, loadKeyRing, type KeyRingSources } from './key-ring';

/**
 * Module exporting `failureConverter`. Workers built from `workflowsPath` bundle it automatically;
 * a prebuilt bundle (bundleWorkflowCode) must be given it as `failureConverterPath`, or failures
 * raised inside workflow code keep their messages in clear text.
 */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

export function createDataConverter(sources: KeyRingSources, options: EncryptionCodecOptions = {}): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(loadKeyRing(sources), options)], failureConverterPath: FAILURE_CONVERTER_PATH };
}

/**
 * The codec keys every process uses (worker, CLI, `npm start`, schedules): the configured key file
 * and/or inline keys; outside production, with neither set, the project's development key file
 * (`.temporal/codec-keys.json`, created on first use), so processes started side by side agree.
 * Production has no default: a missing key stops the process with the variables to set.
 */
export function keySourcesFromConfig(config: {
  NODE_ENV?: string;
  LEDGERLINE_CODEC_KEY_FILE?: string;
  LEDGERLINE_CODEC_KEYS?: string;
  LEDGERLINE_CODEC_CURRENT_KEY_ID?: string;
}): KeyRingSources {
  const configured = config.LEDGERLINE_CODEC_KEY_FILE !== undefined || config.LEDGERLINE_CODEC_KEYS !== undefined;
  const keyFile =
    config.LEDGERLINE_CODEC_KEY_FILE ?? (configured || config.NODE_ENV === 'production' ? undefined : ensureDevelopmentKeyFile(developmentKeyFile()));
  return {
    keyFile,
    inlineKeys: config.LEDGERLINE_CODEC_KEYS,
    currentKeyId: config.LEDGERLINE_CODEC_CURRENT_KEY_ID,
  };
}
