/** Check 1: both systems answer and accept our credentials. */
import { QUICKBOOKS_RECONNECT_STEP } from '../connection-health';
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
  if (facts.psa.ok) {
    evidence.push(`ConnectWise ${facts.psa.value.baseUrl} answered system/info: version ${facts.psa.value.version}, company "${facts.psa.value.companyId}".`);
  } else {
    evidence.push(`ConnectWise system/info failed: ${facts.psa.error.type}: ${facts.psa.error.message}`);
    fixes.push(PSA_FIX[facts.psa.error.type] ?? UNREACHABLE('ConnectWise', 'CW_BASE_URL'));
  }
  if (facts.ledger.ok) {
    const name = facts.ledger.value.companyName ? ` ("${facts.ledger.value.companyName}")` : '';
    evidence.push(`QuickBooks company ${facts.ledger.value.realmId}${name} answered with a valid token.`);
  } else {
    evidence.push(`QuickBooks company info failed: ${facts.ledger.error.type}: ${facts.ledger.error.message}`);
    fixes.push(LEDGER_FIX[facts.ledger.error.type] ?? UNREACHABLE('QuickBooks', 'QBO_BASE_URL'));
  }
  return item('connectivity', CONNECTIVITY_TITLE, fixes.length ? 'fail' : 'pass', evidence, fixes.join(' '));
}
