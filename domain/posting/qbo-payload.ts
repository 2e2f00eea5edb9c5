/**
 * toQuickBooksPayload: a matched draft -> the QuickBooks Online v3 JSON body for its entity, the
 * shape the QBO client posts. Amounts become JSON numbers only here, at the wire, from exact
 * decimal strings. The draft is re-checked to balance so a hand-edited draft cannot post lopsided.
 */
import { LedgerError } from '../errors';
import type { LedgerRef } from '../gl/chart';
import { formatMoney, moneyNumber, parseMoney, type Cents } from '../money';
import type { DraftLine, TransactionDraft, TransactionKind } from './draft';
import type { DraftRefs } from './draft-refs';
import { purchaseLineTaxCode, salesLineTaxCode, salesTxnTaxDetail, type TaxRegime } from './tax';
import { docNumberField } from './doc-number';
import { classPlacement, type ClassTracking } from './class-placement';

export interface QuickBooksPayloadOptions {
  /** The company's sales tax model (country, Automated Sales Tax). Default US manual sales tax. */
  taxRegime?: TaxRegime;
  /** The company's class tracking: per line (ClassTrackingPerTxnLine), per transaction, or off. Default line. */
  classTracking?: ClassTracking;
  /** Preferences.SalesFormsPrefs.CustomTxnNumbers: off, QuickBooks numbers invoices and credit memos. Default on. */
  customTxnNumbers?: boolean;
}

export type QuickBooksBody = Record<string, unknown>;

export interface QuickBooksPayload {
  entity: TransactionKind;
  body: QuickBooksBody;
}

/** QuickBooks keeps PrivateNote to 4000 characters; the idempotency marker and the posted fingerprint follow the record line. */
const PRIVATE_NOTE_MAX = 4000 - 200;


export function toQuickBooksPayload(draft: TransactionDraft, refs: DraftRefs, options: QuickBooksPayloadOptions = {}): QuickBooksPayload {
  const taxRegime = options.taxRegime ?? { kind: 'usManual' };
  assertDraftBalanced(draft);
  const classes = classPlacement(draft, options.classTracking ?? 'line');
  const docNumber = docNumberField(draft, options.customTxnNumbers ?? true);

  const need = (map: Record<string, LedgerRef> | undefined, key: string, what: string): LedgerRef => {
    const ref = map?.[key];
    if (ref === undefined) {
      throw new LedgerError('ReferenceNotFound', `${draft.recordLabel}: no matched ${what} for "${key}"`, {
        record: draft.recordLabel,
        fix: 'Match the draft onto the chart (matchDraftRefs) before building the payload.',
      });
    }
    return ref;
  };
  const needParty = (): LedgerRef => {
    if (refs.party === undefined) {
      throw new LedgerError('ReferenceNotFound', `${draft.recordLabel}: no matched ${draft.party?.role ?? 'party'} "${draft.party?.name ?? ''}"`, {
        record: draft.recordLabel,
        fix: 'Match the draft onto the chart (matchDraftRefs) before building the payload.',
      });
    }
    return refs.party;
  };
  const classRef = (name: string | undefined) => (name !== undefined ? { ClassRef: need(refs.classes, name, 'class') } : {});
  const lineClass = (index: number) => classRef(classes.lines[index]);
  const described = (line: DraftLine) => (line.description !== undefined ? { Description: line.description } : {});
  const qtyPrice = (line: DraftLine) =>
    line.quantity !== undefined && line.unitPrice !== undefined ? { Qty: Number(line.quantity), UnitPrice: Number(line.unitPrice) } : {};

  const common: QuickBooksBody = {
    ...docNumber,
    TxnDate: draft.txnDate,
    PrivateNote: privateNote(draft),
    ...(draft.currency !== undefined && { CurrencyRef: { value: draft.currency } }),
  };

  const purchaseTax = (index: number) => {
    const code = purchaseLineTaxCode(taxRegime, refs, index);
    return code === undefined ? {} : { TaxCodeRef: code };
  };
  const purchaseLine = (line: DraftLine, index: number): QuickBooksBody =>
    line.detail === 'item'
      ? {
          Amount: moneyNumber(line.amount),
          ...described(line),
          DetailType: 'ItemBasedExpenseLineDetail',
          ItemBasedExpenseLineDetail: { ItemRef: need(refs.items, line.productId ?? '', 'item'), ...qtyPrice(line), ...lineClass(index), ...purchaseTax(index) },
        }
      : {
          Amount: moneyNumber(line.amount),
          ...described(line),
          DetailType: 'AccountBasedExpenseLineDetail',
          AccountBasedExpenseLineDetail: { AccountRef: need(refs.accounts, line.account, 'account'), ...lineClass(index), ...purchaseTax(index) },
        };

  switch (draft.kind) {
    case 'Invoice':
    case 'CreditMemo': {
      const lineTaxCode = (line: DraftLine, index: number) => {
        const code = salesLineTaxCode(taxRegime, refs, line.taxable, index);
        return code === undefined ? {} : { TaxCodeRef: code };
      };
      const body: QuickBooksBody = {
        ...common,
        CustomerRef: needParty(),
        ...(draft.control && { ARAccountRef: need(refs.accounts, draft.control.account, 'account') }),
        ...classRef(classes.header),
        ...(draft.kind === 'Invoice' && draft.dueDate !== undefined && { DueDate: draft.dueDate }),
        ...(refs.terms !== undefined && { SalesTermRef: refs.terms }),
        Line: draft.lines.map((line, index) => ({
          Amount: moneyNumber(line.amount),
          ...described(line),
          DetailType: 'SalesItemLineDetail',
          // The item decides the income account: matchDraftRefs chose one posting to the line's GL account.
          SalesItemLineDetail: { ItemRef: refs.salesItems?.[index] ?? need(refs.items, line.productId ?? '', 'item'), ...qtyPrice(line), ...lineClass(index), ...lineTaxCode(line, index) },
        })),
      };
      const taxDetail = salesTxnTaxDetail(draft, taxRegime, refs);
      if (taxDetail) body.TxnTaxDetail = taxDetail;
      // Outside the US line amounts are given without tax, which ConnectWise adds on top.
      if (taxRegime.kind === 'nonUs') body.GlobalTaxCalculation = 'TaxExcluded';
      return { entity: draft.kind, body };
    }
    case 'Bill':
      return {
        entity: 'Bill',
        body: {
          ...common,
          VendorRef: needParty(),
          ...(draft.control && { APAccountRef: need(refs.accounts, draft.control.account, 'account') }),
          ...(draft.dueDate !== undefined && { DueDate: draft.dueDate }),
          ...(refs.terms !== undefined && { SalesTermRef: refs.terms }),
          Line: draft.lines.map(purchaseLine),
        },
      };
    case 'Purchase':
      return {
        entity: 'Purchase',
        body: {
          ...common,
          PaymentType: refs.paymentType ?? 'CreditCard',
          AccountRef: need(refs.accounts, draft.control?.account ?? '', 'account'),
          ...(draft.party && { EntityRef: { ...needParty(), type: 'Vendor' } }),
          Line: draft.lines.map(purchaseLine),
        },
      };
    case 'JournalEntry':
      return {
        entity: 'JournalEntry',
        body: {
          ...common,
          Line: draft.lines.map((line, index) => ({
            Amount: moneyNumber(line.amount),
            ...described(line),
            DetailType: 'JournalEntryLineDetail',
            JournalEntryLineDetail: {
              PostingType: line.postingType,
              AccountRef: need(refs.accounts, line.account, 'account'),
              ...lineClass(index),
              ...(line.entity !== undefined && { Entity: { Type: line.entity === 'customer' ? 'Customer' : 'Vendor', EntityRef: needParty() } }),
            },
          })),
        },
      };
    case 'InventoryAdjustment':
      return {
        entity: 'InventoryAdjustment',
        body: {
          ...common,
          AdjustAccountRef: need(refs.accounts, draft.control?.account ?? '', 'account'),
          Line: draft.lines.map((line, index) => ({
            ...described(line),
            DetailType: 'ItemAdjustmentLineDetail',
            ItemAdjustmentLineDetail: { ItemRef: need(refs.items, line.productId ?? '', 'item'), QtyDiff: Number(line.quantityDiff), ...lineClass(index) },
          })),
        },
      };
  }
}

/**
 * The PSA record a posted transaction came from, read back from the PrivateNote written below
 * ("ConnectWise <type> <number> (PSA id <id>, revision <rev>)"); undefined for anything else.
 */
export function postedSourceOf(note: string | undefined | null): { recordType: string; number: string; recordId: string; revision: string } | undefined {
  // The number is the last word before "(PSA id": ConnectWise document numbers have no spaces.
  const match = /ConnectWise (\S+) (?:.*\s)?(\S+) \(PSA id ([^,]+), revision ([^)]+)\)/.exec(note ?? '');
  return match ? { recordType: match[1], number: match[2]!, recordId: match[3]!, revision: match[4]! } : undefined;
}

/** "ConnectWise Standard invoice 10042 (PSA id 77, revision 3)": ties the posting back to its record. */
function privateNote(draft: TransactionDraft): string {
  const { recordType, number, recordId, revision } = draft.source;
  const note = `ConnectWise ${recordType} ${number} (PSA id ${recordId}, revision ${revision})${draft.memo ? `: ${draft.memo}` : ''}`;
  return note.length > PRIVATE_NOTE_MAX ? note.slice(0, PRIVATE_NOTE_MAX) : note;
}

/** Document kinds: lines plus tax equal the total; journal entries: debits equal credits. */
export function assertDraftBalanced(draft: TransactionDraft): void {
  const sum = (xs: Cents[]) => xs.reduce((a, b) => a + b, 0n);
  let left: Cents;
  let right: Cents;
  let what: string;
  if (draft.kind === 'JournalEntry') {
    left = sum(draft.lines.filter((l) => l.postingType === 'Debit').map((l) => parseMoney(l.amount)));
    right = sum(draft.lines.filter((l) => l.postingType === 'Credit').map((l) => parseMoney(l.amount)));
    what = 'debits and credits';
  } else if (draft.kind === 'InventoryAdjustment') {
    return; // quantities only: no amounts to balance
  } else {
    left = sum([...draft.lines, ...draft.taxLines].map((l) => parseMoney(l.amount)));
    right = parseMoney(draft.total);
    what = 'lines plus tax and the total';
  }
  if (left !== right) {
    throw new LedgerError('Unbalanced', `${draft.recordLabel}: ${what} differ (${formatMoney(left)} vs ${formatMoney(right)})`, {
      record: draft.recordLabel,
      fix: 'Plan the record again from its PSA GL entries; drafts must not be edited by hand.',
    });
  }
}
