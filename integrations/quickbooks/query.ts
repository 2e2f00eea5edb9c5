/**
 * Builds QuickBooks query-language statements. Values are always quoted here, never spliced by
 * callers: strings go in single quotes with `\` and `'` backslash-escaped (the documented rule),
 * numbers and booleans go bare. QuickBooks has no OR, so conditions are a flat AND list.
 */
import { LedgerError } from '../../domain/errors';

export type QueryScalar = string | number | boolean;
export type QueryOperator = '=' | '<' | '>' | '<=' | '>=' | 'LIKE' | 'IN';

export interface QueryCondition {
  /** A property path, e.g. `DocNumber` or `MetaData.LastUpdatedTime`. */
  field: string;
  op: QueryOperator;
  value: QueryScalar | readonly QueryScalar[];
}

export interface QueryOptions {
  where?: readonly QueryCondition[];
  orderBy?: { field: string; direction?: 'ASC' | 'DESC' };
  startPosition?: number;
  maxResults?: number;
}

/** The server's ceiling for MAXRESULTS. */
export const MAX_QUERY_RESULTS = 1000;

const FIELD = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;
const ENTITY = /^[A-Za-z][A-Za-z0-9]*$/;

export function quoteQueryValue(value: QueryScalar): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new LedgerError('InvalidInput', `Query value ${value} is not a finite number`);
    return String(value);
  }
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function condition(c: QueryCondition): string {
  if (!FIELD.test(c.field)) throw new LedgerError('InvalidInput', `Query field "${c.field}" is not a property path`);
  if (c.op === 'IN') {
    const list = Array.isArray(c.value) ? c.value : [c.value as QueryScalar];
    if (list.length === 0) throw new LedgerError('InvalidInput', `IN on ${c.field} needs at least one value`);
    return `${c.field} IN (${list.map(quoteQueryValue).join(', ')})`;
  }
  if (Array.isArray(c.value)) throw new LedgerError('InvalidInput', `Operator ${c.op} on ${c.field} takes one value`);
  return `${c.field} ${c.op} ${quoteQueryValue(c.value as QueryScalar)}`;
}

function whereClause(where: readonly QueryCondition[] | undefined): string {
  return where && where.length ? ` WHERE ${where.map(condition).join(' AND ')}` : '';
}

function checkEntity(entity: string): void {
  if (!ENTITY.test(entity)) throw new LedgerError('InvalidInput', `"${entity}" is not a QuickBooks entity name`);
}

export function buildSelect(entity: string, options: QueryOptions = {}): string {
  checkEntity(entity);
  let sql = `SELECT * FROM ${entity}${whereClause(options.where)}`;
  if (options.orderBy) {
    if (!FIELD.test(options.orderBy.field)) throw new LedgerError('InvalidInput', `ORDERBY field "${options.orderBy.field}" is not a property path`);
    sql += ` ORDERBY ${options.orderBy.field} ${options.orderBy.direction ?? 'ASC'}`;
  }
  if (options.startPosition !== undefined) {
    if (!Number.isInteger(options.startPosition) || options.startPosition < 1) {
      throw new LedgerError('InvalidInput', 'STARTPOSITION is 1-based');
    }
    sql += ` STARTPOSITION ${options.startPosition}`;
  }
  if (options.maxResults !== undefined) {
    if (!Number.isInteger(options.maxResults) || options.maxResults < 1 || options.maxResults > MAX_QUERY_RESULTS) {
      throw new LedgerError('InvalidInput', `MAXRESULTS must be 1..${MAX_QUERY_RESULTS}`);
    }
    sql += ` MAXRESULTS ${options.maxResults}`;
  }
  return sql;
}

export function buildCount(entity: string, where?: readonly QueryCondition[]): string {
  checkEntity(entity);
  return `SELECT COUNT(*) FROM ${entity}${whereClause(where)}`;
}
