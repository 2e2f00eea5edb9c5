/** The headers every ConnectWise call carries: Basic auth, clientId and the pinned model version. */
import type { ConnectWiseConfig } from './config';

export function connectWiseHeaders(config: ConnectWiseConfig): Record<string, string> {
  const user = `${config.companyId}+${config.publicKey}`;
  const token = Buffer.from(`${user}:${config.privateKey}`, 'utf8').toString('base64');
  return {
    Authorization: `Basic ${token}`,
    clientId: config.clientId,
    Accept: `application/vnd.connectwise.com+json; version=${config.apiVersion}`,
    'Cache-Control': 'no-cache',
  };
}
