/**
 * Sandbox administration: knobs, reset/seed, preferences (including the read-only
 * UseAccountNumbers), token issuing/expiry for refresh tests, and recording, voiding or deleting
 * customer payments so the payment sync has data. Reached in-process through the returned helpers
 * or over HTTP under /__admin/.
 */
import { QboFault, type Answer } from './faults';
import { executeWrite } from './operations';
import { ageConnection, connect, expireAccessTokens, revokeConnection, type IssuedTokens } from './oauth';
import { refId } from './refs';
import { addGeneratedCustomers, seededRealm, SEED_NAMES, type SeedName } from './seed';
import { allocateId, qboTimestamp, table, type QboEntity, type RealmState } from './state';

export interface RecordPaymentInput {
  /** Customer by Id or by DisplayName. */
  customerId?: string;
  customerName?: string;
  amount: number;
  /** Invoices to pay, in order; when absent the customer's open invoices, oldest first. */
  invoiceIds?: string[];
  txnDate?: string;
  paymentRefNum?: string;
  privateNote?: string;
}

/** What admin actions need from the running server. */
export interface AdminHost {
  realm(): RealmState;
  /** Runs `fn` on a working copy and commits it (and persists) when it returns. */
  commit<T>(fn: (draft: RealmState) => T): T;
  replace(realm: RealmState): void;
}

function findCustomer(realm: RealmState, input: RecordPaymentInput): QboEntity {
  const customers = Object.values(realm.entities.Customer ?? {});
  const c = input.customerId ? realm.entities.Customer?.[input.customerId] : customers.find((x) => x.DisplayName === input.customerName);
  if (!c) throw new Error(`no customer ${input.customerId ?? input.customerName}`);
  return c;
}

/** Builds the Payment body a customer's payment would produce, applying to open invoices. */
export function paymentBody(realm: RealmState, input: RecordPaymentInput): Record<string, unknown> {
  if (!(input.amount > 0)) throw new Error('amount must be positive');
  const customer = findCustomer(realm, input);
  const open = Object.values(realm.entities.Invoice ?? {})
    .filter((i) => refId(i.CustomerRef) === customer.Id && Number(i.Balance) > 0)
    .filter((i) => !input.invoiceIds || input.invoiceIds.includes(i.Id))
    .sort((a, b) => String(a.TxnDate).localeCompare(String(b.TxnDate)) || Number(a.Id) - Number(b.Id));
  if (input.invoiceIds) open.sort((a, b) => input.invoiceIds!.indexOf(a.Id) - input.invoiceIds!.indexOf(b.Id));
  let left = Math.round(input.amount * 100);
  const lines: Array<Record<string, unknown>> = [];
  for (const inv of open) {
    if (left <= 0) break;
    const take = Math.min(left, Math.round(Number(inv.Balance) * 100));
    lines.push({ Amount: take / 100, LinkedTxn: [{ TxnId: inv.Id, TxnType: 'Invoice' }] });
    left -= take;
  }
  return {
    CustomerRef: { value: customer.Id },
    TotalAmt: input.amount,
    TxnDate: input.txnDate,
    PaymentRefNum: input.paymentRefNum,
    PrivateNote: input.privateNote,
    Line: lines,
  };
}

export function createAdmin(host: AdminHost) {
  const write = (entity: string, op: 'create' | 'void' | 'delete', body: Record<string, unknown>) =>
    host.commit((draft) => executeWrite(draft, entity, op, body, { allowDuplicateDocNum: false }));
  return {
    reset(): void {
      host.replace(seededRealm(host.realm().realmId, 'empty'));
    },
    seed(seed: SeedName, extraCustomers = 0): void {
      const realm = seededRealm(host.realm().realmId, seed);
      if (extraCustomers > 0) addGeneratedCustomers(realm, extraCustomers);
      host.replace(realm);
    },
    recordPayment(input: RecordPaymentInput): QboEntity {
      return write('Payment', 'create', paymentBody(host.realm(), input));
    },
    voidPayment(id: string): QboEntity {
      const p = host.realm().entities.Payment?.[id];
      if (!p) throw new Error(`no payment ${id}`);
      return write('Payment', 'void', { Id: id, SyncToken: p.SyncToken });
    },
    deletePayment(id: string): QboEntity {
      const p = host.realm().entities.Payment?.[id];
      if (!p) throw new Error(`no payment ${id}`);
      return write('Payment', 'delete', { Id: id, SyncToken: p.SyncToken });
    },
    /** Any preference, UseAccountNumbers included (which the API itself cannot change). */
    setPreferences(groups: Record<string, Record<string, unknown>>): QboEntity {
      return host.commit((draft) => {
        for (const [group, values] of Object.entries(groups)) {
          draft.preferences[group] = { ...((draft.preferences[group] ?? {}) as object), ...values };
        }
        draft.preferences.SyncToken = String(Number(draft.preferences.SyncToken) + 1);
        return draft.preferences;
      });
    },
    /** Stands in for the OAuth authorize flow: a new connection with a fresh access + refresh token. */
    issueTokens(): IssuedTokens {
      return host.commit((draft) => connect(draft));
    },
    /** The company disconnects the app: every access and refresh token stops working. */
    revokeConnection(): void {
      host.commit((draft) => revokeConnection(draft));
    },
    /** As if the company had been connected almost 5 years ago: its hard expiry is `days` away. */
    ageConnection(hardExpiresInDays: number): void {
      host.commit((draft) => ageConnection(draft, hardExpiresInDays));
    },
    expireAccessTokens(includeDemo = false): number {
      return host.commit((draft) => expireAccessTokens(draft, includeDemo));
    },
    /** A currency the company has added (multicurrency companies list theirs as CompanyCurrency). */
    addCurrency(code: string, name: string, active = true): QboEntity {
      return host.commit((draft) => {
        const id = allocateId(draft);
        const now = qboTimestamp();
        const row: QboEntity = { Id: id, SyncToken: '0', Code: code, Name: name, Active: active, MetaData: { CreateTime: now, LastUpdatedTime: now } };
        table(draft, 'CompanyCurrency')[id] = row;
        return row;
      });
    },
    /** Every row of an entity, inactive ones included. */
    list(entity: string): QboEntity[] {
      return Object.values(host.realm().entities[entity] ?? {});
    },
  };
}

export type SandboxAdmin = ReturnType<typeof createAdmin>;

/** HTTP face of the admin helpers. Errors become 400 with a plain message. */
export function adminRoute(admin: SandboxAdmin, extra: { getKnobs(): unknown; setKnobs(k: Record<string, unknown>): unknown; realmId: string }, method: string, path: string, body: Record<string, unknown>): Answer {
  const parts = path.split('/').filter(Boolean); // ['__admin', ...]
  const route = `${method} /${parts.slice(1).join('/')}`;
  try {
    if (route === 'GET /health') return { status: 200, body: { ok: true, realmId: extra.realmId } };
    if (route === 'GET /knobs') return { status: 200, body: extra.getKnobs() };
    if (route === 'POST /knobs') return { status: 200, body: extra.setKnobs(body) };
    if (route === 'POST /reset') {
      admin.reset();
      return { status: 200, body: { ok: true } };
    }
    if (route === 'POST /seed') {
      const seed: SeedName = SEED_NAMES.includes(body.seed as SeedName) ? (body.seed as SeedName) : 'demo';
      admin.seed(seed, Number(body.extraCustomers ?? 0));
      return { status: 200, body: { ok: true, seed } };
    }
    if (route === 'POST /payments') return { status: 200, body: { Payment: admin.recordPayment(body as unknown as RecordPaymentInput) } };
    if (method === 'POST' && parts[1] === 'payments' && parts[3] === 'void') return { status: 200, body: { Payment: admin.voidPayment(parts[2]) } };
    if (method === 'POST' && parts[1] === 'payments' && parts[3] === 'delete') return { status: 200, body: { Payment: admin.deletePayment(parts[2]) } };
    if (route === 'POST /preferences') return { status: 200, body: { Preferences: admin.setPreferences(body as Record<string, Record<string, unknown>>) } };
    if (route === 'POST /tokens') return { status: 200, body: admin.issueTokens() };
    if (route === 'POST /tokens/expire') return { status: 200, body: { expired: admin.expireAccessTokens(body.includeDemo === true) } };
    if (route === 'POST /tokens/revoke') {
      admin.revokeConnection();
      return { status: 200, body: { ok: true } };
    }
    if (route === 'POST /tokens/connection') {
      const days = Number(body.hardExpiresInDays);
      if (!Number.isFinite(days)) return { status: 400, body: { error: 'hardExpiresInDays must be a number of days' } };
      admin.ageConnection(days);
      return { status: 200, body: { ok: true } };
    }
    if (method === 'GET' && parts[1] === 'entities' && parts[2]) return { status: 200, body: { [parts[2]]: admin.list(parts[2]) } };
    return { status: 404, body: { error: `no admin route ${route}` } };
  } catch (err) {
    if (err instanceof QboFault) return err.answer;
    return { status: 400, body: { error: (err as Error).message } };
  }
}
