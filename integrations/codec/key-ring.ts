/**
 * Codec keys: encode with the current key, decode with any configured key, so keys rotate without
 * losing old histories. Keys come from a key file and/or the environment, never from code.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { parseSecretJson } from '../secret-json';

export interface KeyRing {
  currentKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

const keyFileSchema = z.object({
  currentKeyId: z.string().min(1),
  keys: z.record(z.string(), z.string().min(1)),
});

export class KeyRingError extends Error {
  override name = 'KeyRingError';
}

function decodeKey(id: string, base64: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new KeyRingError(`Codec key "${id}" must be 32 bytes (base64), got ${key.length}`);
  return key;
}

/** "id:base64,id2:base64" -> entries. */
function parseInlineKeys(inline: string): [string, string][] {
  return inline
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf(':');
      if (at <= 0) throw new KeyRingError('LEDGERLINE_CODEC_KEYS must look like "keyId:base64Key,otherId:base64Key"');
      return [pair.slice(0, at), pair.slice(at + 1)];
    });
}

const KEY_FILE_SHAPE = '{"currentKeyId": "<id>", "keys": {"<id>": "<32 bytes, base64>"}}';

/** Never quotes the file: a syntax error's neighbourhood would be part of a key. */
function parseJson(path: string): unknown {
  const parsed = parseSecretJson(readFileSync(path, 'utf8'));
  if (!parsed.ok) throw new KeyRingError(`Codec key file ${path} is not valid JSON (${parsed.where}): fix it to the shape ${KEY_FILE_SHAPE}`);
  return parsed.value;
}

export interface KeyRingSources {
  keyFile?: string;
  inlineKeys?: string;
  currentKeyId?: string;
}

export function loadKeyRing(sources: KeyRingSources): KeyRing {
  const keys = new Map<string, Buffer>();
  let current: string | undefined;
  if (sources.keyFile) {
    if (!existsSync(sources.keyFile)) throw new KeyRingError(`Codec key file not found: ${sources.keyFile}`);
    const parsed = keyFileSchema.safeParse(parseJson(sources.keyFile));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new KeyRingError(`Codec key file ${sources.keyFile} is malformed at ${issue?.path.join('.') || '(top level)'}: ${issue?.message}; expected ${KEY_FILE_SHAPE}`);
    }
    for (const [id, b64] of Object.entries(parsed.data.keys)) keys.set(id, decodeKey(id, b64));
    current = parsed.data.currentKeyId;
  }
  if (sources.inlineKeys) {
    const entries = parseInlineKeys(sources.inlineKeys);
    for (const [id, b64] of entries) keys.set(id, decodeKey(id, b64));
    current ??= entries[0]?.[0];
  }
  current = sources.currentKeyId ?? current;
  if (keys.size === 0) {
    throw new KeyRingError(
      'No codec key configured: set LEDGERLINE_CODEC_KEY_FILE or LEDGERLINE_CODEC_KEYS (outside production the development key in .temporal/codec-keys.json is used)',
    );
  }
  if (!current || !keys.has(current)) {
    throw new KeyRingError(`Current codec key "${current}" is not among the configured keys: set currentKeyId (or LEDGERLINE_CODEC_CURRENT_KEY_ID) to one of ${[...keys.keys()].join(', ')}`);
  }
  return { currentKeyId: current, keys };
}

/** The project's own folder: the nearest one above this module holding package.json (sources or dist/). */
function projectRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

/** Where development processes keep their shared key unless LEDGERLINE_CODEC_KEY_FILE names another. */
export function developmentKeyFile(): string {
  return resolve(projectRoot(), '.temporal', 'codec-keys.json');
}

/** Creates a development key file (0600) unless it exists; returns its path. */
export function ensureDevelopmentKeyFile(path: string): string {
  if (existsSync(path)) return path;
  mkdirSync(dirname(path), { recursive: true });
  const keyId = `dev-${new Date().toISOString().slice(0, 10)}`;
  const body = { currentKeyId: keyId, keys: { [keyId]: randomBytes(32).toString('base64') } };
  try {
    // 'wx': if another process created the file meanwhile, keep its key rather than overwrite it.
    writeFileSync(path, JSON.stringify(body, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return path;
    throw err;
  }
  chmodSync(path, 0o600);
  return path;
}
