/**
 * QuickBooks' fault 610 on a write ("Something you're trying to use has been made inactive") says
 * which field holds the inactive reference only in its `element` (e.g.
 * `Line[0].SalesItemLineDetail.ItemRef`). The reference at that path in the body we sent names the
 * entity, so the record's failure can say what to reactivate.
 */
import { LedgerError } from '../errors';
import type { QuickBooksBody } from './qbo-payload';

const KIND_BY_FIELD: Record<string, string> = {
  CustomerRef: 'customer',
  VendorRef: 'vendor',
  EntityRef: 'vendor',
  EntityRef_Customer: 'customer',
  ItemRef: 'item',
  ClassRef: 'class',
  SalesTermRef: 'term',
  TaxCodeRef: 'tax code',
  TxnTaxCodeRef: 'tax code',
};

/** The `{value, name}` reference at a fault element path, if the body has one there. */
export function referenceAt(body: QuickBooksBody, element: string): { field: string; value: string; name?: string } | undefined {
  let cur: unknown = body;
  let field = '';
  for (const part of element.split('.')) {
    const m = /^([A-Za-z]+)(?:\[(\d+)\])?$/.exec(part);
    if (!m || cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[m[1]];
    if (m[2] !== undefined) cur = Array.isArray(cur) ? cur[Number(m[2])] : undefined;
    field = m[1];
  }
  if (!cur || typeof cur !== 'object' || typeof (cur as { value?: unknown }).value !== 'string') return undefined;
  const ref = cur as { value: string; name?: string; type?: string };
  return { field: ref.type === 'Customer' && field === 'EntityRef' ? 'EntityRef_Customer' : field, value: ref.value, name: ref.name };
}

/** A 610 refusal rewritten to name the inactive entity; any other error is returned as it is. */
export function nameInactiveReference(err: LedgerError, body: QuickBooksBody, recordLabel: string): LedgerError {
  const element = err.details?.element;
  if (err.details?.code !== '610' || typeof element !== 'string') return err;
  const ref = referenceAt(body, element);
  if (!ref) return err;
  const kind = KIND_BY_FIELD[ref.field] ?? (ref.field.endsWith('AccountRef') ? 'account' : 'entry');
  const what = `${kind} "${ref.name ?? ref.value}" (Id ${ref.value})`;
  return new LedgerError(err.type, `${recordLabel}: QuickBooks refused it because ${what} is inactive (fault 610 on ${element})`, {
    record: recordLabel,
    fix: `Make ${what} active again in QuickBooks, or point ConnectWise at an active entry; then retry the record.`,
    details: { ...err.details, inactive: ref.value },
  });
}
