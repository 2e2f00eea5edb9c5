/**
 * What is wrong with one GLExport document, as that record's failure: which document (its number),
 * which field, and what a person does about it. A malformed document never stops the batch; the
 * other records of the same export post.
 */
import type { z } from 'zod';
import { LedgerError, type BusinessErrorType } from '../../domain/errors';

const ACCOUNT_FIX =
  "Map a GL account for the line's GL type in ConnectWise (System > Setup Tables > GL Accounts), then reopen and close the record so ConnectWise recomputes its GL entries, and run the batch again.";
const GL_TYPE_FIX =
  'Check the GL type of the line in the GL Accounts setup table in ConnectWise, correct the mapping, then reopen and close the record and run the batch again; a GL type ConnectWise added since must be taught to Ledgerline before the record can post.';
const AMOUNT_FIX =
  'Correct the amounts on the record in ConnectWise (every GL amount is a number of whole cents), reopen and close it so its GL entries are recomputed, and run the batch again.';
const SHAPE_FIX =
  'Reopen and close the record in ConnectWise to export it again; if the field stays wrong, report the field named here to the Ledgerline maintainers. The other records of the batch are not affected.';

/** A problem found in one document; `where` is the path inside the GLExport (`transactions[2].detail[0]`). */
export class DocumentProblem extends Error {
  constructor(
    readonly type: BusinessErrorType,
    readonly field: string,
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

export const noAccount = (where: string) => new DocumentProblem('MappingMissing', `${where}.accountNumber`, `no GL account on ${where}`, ACCOUNT_FIX);

export const unknownGlType = (where: string, field: string, code: string | null | undefined) =>
  new DocumentProblem('MappingInvalid', `${where}.${field}`, `unknown GL type "${code ?? ''}" on ${where}`, GL_TYPE_FIX);

export const oddAmount = (where: string, field: string, value: unknown) =>
  new DocumentProblem('InvalidInput', `${where}.${field}`, `amount ${JSON.stringify(value)} on ${where} is not a number of whole cents`, AMOUNT_FIX);

export const badShape = (field: string, message: string) => new DocumentProblem('InvalidInput', field, message, SHAPE_FIX);

const ACCOUNT_FIELDS = new Set(['accountNumber', 'apAccountNumber']);
const GL_TYPE_FIELDS = new Set(['glTypeId', 'glTypeID']);
const AMOUNT_FIELDS = new Set(['total', 'cost', 'itemCost', 'itemPrice', 'quantity', 'freightAmount', 'taxAmount']);

/** The document's zod issues as one problem: the first issue decides the kind and the fix, up to three are named. */
export function schemaProblem(where: string, issues: readonly z.core.$ZodIssue[]): DocumentProblem {
  const path = (issue: z.core.$ZodIssue) => `${where}${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`;
  const named = issues.slice(0, 3).map((i) => `${path(i)}: ${i.message}`);
  const more = issues.length > 3 ? ` and ${issues.length - 3} more` : '';
  const first = issues[0]!;
  const last = String(first.path[first.path.length - 1] ?? '');
  const message = `fields that do not fit ConnectWise's documented GL export (${named.join('; ')}${more})`;
  if (ACCOUNT_FIELDS.has(last)) return new DocumentProblem('MappingMissing', path(first), message, ACCOUNT_FIX);
  if (GL_TYPE_FIELDS.has(last)) return new DocumentProblem('MappingInvalid', path(first), message, GL_TYPE_FIX);
  if (AMOUNT_FIELDS.has(last)) return new DocumentProblem('InvalidInput', path(first), message, AMOUNT_FIX);
  return new DocumentProblem('InvalidInput', path(first), message, SHAPE_FIX);
}

/** The record's failure: names the document by its number (or its id when it has none readable). */
export function documentFailure(what: string, number: string, problem: DocumentProblem): LedgerError {
  const record = `${what} ${number}`;
  return new LedgerError(problem.type, `ConnectWise exported ${record} with ${problem.message}`, {
    record,
    fix: problem.fix,
    details: { field: problem.field },
  });
}
