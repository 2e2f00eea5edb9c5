/**
 * AES-256-GCM payload codec. The whole serialized Payload (metadata included) is encrypted, so
 * neither data nor its encoding hints are readable from the Temporal database. The key id travels
 * in the metadata so any configured key can decode.
 *
 * A serialized payload of COMPRESS_FROM_BYTES or more is deflated first (record lists shrink about
 * fivefold, and so do histories). Sealed with it, a marker byte says so: 0x00, which never starts a
 * serialized Payload (field number 0 does not exist), so an older decoder fails on it plainly
 * instead of misreading it, and nothing about it shows outside the ciphertext. As with any
 * compression before encryption, a sealed payload's length says how well its content compressed;
 * only those who can read the Temporal database see those lengths.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { KeyRing } from './key-ring';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const COMPRESS_FROM_BYTES = 1024;
const DEFLATED = 0x00;
/** Far above Temporal's payload size limit: a payload inflating beyond it is refused, not expanded. */
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

const utf8 = (s: string) => Buffer.from(s, 'utf8');

export class CodecKeyMissingError extends Error {
  override name = 'CodecKeyMissingError';
}

/** The ciphertext is truncated, tampered with, or was sealed with different key material under the same id. */
export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
}

export interface EncryptionCodecOptions {
  /** Deflate large payloads before sealing them (default true; decoding reads both either way). */
  compress?: boolean;
}

export class EncryptionCodec implements PayloadCodec {
  constructor(
    private readonly ring: KeyRing,
    private readonly options: EncryptionCodecOptions = {},
  ) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.ring.currentKeyId;
    const key = this.ring.keys.get(keyId)!;
    return payloads.map((payload) => {
      const serialized = temporal.api.common.v1.Payload.encode(payload).finish();
      const plain =
        this.options.compress !== false && serialized.length >= COMPRESS_FROM_BYTES ? Buffer.concat([Buffer.of(DEFLATED), deflateRawSync(serialized)]) : serialized;
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return {
        metadata: { [METADATA_ENCODING_KEY]: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(keyId) },
        data: Buffer.concat([iv, body, cipher.getAuthTag()]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || Buffer.from(encoding).toString('utf8') !== ENCRYPTED_ENCODING) return payload;
      const keyIdBytes = payload.metadata?.[KEY_ID_METADATA];
      const keyId = keyIdBytes ? Buffer.from(keyIdBytes).toString('utf8') : '';
      const key = this.ring.keys.get(keyId);
      if (!key) throw new CodecKeyMissingError(`Payload was encrypted with codec key "${keyId}", which is not configured`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      if (data.length < IV_BYTES + TAG_BYTES) {
        throw new PayloadDecryptionError(`Encrypted payload (codec key "${keyId}") is truncated: ${data.length} bytes`);
      }
      const iv = data.subarray(0, IV_BYTES);
      const tag = data.subarray(data.length - TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      } catch {
        // GCM only says "unable to authenticate"; name the key so ops know where to look.
        throw new PayloadDecryptionError(`Payload failed authentication with codec key "${keyId}": tampered, or the key material differs`);
      }
      if (plain.length > 0 && plain[0] === DEFLATED) {
        try {
          plain = inflateRawSync(plain.subarray(1), { maxOutputLength: MAX_INFLATED_BYTES });
        } catch (err) {
          throw new PayloadDecryptionError(`Compressed payload (codec key "${keyId}") does not inflate: ${(err as Error).message}`);
        }
      }
      return temporal.api.common.v1.Payload.decode(plain) as Payload;
    });
  }
}
