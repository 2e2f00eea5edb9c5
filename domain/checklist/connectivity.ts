/** Check 1: both systems answer and accept our credentials. */
import { judgeConnection, QUICKBOOKS_RECONNECT_STEP } from '../connection-health';
import { item } from './evidence';
import type { ChecklistItem, ConnectivityFacts } from './types';

export const CONNECTIVITY_TITLE = 'ConnectWise and QuickBooks answer with valid credentials';

const PSA_FIX: Record<string, string> = {
  AuthenticationFailed:
    'ConnectWise refused the API member\'s keys: check CW_COMPANY_ID, CW_PUBLIC_KEY and CW_PRIVATE_KEY against System > Members > API Members > API Keys, and that CW_CLIENT_ID is a registered clientId.',
  PermissionDenied: 'ConnectWise accepted the keys but refused system/info: give the API member\'s security role System > Table Setup inquire access.',
};
const LEDGER_FIX: Record<string, string> = {
  AuthenticationFailed: `QuickBooks refused the OAuth tokens: check QBO_CLIENT_ID and QBO_CLIENT_SECRET. ${QUICKBOOKS_RECONNECT_STEP}`,
  PermissionDenied: 'QuickBooks accepted the token but refused the company: check QBO_REALM_ID is the company the app was authorized for.',
};
const UNREACHABLE = (what: string, setting: string) => `${what} did not answer: check ${setting}, the network path and the service status, then run the checklist again.`;

export function checkConnectivity(facts: ConnectivityFacts): ChecklistItem {
  const evidence: string[] = [];
  const fixes: string[] = [];
  let failed = false;
  const fail = (fix: string) => {
    failed = true;
    fixes.push(fix);
  };
  if (facts.psa.ok) {
    evidence.push(`ConnectWise ${facts.psa.value.baseUrl} answered system/info: version ${facts.psa.value.version}, company "${facts.psa.value.companyId}".`);
  } else {
    evidence.push(`ConnectWise system/info failed: ${facts.psa.error.type}: ${facts.psa.error.message}`);
    fail(PSA_FIX[facts.psa.error.type] ?? UNREACHABLE('ConnectWise', 'CW_BASE_URL'));
  }
  if (facts.ledger.ok) {
    const name = facts.ledger.value.companyName ? ` ("${facts.ledger.value.companyName}")` : '';
    evidence.push(`QuickBooks company ${facts.ledger.value.realmId}${name} answered with a valid token.`);
    if (facts.checkedAt !== undefined) {
      // How long syncing can go on: the refresh token's rolling life and the connection's 5-year limit.
      const health = judgeConnection({ life: facts.ledger.value.connection }, Date.parse(facts.checkedAt));
      evidence.push(`Connection life: ${health.summary}`);
      const hard = health.life.refreshTokenHardExpiresAt;
      if (hard && hard !== health.expiresAt) evidence.push(`Its 5-year limit: ${hard.slice(0, 10)}.`);
      if (health.status === 'Expired') fail(health.fix);
      else if (health.status === 'Expiring') fixes.push(health.fix);
    }
  } else {
    evidence.push(`QuickBooks company info failed: ${facts.ledger.error.type}: ${facts.ledger.error.message}`);
    fail(LEDGER_FIX[facts.ledger.error.type] ?? UNREACHABLE('QuickBooks', 'QBO_BASE_URL'));
  }
  return item('connectivity', CONNECTIVITY_TITLE, failed ? 'fail' : fixes.length ? 'warn' : 'pass', evidence, fixes.join(' '));
}
