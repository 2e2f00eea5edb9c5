/**
 * Create, update (full or sparse), delete and void for every entity the sandbox holds. Every check
 * that can refuse a write runs before the realm is touched; the one exception, an update (which
 * must reverse the old version's effects before validating the new one), restores the rows it
 * changed when the new version is refused. So a refused write leaves nothing half-done.
 */
import { businessRule, objectNotFound, requiredMissing, staleObject, unsupported } from './faults';
import { isNameList, isTransaction } from './entity-names';
import { prepareNameListEntity } from './name-lists';
import { applyPaymentEffects, preparePayment, voidedPayment } from './payments';
import { allocateId, bumpSyncToken, qboTimestamp, table, type QboEntity, type RealmState } from './state';
import { applyStockEffects, prepareTransaction, type WriteContext } from './transactions';
import { noteRowRemoved, noteRowWritten } from './table-index';

export type Operation = 'create' | 'update' | 'delete' | 'void';
type Body = Record<string, unknown>;

/** Fields QuickBooks computes or owns; a client cannot set them. */
const SERVER_FIELDS = ['Id', 'SyncToken', 'MetaData', 'sparse', 'domain'];

function writable(body: Body): Body {
  const out = { ...body };
  for (const f of SERVER_FIELDS) delete out[f];
  return out;
}

function prepare(realm: RealmState, entity: string, body: Body, existing: QboEntity | undefined, ctx: WriteContext): Body {
  if (isNameList(entity)) return prepareNameListEntity(realm, entity, body, existing?.Id);
  if (entity === 'Payment') return preparePayment(realm, body);
  return prepareTransaction(realm, entity, body, existing, ctx);
}

function applyEffects(realm: RealmState, entity: string, txn: QboEntity, sign: 1 | -1): void {
  if (entity === 'Payment') applyPaymentEffects(realm, txn, sign);
  else if (isTransaction(entity)) applyStockEffects(realm, entity, txn, sign);
}

function hasPayments(txn: QboEntity): boolean {
  return ((txn.LinkedTxn ?? []) as Array<{ TxnType: string }>).some((l) => l.TxnType === 'Payment');
}

function create(realm: RealmState, entity: string, body: Body, ctx: WriteContext): QboEntity {
  const prepared = prepare(realm, entity, writable(body), undefined, ctx);
  const now = qboTimestamp();
  const row = { ...prepared, Id: allocateId(realm), SyncToken: '0', domain: 'QBO', sparse: false, MetaData: { CreateTime: now, LastUpdatedTime: now } } as QboEntity;
  store(realm, entity, row);
  applyEffects(realm, entity, row, 1);
  return row;
}

/** Puts a row in its table, keeping the table's indexes current. */
function store(realm: RealmState, entity: string, row: QboEntity): void {
  table(realm, entity)[row.Id] = row;
  noteRowWritten(realm.entities[entity], row.Id);
}

/** The stored object an update/delete/void names, with its SyncToken checked. */
function current(realm: RealmState, entity: string, body: Body): QboEntity {
  if (body.Id === undefined || body.Id === null || body.Id === '') throw requiredMissing('Id');
  const existing = realm.entities[entity]?.[String(body.Id)];
  if (!existing) throw objectNotFound();
  if (body.SyncToken === undefined) throw requiredMissing('SyncToken');
  if (String(body.SyncToken) !== existing.SyncToken) throw staleObject();
  return existing;
}

/** Rows a transaction's effects change: linked invoices/credit memos, and items whose stock moves. */
function affectedRows(realm: RealmState, txn: QboEntity): Array<[string, QboEntity]> {
  const rows: Array<[string, QboEntity]> = [];
  for (const line of (txn.Line ?? []) as Body[]) {
    for (const link of (line.LinkedTxn ?? []) as Array<{ TxnId: string; TxnType: string }>) {
      const row = realm.entities[link.TxnType]?.[link.TxnId];
      if (row) rows.push([link.TxnType, row]);
    }
    for (const key of ['SalesItemLineDetail', 'ItemBasedExpenseLineDetail', 'ItemAdjustmentLineDetail']) {
      const id = (line[key] as { ItemRef?: { value?: string } } | undefined)?.ItemRef?.value;
      const row = id ? realm.entities.Item?.[id] : undefined;
      if (row) rows.push(['Item', row]);
    }
  }
  return rows;
}

function update(realm: RealmState, entity: string, body: Body, ctx: WriteContext): QboEntity {
  const existing = current(realm, entity, body);
  // Sparse: only the fields sent change (a sent Line replaces all lines). Full: unsent fields reset.
  // The stored version is copied so validation never edits it in place.
  const candidate = body.sparse === true ? { ...structuredClone(writable(existing)), ...writable(body) } : writable(body);
  const saved = affectedRows(realm, existing).map(([t, row]) => [t, structuredClone(row)] as const);
  applyEffects(realm, entity, existing, -1);
  let prepared: Body;
  try {
    prepared = prepare(realm, entity, candidate, existing, ctx);
  } catch (err) {
    for (const [t, row] of saved) store(realm, t, row);
    throw err;
  }
  const row = { ...prepared, Id: existing.Id, SyncToken: existing.SyncToken, domain: 'QBO', sparse: false, MetaData: existing.MetaData } as QboEntity;
  bumpSyncToken(row);
  store(realm, entity, row);
  applyEffects(realm, entity, row, 1);
  return row;
}

function remove(realm: RealmState, entity: string, body: Body): QboEntity {
  if (!isTransaction(entity)) throw unsupported(`Operation Delete is not supported for ${entity}; make it inactive (Active=false) instead.`);
  const existing = current(realm, entity, body);
  // QuickBooks refuses it; the code (6000) and wording are unverified.
  if (hasPayments(existing)) throw businessRule(`This ${entity} has payments applied; delete or unapply the payments first.`);
  applyEffects(realm, entity, existing, -1);
  delete realm.entities[entity][existing.Id];
  noteRowRemoved(realm.entities[entity], existing.Id);
  realm.tombstones.push({ entity, Id: existing.Id, deletedAt: qboTimestamp() });
  return { Id: existing.Id, SyncToken: existing.SyncToken, domain: 'QBO', status: 'Deleted' } as QboEntity;
}

function voidTxn(realm: RealmState, entity: string, body: Body): QboEntity {
  if (entity !== 'Invoice' && entity !== 'Payment') throw unsupported(`Operation Void is not supported for ${entity}.`);
  const existing = current(realm, entity, body);
  if (entity === 'Invoice' && hasPayments(existing)) {
    // Refused by QuickBooks (reported by third parties); the code (6000) and wording are unverified.
    throw businessRule('You cannot void an invoice that has a payment applied to it; remove the payment first.');
  }
  applyEffects(realm, entity, existing, -1);
  const voided: QboEntity =
    entity === 'Payment'
      ? voidedPayment(existing)
      : {
          ...existing,
          Line: ((existing.Line ?? []) as Body[]).map((l) => ({ ...l, Amount: 0 })),
          TotalAmt: 0,
          Balance: 0,
          PrivateNote: `Voided${existing.PrivateNote ? ` - ${String(existing.PrivateNote)}` : ''}`,
        };
  bumpSyncToken(voided);
  store(realm, entity, voided);
  return voided;
}

/** Preferences: one object, updated with its SyncToken; UseAccountNumbers is read-only via the API. */
function updatePreferences(realm: RealmState, body: Body): QboEntity {
  if (body.SyncToken === undefined) throw requiredMissing('SyncToken');
  if (String(body.SyncToken) !== realm.preferences.SyncToken) throw staleObject();
  const next = { ...realm.preferences } as QboEntity;
  for (const [group, value] of Object.entries(writable(body))) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      next[group] = { ...((next[group] ?? {}) as Body), ...(value as Body) };
    }
  }
  const accounting = next.AccountingInfoPrefs as Body;
  accounting.UseAccountNumbers = (realm.preferences.AccountingInfoPrefs as Body).UseAccountNumbers;
  bumpSyncToken(next);
  realm.preferences = next;
  return next;
}

export function executeWrite(realm: RealmState, entity: string, operation: Operation, body: Body, ctx: WriteContext): QboEntity {
  if (entity === 'Preferences') {
    if (operation !== 'update') throw unsupported(`Operation ${operation} is not supported for Preferences.`);
    return updatePreferences(realm, body);
  }
  if (entity === 'TaxCode' || entity === 'TaxRate') throw unsupported(`${entity} is read-only; use the TaxService endpoint.`);
  switch (operation) {
    case 'create':
      // A body with an Id is an update, as QuickBooks treats POST /{entity}.
      return body.Id !== undefined ? update(realm, entity, body, ctx) : create(realm, entity, body, ctx);
    case 'update':
      return update(realm, entity, body, ctx);
    case 'delete':
      return remove(realm, entity, body);
    case 'void':
      return voidTxn(realm, entity, body);
  }
}
