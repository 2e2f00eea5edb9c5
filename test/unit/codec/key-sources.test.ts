/** Every process (worker, ops CLI, `npm start`, codec server) finds its codec keys through one function. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { keySourcesFromConfig } from '../../../integrations/codec/data-converter';
import { developmentKeyFile, loadKeyRing } from '../../../integrations/codec/key-ring';

describe('keySourcesFromConfig', () => {
  it('outside production with nothing configured: the development key in .temporal/, created on first use', () => {
    const sources = keySourcesFromConfig({ NODE_ENV: 'development' });
    expect(sources.keyFile).toBe(resolve(__dirname, '../../..', '.temporal', 'codec-keys.json'));
    expect(sources.keyFile).toBe(developmentKeyFile());
    expect(existsSync(sources.keyFile!)).toBe(true);
    // A second process (the CLI beside `npm start`) gets the very same key.
    const again = loadKeyRing(keySourcesFromConfig({}));
    expect(again.keys.get(again.currentKeyId)).toEqual(loadKeyRing(sources).keys.get(loadKeyRing(sources).currentKeyId));
  });

  it('configured keys win, and then no development key is added', () => {
    expect(keySourcesFromConfig({ LEDGERLINE_CODEC_KEYS: 'a:xyz' })).toEqual({ keyFile: undefined, inlineKeys: 'a:xyz', currentKeyId: undefined });
    expect(keySourcesFromConfig({ LEDGERLINE_CODEC_KEY_FILE: '/run/secrets/keys.json', LEDGERLINE_CODEC_CURRENT_KEY_ID: 'k2' })).toEqual({
      keyFile: '/run/secrets/keys.json',
      inlineKeys: undefined,
      currentKeyId: 'k2',
    });
  });

  it('production has no default: loading fails naming the variables to set', () => {
    const sources = keySourcesFromConfig({ NODE_ENV: 'production' });
    expect(sources.keyFile).toBeUndefined();
    expect(() => loadKeyRing(sources)).toThrow(/set LEDGERLINE_CODEC_KEY_FILE or LEDGERLINE_CODEC_KEYS/);
  });
});
