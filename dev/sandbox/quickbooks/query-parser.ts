/**
 * Parser for the QuickBooks query language:
 *   SELECT * | COUNT(*) | item (, item)* FROM Entity [WHERE cond (AND cond)*] [ORDERBY f [ASC|DESC], ...]
 *   [STARTPOSITION n] [MAXRESULTS m]
 * item: * | property. A select list without * narrows each row to the named properties (plus Id).
 * cond: field (= < > <= >= !=) value | field IN (v, ...) | field LIKE 'pattern'.
 * Strings are single-quoted with backslash escapes; keywords are case-insensitive. No OR, no JOIN.
 */
import { validation, type QboFault } from './faults';

export type Scalar = string | number | boolean;

export interface Condition {
  field: string;
  op: '=' | '!=' | '<' | '>' | '<=' | '>=' | 'IN' | 'LIKE';
  values: Scalar[];
}

export interface ParsedQuery {
  count: boolean;
  /** Properties to return; undefined means every property (a list containing *). */
  select?: string[];
  entity: string;
  where: Condition[];
  orderBy: Array<{ field: string; desc: boolean }>;
  startPosition: number;
  maxResults: number;
}

type Token = { kind: 'word' | 'string' | 'number' | 'symbol'; text: string; value?: Scalar; at: number };

export const MAX_RESULTS_LIMIT = 1000;
const DEFAULT_MAX_RESULTS = 100;

function parseError(detail: string): QboFault {
  return validation('4000', 'Error parsing query', `QueryParserError: ${detail}`);
}

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'") {
      let out = '';
      let j = i + 1;
      for (; j < sql.length && sql[j] !== "'"; j++) {
        if (sql[j] === '\\' && j + 1 < sql.length) j++;
        out += sql[j];
      }
      if (j >= sql.length) throw parseError(`Encountered an unterminated string at column ${i + 1}.`);
      tokens.push({ kind: 'string', text: sql.slice(i, j + 1), value: out, at: i });
      i = j + 1;
    } else if (/[-\d]/.test(ch) && /^-?\d/.test(sql.slice(i, i + 2))) {
      const m = /^-?\d+(\.\d+)?/.exec(sql.slice(i))!;
      tokens.push({ kind: 'number', text: m[0], value: Number(m[0]), at: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(sql.slice(i))!;
      tokens.push({ kind: 'word', text: m[0], at: i });
      i += m[0].length;
    } else {
      const m = /^(<=|>=|!=|<>|[=<>(),*])/.exec(sql.slice(i));
      if (!m) throw parseError(`Encountered " ${ch} " at column ${i + 1}.`);
      tokens.push({ kind: 'symbol', text: m[0] === '<>' ? '!=' : m[0], at: i });
      i += m[0].length;
    }
  }
  return tokens;
}

class Cursor {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}
  peek(): Token | undefined {
    return this.tokens[this.i];
  }
  next(): Token {
    const t = this.tokens[this.i++];
    if (!t) throw parseError('Encountered "<EOF>" where more was expected.');
    return t;
  }
  isKeyword(word: string): boolean {
    const t = this.peek();
    return !!t && t.kind === 'word' && t.text.toUpperCase() === word;
  }
  keyword(word: string): void {
    const t = this.next();
    if (t.kind !== 'word' || t.text.toUpperCase() !== word) throw parseError(`Encountered " ${t.text} " at column ${t.at + 1}; expected ${word}.`);
  }
  symbol(sym: string): void {
    const t = this.next();
    if (t.text !== sym) throw parseError(`Encountered " ${t.text} " at column ${t.at + 1}; expected "${sym}".`);
  }
  done(): boolean {
    return this.i >= this.tokens.length;
  }
}

function value(c: Cursor): Scalar {
  const t = c.next();
  if (t.kind === 'string' || t.kind === 'number') return t.value!;
  if (t.kind === 'word' && /^(true|false)$/i.test(t.text)) return t.text.toLowerCase() === 'true';
  throw parseError(`Encountered " ${t.text} " at column ${t.at + 1}; expected a value.`);
}

function condition(c: Cursor): Condition {
  const f = c.next();
  if (f.kind !== 'word') throw parseError(`Encountered " ${f.text} " at column ${f.at + 1}; expected a property name.`);
  if (c.isKeyword('IN')) {
    c.next();
    c.symbol('(');
    const values = [value(c)];
    while (c.peek()?.text === ',') {
      c.next();
      values.push(value(c));
    }
    c.symbol(')');
    return { field: f.text, op: 'IN', values };
  }
  if (c.isKeyword('LIKE')) {
    c.next();
    return { field: f.text, op: 'LIKE', values: [value(c)] };
  }
  const op = c.next();
  if (!['=', '!=', '<', '>', '<=', '>='].includes(op.text)) {
    throw parseError(`Encountered " ${op.text} " at column ${op.at + 1}; expected an operator.`);
  }
  return { field: f.text, op: op.text as Condition['op'], values: [value(c)] };
}

function positiveInt(c: Cursor, what: string): number {
  const t = c.next();
  if (t.kind !== 'number' || !Number.isInteger(t.value) || (t.value as number) < 0) {
    throw parseError(`Encountered " ${t.text} " at column ${t.at + 1}; ${what} takes a whole number.`);
  }
  return t.value as number;
}

export function parseQuery(sql: string): ParsedQuery {
  const c = new Cursor(tokenize(sql));
  c.keyword('SELECT');
  let count = false;
  const fields: string[] = [];
  let all = false;
  if (c.isKeyword('COUNT')) {
    c.next();
    c.symbol('(');
    c.symbol('*');
    c.symbol(')');
    count = true;
  } else {
    for (;;) {
      const t = c.next();
      if (t.text === '*') all = true;
      else if (t.kind === 'word' && t.text.toUpperCase() !== 'FROM') fields.push(t.text);
      else throw parseError(`Encountered " ${t.text} " at column ${t.at + 1}; expected * or a property name.`);
      if (c.peek()?.text !== ',') break;
      c.next();
    }
  }
  c.keyword('FROM');
  const entity = c.next();
  if (entity.kind !== 'word') throw parseError(`Encountered " ${entity.text} " at column ${entity.at + 1}; expected an entity.`);
  const q: ParsedQuery = { count, entity: entity.text, where: [], orderBy: [], startPosition: 1, maxResults: DEFAULT_MAX_RESULTS };
  if (!count && !all) q.select = fields;
  if (c.isKeyword('WHERE')) {
    c.next();
    q.where.push(condition(c));
    while (c.isKeyword('AND')) {
      c.next();
      q.where.push(condition(c));
    }
    if (c.isKeyword('OR')) throw parseError('OR is not supported; conditions can only be joined with AND.');
  }
  if (c.isKeyword('ORDERBY') || c.isKeyword('ORDER')) {
    if (c.next().text.toUpperCase() === 'ORDER') c.keyword('BY');
    for (;;) {
      const f = c.next();
      let desc = false;
      if (c.isKeyword('ASC') || c.isKeyword('DESC')) desc = c.next().text.toUpperCase() === 'DESC';
      q.orderBy.push({ field: f.text, desc });
      if (c.peek()?.text !== ',') break;
      c.next();
    }
  }
  if (c.isKeyword('STARTPOSITION')) {
    c.next();
    q.startPosition = Math.max(1, positiveInt(c, 'STARTPOSITION'));
  }
  if (c.isKeyword('MAXRESULTS')) {
    c.next();
    q.maxResults = positiveInt(c, 'MAXRESULTS');
    if (q.maxResults > MAX_RESULTS_LIMIT) {
      throw validation('4001', 'Invalid query', `QueryValidationError: value ${q.maxResults} is too large. Max allowed value is ${MAX_RESULTS_LIMIT}`);
    }
  }
  if (!c.done()) {
    const t = c.next();
    throw parseError(`Encountered " ${t.text} " at column ${t.at + 1}.`);
  }
  return q;
}
