/**
 * Seals a company's OAuth tokens before they leave the worker for Temporal: AES-256-GCM under a key
 * derived (HKDF-SHA256) from the QuickBooks app's client secret and the realm. Only processes that
 * hold the client secret, which they need to refresh a token anyway, can open them; the codec server
 * and the Temporal UI, which hold only the payload keys, see ciphertext.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { LedgerError } from '../../domain/errors';
import { tokenSetSchema, type QuickBooksTokens } from './token-store';

const VERSION = 'v1';
const INFO = 'ledgerline accounting token vault v1';

export class TokenSeal {
  private readonly key: Buffer;

  constructor(
    private readonly realmId: string,
    clientSecret: string,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', clientSecret, `realm:${realmId}`, INFO, 32));
  }

  seal(tokens: QuickBooksTokens): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(this.realmId));
    const body = Buffer.concat([cipher.update(JSON.stringify(tokens), 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  open(sealed: string): QuickBooksTokens {
    try {
      const [version, data] = sealed.split('.');
      if (version !== VERSION || !data) throw new Error('unknown format');
      const raw = Buffer.from(data, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(this.realmId));
      decipher.setAuthTag(raw.subarray(12, 28));
      const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      return tokenSetSchema.parse(JSON.parse(text));
    } catch {
      throw new LedgerError('AuthenticationFailed', `The QuickBooks tokens kept in Temporal for realm ${this.realmId} cannot be opened with this worker's client secret`, {
        fix: "If the app's client secret changed, reconnect the company: put the new refresh token from the OAuth connect flow in its refreshToken setting and restart the workers.",
      });
    }
  }
}

/** Names a connect-flow refresh token without revealing it: the vault remembers which it has used. */
export function tokenFingerprint(realmId: string, refreshToken: string): string {
  return createHash('sha256').update(`ledgerline refresh token|${realmId}|${refreshToken}`).digest('hex').slice(0, 24);
}
