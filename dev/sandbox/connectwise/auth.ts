/** Basic `companyId+publicKey:privateKey` plus a required clientId header, as ConnectWise checks them. */
import type { IncomingHttpHeaders } from 'node:http';
import { CwHttpError, unauthenticated } from './cw-errors';

export interface SandboxCredentials {
  companyId: string;
  publicKey: string;
  privateKey: string;
}

export const DEMO_CREDENTIALS: SandboxCredentials = { companyId: 'ledgerline', publicKey: 'demo-public', privateKey: 'demo-private' };

export function checkAuth(headers: IncomingHttpHeaders, creds: SandboxCredentials): void {
  const header = headers.authorization ?? '';
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!m) throw unauthenticated();
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const secret = colon < 0 ? '' : decoded.slice(colon + 1);
  const plus = user.indexOf('+');
  const company = plus < 0 ? '' : user.slice(0, plus);
  const publicKey = plus < 0 ? user : user.slice(plus + 1);
  if (company.toLowerCase() !== creds.companyId.toLowerCase() || publicKey !== creds.publicKey || secret !== creds.privateKey) {
    throw unauthenticated();
  }
  const clientId = headers.clientid;
  if (typeof clientId !== 'string' || clientId.trim() === '') {
    throw new CwHttpError(401, 'Unauthorized', 'A clientId header is required; register one at developer.connectwise.com/ClientID');
  }
}
