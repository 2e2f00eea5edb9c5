import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import {
  CodecKeyMissingError,
  ENCRYPTED_ENCODING,
  EncryptionCodec,
  KEY_ID_METADATA,
  PayloadDecryptionError,
} from '../../../integrations/codec/encryption-codec';
import { ensureDevelopmentKeyFile, KeyRingError, loadKeyRing } from '../../../integrations/codec/key-ring';

const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('base64');
const invoice = { customer: 'Harbor & Pine Dental LLC', number: 'INV-20931', total: '18422.07' };

const codecFor = (inlineKeys: string, currentKeyId?: string) => new EncryptionCodec(loadKeyRing({ inlineKeys, currentKeyId }));
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const rawBytes = (p: Payload) => Buffer.concat([...Object.values(p.metadata ?? {}), p.data ?? new Uint8Array()].map((b) => Buffer.from(b)));

describe('EncryptionCodec', () => {
  it('round-trips a JSON payload and hides its data and encoding', async () => {
    const codec = codecFor(`a:${keyA}`);
    const plain = defaultPayloadConverter.toPayload(invoice);
    const [encrypted] = await codec.encode([plain]);

    expect(text(encrypted.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(encrypted.metadata?.[KEY_ID_METADATA])).toBe('a');
    const raw = rawBytes(encrypted).toString('latin1');
    for (const secret of [invoice.customer, invoice.number, invoice.total, 'json/plain']) expect(raw).not.toContain(secret);

    const [decoded] = await codec.decode([encrypted]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(invoice);
    expect(text(decoded.metadata?.encoding)).toBe('json/plain');
  });

  it('deflates a large payload before sealing it, and reads sealed payloads with or without it', async () => {
    const refs = Array.from({ length: 500 }, (_, i) => ({ kind: 'invoice', id: String(i + 1), number: `INV${10001 + i}`, total: `${(i * 37.11).toFixed(2)}`, locationId: 1 }));
    const plain = defaultPayloadConverter.toPayload({ refs });
    const [sealed] = await codecFor(`a:${keyA}`).encode([plain]);
    expect(sealed.data!.length).toBeLessThan(plain.data!.length / 4);
    const raw = rawBytes(sealed).toString('latin1');
    for (const secret of ['INV10001', 'json/plain']) expect(raw).not.toContain(secret);
    // Sealed by a codec told not to compress (as one does while older workers still run): read alike.
    const [uncompressed] = await new EncryptionCodec(loadKeyRing({ inlineKeys: `a:${keyA}` }), { compress: false }).encode([plain]);
    expect(uncompressed.data!.length).toBeGreaterThan(plain.data!.length);
    for (const p of [sealed, uncompressed]) expect(defaultPayloadConverter.fromPayload((await codecFor(`a:${keyA}`).decode([p]))[0]!)).toEqual({ refs });
    // A small payload is sealed as it is.
    const [small] = await codecFor(`a:${keyA}`).encode([defaultPayloadConverter.toPayload(invoice)]);
    expect(small.data!.length).toBeGreaterThan(JSON.stringify(invoice).length);
  });

  it('refuses a compressed payload whose inside does not inflate, naming the key', async () => {
    const ring = loadKeyRing({ inlineKeys: `a:${keyA}` });
    // Sealed by hand: the compression marker followed by bytes that are not deflate data.
    const { createCipheriv } = await import('node:crypto');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', ring.keys.get('a')!, iv);
    const body = Buffer.concat([cipher.update(Buffer.from([0x00, 0xff, 0xff, 0xff, 0xff])), cipher.final()]);
    const forged: Payload = { metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from('a') }, data: Buffer.concat([iv, body, cipher.getAuthTag()]) };
    await expect(new EncryptionCodec(ring).decode([forged])).rejects.toThrow(/Compressed payload \(codec key "a"\) does not inflate/);
  });

  it('uses a fresh nonce for every payload', async () => {
    const codec = codecFor(`a:${keyA}`);
    const plain = defaultPayloadConverter.toPayload(invoice);
    const [one, two] = await codec.encode([plain, plain]);
    expect(Buffer.from(one.data!).equals(Buffer.from(two.data!))).toBe(false);
  });

  it('passes payloads that are not encrypted through decode unchanged', async () => {
    const plain = defaultPayloadConverter.toPayload('hello');
    expect(await codecFor(`a:${keyA}`).decode([plain])).toEqual([plain]);
  });

  it('rotates keys: old payloads still decode, new ones use the new current key', async () => {
    const before = codecFor(`a:${keyA}`);
    const [old] = await before.encode([defaultPayloadConverter.toPayload(invoice)]);

    const rotated = codecFor(`a:${keyA},b:${keyB}`, 'b');
    const [fresh] = await rotated.encode([defaultPayloadConverter.toPayload(invoice)]);
    expect(text(fresh.metadata?.[KEY_ID_METADATA])).toBe('b');
    const decoded = await rotated.decode([old, fresh]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([invoice, invoice]);

    // Once key a is retired, its payloads fail with an error that names the missing key.
    const retired = codecFor(`b:${keyB}`);
    await expect(retired.decode([fresh])).resolves.toHaveLength(1);
    const err = await retired.decode([old]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CodecKeyMissingError);
    expect((err as Error).message).toMatch(/codec key "a".*not configured/);
  });

  it('rejects tampered and truncated ciphertext, and a different key under the same id', async () => {
    const codec = codecFor(`a:${keyA}`);
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload(invoice)]);
    const flipped = Buffer.from(encrypted.data!);
    flipped[20] ^= 1;
    await expect(codec.decode([{ ...encrypted, data: flipped }])).rejects.toThrow(PayloadDecryptionError);
    await expect(codec.decode([{ ...encrypted, data: flipped.subarray(0, 10) }])).rejects.toThrow(/truncated/);
    await expect(codecFor(`a:${keyB}`).decode([encrypted])).rejects.toThrow(/failed authentication with codec key "a"/);
  });
});

describe('loadKeyRing', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledgerline-keys-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('merges a key file with inline keys; an explicit current key id wins', () => {
    const file = join(dir, 'keys.json');
    writeFileSync(file, JSON.stringify({ currentKeyId: 'a', keys: { a: keyA } }));
    expect(loadKeyRing({ keyFile: file }).currentKeyId).toBe('a');
    const ring = loadKeyRing({ keyFile: file, inlineKeys: `b:${keyB}`, currentKeyId: 'b' });
    expect([...ring.keys.keys()].sort()).toEqual(['a', 'b']);
    expect(ring.currentKeyId).toBe('b');
  });

  it('explains every misconfiguration', () => {
    expect(() => loadKeyRing({})).toThrow(/No codec key configured/);
    expect(() => loadKeyRing({ inlineKeys: 'nocolon' })).toThrow(KeyRingError);
    expect(() => loadKeyRing({ inlineKeys: `a:${randomBytes(16).toString('base64')}` })).toThrow(/must be 32 bytes/);
    expect(() => loadKeyRing({ inlineKeys: `a:${keyA}`, currentKeyId: 'z' })).toThrow(/"z" is not among/);
    expect(() => loadKeyRing({ keyFile: join(dir, 'absent.json') })).toThrow(/not found/);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ not json');
    expect(() => loadKeyRing({ keyFile: broken })).toThrow(/not valid JSON/);
  });

  it('creates a development key file readable by its owner only, and never replaces it', () => {
    const file = join(dir, 'nested', 'codec-keys.json');
    ensureDevelopmentKeyFile(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const first = readFileSync(file, 'utf8');
    expect(loadKeyRing({ keyFile: file }).keys.size).toBe(1);
    ensureDevelopmentKeyFile(file);
    expect(readFileSync(file, 'utf8')).toBe(first);
  });
});
