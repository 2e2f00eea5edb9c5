/**
 * The ConnectWise conditions grammar (a useful subset): comparisons `= != < <= > >=`, `like`,
 * `contains`, `in (...)`, each optionally negated with `not`; `and`/`or` in any case with
 * parentheses; "double" or 'single' quoted strings, bare numbers, true/false, null, [ISO datetimes];
 * slash paths into references (`company/identifier`). A path through an array matches when any
 * element does, which is how childConditions (`types/id=1`) behave.
 */

export class ConditionsSyntaxError extends Error {}

const SYNTAX_HINT =
  'String values should be enclosed with double or single quotes; DateTime values should be enclosed in square brackets; ' +
  'boolean values should be true or false; null values should be the keyword null.';

type Literal = { kind: 'string'; value: string } | { kind: 'number'; value: number } | { kind: 'boolean'; value: boolean } | { kind: 'null' } | { kind: 'date'; value: number };

type Op = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'like' | 'contains' | 'in';

export type ConditionNode =
  | { kind: 'and' | 'or'; left: ConditionNode; right: ConditionNode }
  | { kind: 'cmp'; path: string[]; op: Op; negate: boolean; values: Literal[] };

type Token = { t: 'punct' | 'op' | 'word' | 'string' | 'number' | 'date'; v: string; pos: number };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ t: 'punct', v: c, pos: i++ });
    } else if (/[!<>=]/.test(c)) {
      const two = input.slice(i, i + 2);
      const op = ['!=', '<=', '>=', '<>'].includes(two) ? two : c;
      if (op === '!') throw new ConditionsSyntaxError(`Unexpected "!" at position ${i}. ${SYNTAX_HINT}`);
      tokens.push({ t: 'op', v: op === '<>' ? '!=' : op, pos: i });
      i += op.length;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let value = '';
      while (j < input.length && input[j] !== c) {
        if (input[j] === '\\' && j + 1 < input.length) j++;
        value += input[j++];
      }
      if (j >= input.length) throw new ConditionsSyntaxError(`Unterminated string at position ${i}. ${SYNTAX_HINT}`);
      tokens.push({ t: 'string', v: value, pos: i });
      i = j + 1;
    } else if (c === '[') {
      const end = input.indexOf(']', i);
      if (end < 0) throw new ConditionsSyntaxError(`Unterminated datetime at position ${i}. ${SYNTAX_HINT}`);
      tokens.push({ t: 'date', v: input.slice(i + 1, end).trim(), pos: i });
      i = end + 1;
    } else if (/[-\d]/.test(c) && /^-?\d/.test(input.slice(i, i + 2))) {
      const m = /^-?\d+(\.\d+)?/.exec(input.slice(i))!;
      tokens.push({ t: 'number', v: m[0], pos: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][\w/]*/.exec(input.slice(i))!;
      tokens.push({ t: 'word', v: m[0], pos: i });
      i += m[0].length;
    } else {
      throw new ConditionsSyntaxError(`Unexpected "${c}" at position ${i}. ${SYNTAX_HINT}`);
    }
  }
  return tokens;
}

export function parseConditions(input: string): ConditionNode | undefined {
  const tokens = tokenize(input);
  if (tokens.length === 0) return undefined;
  let k = 0;
  const peek = () => tokens[k];
  const isWord = (tok: Token | undefined, w: string) => tok?.t === 'word' && tok.v.toLowerCase() === w;
  const fail = (what: string): never => {
    const tok = peek();
    throw new ConditionsSyntaxError(`Expected ${what} ${tok ? `at position ${tok.pos} ("${tok.v}")` : 'at the end'}. ${SYNTAX_HINT}`);
  };

  const literal = (): Literal => {
    const tok = tokens[k++];
    if (!tok) return fail('a value');
    if (tok.t === 'string') return { kind: 'string', value: tok.v };
    if (tok.t === 'number') return { kind: 'number', value: Number(tok.v) };
    if (tok.t === 'date') {
      const ms = Date.parse(tok.v);
      if (Number.isNaN(ms)) {
        k--;
        return fail('an ISO-8601 datetime');
      }
      return { kind: 'date', value: ms };
    }
    if (tok.t === 'word') {
      const w = tok.v.toLowerCase();
      if (w === 'true' || w === 'false') return { kind: 'boolean', value: w === 'true' };
      if (w === 'null') return { kind: 'null' };
    }
    k--;
    return fail('a value');
  };

  const comparison = (): ConditionNode => {
    const field = tokens[k++];
    if (!field || field.t !== 'word') {
      k--;
      return fail('a field name');
    }
    let negate = false;
    if (isWord(peek(), 'not')) {
      negate = true;
      k++;
    }
    const opTok = tokens[k++];
    let op: Op;
    if (opTok?.t === 'op') op = opTok.v as Op;
    else if (opTok?.t === 'word' && ['like', 'contains', 'in'].includes(opTok.v.toLowerCase())) op = opTok.v.toLowerCase() as Op;
    else {
      k--;
      return fail('an operator');
    }
    const values: Literal[] = [];
    if (op === 'in') {
      if (peek()?.v !== '(') return fail('"("');
      k++;
      for (;;) {
        values.push(literal());
        const sep = tokens[k++];
        if (sep?.v === ')') break;
        if (sep?.v !== ',') {
          k--;
          return fail('"," or ")"');
        }
      }
    } else {
      values.push(literal());
    }
    return { kind: 'cmp', path: field.v.split('/').filter(Boolean), op, negate, values };
  };

  const unary = (): ConditionNode => {
    if (peek()?.v === '(' && peek()?.t === 'punct') {
      k++;
      const inner = orExpr();
      if (peek()?.v !== ')') return fail('")"');
      k++;
      return inner;
    }
    return comparison();
  };
  const andExpr = (): ConditionNode => {
    let left = unary();
    while (isWord(peek(), 'and')) {
      k++;
      left = { kind: 'and', left, right: unary() };
    }
    return left;
  };
  const orExpr = (): ConditionNode => {
    let left = andExpr();
    while (isWord(peek(), 'or')) {
      k++;
      left = { kind: 'or', left, right: andExpr() };
    }
    return left;
  };

  const tree = orExpr();
  if (k < tokens.length) fail('"and", "or" or the end');
  return tree;
}

/** Values at a slash path; field names match case-insensitively, arrays fan out. */
function valuesAt(obj: unknown, path: string[]): unknown[] {
  let current: unknown[] = [obj];
  for (const segment of path) {
    const next: unknown[] = [];
    const lower = segment.toLowerCase();
    for (const v of current) {
      for (const item of Array.isArray(v) ? v : [v]) {
        if (item && typeof item === 'object') {
          const key = Object.keys(item).find((key) => key.toLowerCase() === lower);
          next.push(key === undefined ? undefined : (item as Record<string, unknown>)[key]);
        }
      }
    }
    current = next.length ? next : [undefined];
  }
  return current.flatMap((v) => (Array.isArray(v) ? v : [v]));
}

function likeRegex(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/[%*]/g, '.*');
  return new RegExp(`^${escaped}$`, 'is');
}

function compare(value: unknown, op: Op, lit: Literal): boolean {
  if (lit.kind === 'null') {
    if (op === '=') return value === null || value === undefined;
    if (op === '!=') return value !== null && value !== undefined;
    return false;
  }
  if (value === null || value === undefined) return op === '!=';
  let a: number | string | boolean;
  let b: number | string | boolean;
  if (lit.kind === 'date') {
    a = typeof value === 'string' ? Date.parse(value) : Number.NaN;
    b = lit.value;
    if (Number.isNaN(a)) return false;
  } else if (lit.kind === 'number') {
    a = typeof value === 'number' ? value : Number(value);
    b = lit.value;
  } else if (lit.kind === 'boolean') {
    a = value === true || String(value).toLowerCase() === 'true';
    b = lit.value;
  } else {
    a = String(value).toLowerCase();
    b = lit.value.toLowerCase();
  }
  switch (op) {
    case '=':
    case 'in':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case 'like':
      return likeRegex(String(b)).test(String(value));
    case 'contains':
      return String(a).includes(String(b));
  }
}

export function evaluateConditions(node: ConditionNode | undefined, obj: unknown): boolean {
  if (!node) return true;
  if (node.kind !== 'cmp') {
    const left = evaluateConditions(node.left, obj);
    return node.kind === 'and' ? left && evaluateConditions(node.right, obj) : left || evaluateConditions(node.right, obj);
  }
  const values = valuesAt(obj, node.path);
  // "!=" and "not ..." hold when no element matches the positive form.
  const positiveOp: Op = node.op === '!=' ? '=' : node.op;
  const negate = node.negate !== (node.op === '!=');
  const matched = values.some((v) => node.values.some((lit) => compare(v, positiveOp, lit)));
  return negate ? !matched : matched;
}
