/**
 * ConnectWise Manage's published REST schema, read from the typed definitions the `connectwise-rest`
 * package generates from ConnectWise's OpenAPI document (`ManageTypes.d.ts`). The declaration file
 * is walked with the TypeScript compiler API (no type checker): `components.schemas` gives each
 * model's documented fields and types, `paths` + `operations` give each endpoint's request and
 * response types. `checkValue` says where a JSON value leaves its documented type.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';

export type SchemaType =
  | { kind: 'string'; format?: string }
  | { kind: 'number'; format?: string }
  | { kind: 'boolean' }
  | { kind: 'null' }
  | { kind: 'unknown' }
  | { kind: 'literal'; value: string | number | boolean }
  | { kind: 'ref'; name: string }
  | { kind: 'array'; of: SchemaType }
  | { kind: 'union'; of: SchemaType[] }
  /** allOf: the members of every part. */
  | { kind: 'intersection'; of: SchemaType[] }
  | { kind: 'object'; fields: Map<string, Field>; index?: SchemaType };

export interface Field {
  type: SchemaType;
  optional: boolean;
}

export interface Operation {
  id: string;
  /** Success status -> response body type. */
  responses: Map<number, SchemaType>;
  /** Success statuses documented without a body (`204: never`, "No Content"). */
  noContent: Set<number>;
  requestBody?: SchemaType;
  /** Documented query parameter names. */
  query: Set<string>;
}

export interface ManageSchema {
  models: Map<string, Extract<SchemaType, { kind: 'object' }>>;
  /** Path template (`/finance/accounting/batches/{parentId}/entries`) -> method (lower case) -> operation. */
  paths: Map<string, Map<string, Operation>>;
}

const DECLARATION = require.resolve('connectwise-rest/dist/ManageTypes.d.ts');

function propName(name: ts.PropertyName): string {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  throw new Error(`unexpected property name kind ${ts.SyntaxKind[name.kind]}`);
}

function literalIndex(node: ts.TypeNode): string {
  if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) return node.literal.text;
  throw new Error(`unexpected index type ${ts.SyntaxKind[node.kind]}`);
}

/** `Format: int32` and the like from a member's leading JSDoc. */
function formatOf(text: string, member: ts.Node): string | undefined {
  const ranges = ts.getLeadingCommentRanges(text, member.pos) ?? [];
  for (const r of ranges) {
    const m = /Format: ([\w-]+)/.exec(text.slice(r.pos, r.end));
    if (m) return m[1];
  }
  return undefined;
}

function toType(node: ts.TypeNode, text: string, format?: string): SchemaType {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return format ? { kind: 'string', format } : { kind: 'string' };
    case ts.SyntaxKind.NumberKeyword:
      return format ? { kind: 'number', format } : { kind: 'number' };
    case ts.SyntaxKind.BooleanKeyword:
      return { kind: 'boolean' };
    case ts.SyntaxKind.UnknownKeyword:
    case ts.SyntaxKind.AnyKeyword:
      return { kind: 'unknown' };
  }
  if (ts.isParenthesizedTypeNode(node)) return toType(node.type, text, format);
  if (ts.isLiteralTypeNode(node)) {
    const lit = node.literal;
    if (lit.kind === ts.SyntaxKind.NullKeyword) return { kind: 'null' };
    if (lit.kind === ts.SyntaxKind.TrueKeyword) return { kind: 'literal', value: true };
    if (lit.kind === ts.SyntaxKind.FalseKeyword) return { kind: 'literal', value: false };
    if (ts.isStringLiteral(lit)) return { kind: 'literal', value: lit.text };
    if (ts.isNumericLiteral(lit)) return { kind: 'literal', value: Number(lit.text) };
  }
  if (ts.isUnionTypeNode(node)) return { kind: 'union', of: node.types.map((t) => toType(t, text, format)) };
  if (ts.isIntersectionTypeNode(node)) return { kind: 'intersection', of: node.types.map((t) => toType(t, text, format)) };
  if (ts.isArrayTypeNode(node)) return { kind: 'array', of: toType(node.elementType, text, format) };
  if (ts.isIndexedAccessTypeNode(node)) {
    // components["schemas"]["Name"]
    const outer = node.objectType;
    if (ts.isIndexedAccessTypeNode(outer) && ts.isTypeReferenceNode(outer.objectType) && outer.objectType.typeName.getText() === 'components') {
      return { kind: 'ref', name: literalIndex(node.indexType) };
    }
    throw new Error(`unexpected indexed access ${node.getText()}`);
  }
  if (ts.isTypeLiteralNode(node)) return objectType(node, text);
  throw new Error(`unexpected type node ${ts.SyntaxKind[node.kind]}: ${node.getText().slice(0, 80)}`);
}

function objectType(node: ts.TypeLiteralNode, text: string): Extract<SchemaType, { kind: 'object' }> {
  const fields = new Map<string, Field>();
  let index: SchemaType | undefined;
  for (const m of node.members) {
    if (ts.isPropertySignature(m) && m.type) {
      fields.set(propName(m.name), { type: toType(m.type, text, formatOf(text, m)), optional: !!m.questionToken });
    } else if (ts.isIndexSignatureDeclaration(m)) {
      index = toType(m.type, text);
    }
  }
  return index ? { kind: 'object', fields, index } : { kind: 'object', fields };
}

function interfaceMembers(sf: ts.SourceFile, name: string): ts.NodeArray<ts.TypeElement> {
  for (const st of sf.statements) if (ts.isInterfaceDeclaration(st) && st.name.text === name) return st.members;
  throw new Error(`ManageTypes.d.ts has no interface ${name}`);
}

function member(members: ts.NodeArray<ts.TypeElement>, name: string): ts.TypeNode | undefined {
  for (const m of members) if (ts.isPropertySignature(m) && m.type && propName(m.name) === name) return m.type;
  return undefined;
}

function typeLiteralMember(node: ts.TypeNode | undefined, name: string): ts.TypeNode | undefined {
  return node && ts.isTypeLiteralNode(node) ? member(node.members, name) : undefined;
}

/** The one media type's body type of a `{ content: { "<media>": T } }` literal. */
function contentType(node: ts.TypeNode | undefined, text: string): SchemaType | undefined {
  const content = typeLiteralMember(node, 'content');
  if (!content || !ts.isTypeLiteralNode(content)) return undefined;
  const first = content.members.find(ts.isPropertySignature);
  return first?.type ? toType(first.type, text) : undefined;
}

/** allOf of object literals (and of models already read) as one object. */
function mergeParts(parts: SchemaType[], models?: Map<string, Extract<SchemaType, { kind: 'object' }>>): Extract<SchemaType, { kind: 'object' }> | undefined {
  const fields = new Map<string, Field>();
  for (const p of parts) {
    const o = p.kind === 'ref' ? models?.get(p.name) : p;
    if (!o || o.kind !== 'object') return undefined;
    for (const [k, f] of o.fields) fields.set(k, f);
  }
  return { kind: 'object', fields };
}

let cached: ManageSchema | undefined;

export function loadManageSchema(): ManageSchema {
  if (cached) return cached;
  const text = readFileSync(DECLARATION, 'utf8');
  const sf = ts.createSourceFile(DECLARATION, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);

  const models = new Map<string, Extract<SchemaType, { kind: 'object' }>>();
  const schemas = member(interfaceMembers(sf, 'components'), 'schemas');
  if (!schemas || !ts.isTypeLiteralNode(schemas)) throw new Error('components.schemas not found');
  for (const m of schemas.members) {
    if (!ts.isPropertySignature(m) || !m.type) continue;
    const t = toType(m.type, text);
    const merged = t.kind === 'intersection' ? mergeParts(t.of) : t;
    if (merged?.kind === 'object') models.set(propName(m.name), merged);
  }

  const operations = new Map<string, Operation>();
  for (const m of interfaceMembers(sf, 'operations')) {
    if (!ts.isPropertySignature(m) || !m.type || !ts.isTypeLiteralNode(m.type)) continue;
    const id = propName(m.name);
    const responses = new Map<number, SchemaType>();
    const noContent = new Set<number>();
    const res = member(m.type.members, 'responses');
    if (res && ts.isTypeLiteralNode(res)) {
      for (const r of res.members) {
        if (!ts.isPropertySignature(r)) continue;
        if (r.type?.kind === ts.SyntaxKind.NeverKeyword) noContent.add(Number(propName(r.name)));
        const body = contentType(r.type, text);
        if (body) responses.set(Number(propName(r.name)), body);
      }
    }
    const query = new Set<string>();
    const q = typeLiteralMember(member(m.type.members, 'parameters'), 'query');
    if (q && ts.isTypeLiteralNode(q)) for (const p of q.members) if (p.name) query.add(propName(p.name));
    const requestBody = contentType(member(m.type.members, 'requestBody'), text);
    operations.set(id, requestBody ? { id, responses, noContent, query, requestBody } : { id, responses, noContent, query });
  }

  const paths = new Map<string, Map<string, Operation>>();
  for (const m of interfaceMembers(sf, 'paths')) {
    if (!ts.isPropertySignature(m) || !m.type || !ts.isTypeLiteralNode(m.type)) continue;
    const methods = new Map<string, Operation>();
    for (const op of m.type.members) {
      if (!ts.isPropertySignature(op) || !op.type || !ts.isIndexedAccessTypeNode(op.type)) continue;
      const operation = operations.get(literalIndex(op.type.indexType));
      if (operation) methods.set(propName(op.name), operation);
    }
    paths.set(propName(m.name), methods);
  }
  cached = { models, paths };
  return cached;
}

/** The documented operation for a concrete path (`/finance/accounting/batches/3/entries`), or undefined. */
export function operationFor(schema: ManageSchema, method: string, path: string): { template: string; operation: Operation } | undefined {
  const segments = path.split('?')[0]!.replace(/\/$/, '').split('/');
  let best: { template: string; operation: Operation; literal: number } | undefined;
  for (const [template, methods] of schema.paths) {
    const t = template.split('/');
    if (t.length !== segments.length) continue;
    let literal = 0;
    const fits = t.every((seg, i) => {
      if (/^\{\w+\}$/.test(seg)) return /^\d+$/.test(segments[i]!);
      literal++;
      return seg.toLowerCase() === segments[i]!.toLowerCase();
    });
    const operation = methods.get(method.toLowerCase());
    if (fits && operation && (!best || literal > best.literal)) best = { template, operation, literal };
  }
  return best && { template: best.template, operation: best.operation };
}

/** The fields a model documents (`GLExportTransaction` -> `id`, `glClass`, ...). */
export function modelFields(schema: ManageSchema, model: string): Map<string, Field> {
  const m = schema.models.get(model);
  if (!m) throw new Error(`the published schema has no model ${model}`);
  return m.fields;
}

export function describe(t: SchemaType): string {
  switch (t.kind) {
    case 'ref':
      return t.name;
    case 'array':
      return `${describe(t.of)}[]`;
    case 'union':
      return t.of.map(describe).join(' | ');
    case 'intersection':
      return t.of.map(describe).join(' & ');
    case 'literal':
      return JSON.stringify(t.value);
    case 'object':
      return '{…}';
    case 'string':
    case 'number':
      return t.format ? `${t.kind} (${t.format})` : t.kind;
    default:
      return t.kind;
  }
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Where `value` leaves type `t`: one line per problem, naming the JSON path and the model field.
 * `required`: also report missing required fields (request bodies; answers may omit any field).
 */
export function checkValue(schema: ManageSchema, value: unknown, t: SchemaType, at = '$', model = '', required = false): string[] {
  const sub = (v: unknown, type: SchemaType, path: string, m: string) => checkValue(schema, v, type, path, m, required);
  const fits = (ok: boolean, what = describe(t)): string[] => (ok ? [] : [`${at}: ${JSON.stringify(value)?.slice(0, 60)} is not ${what}${model ? ` (${model})` : ''}`]);
  switch (t.kind) {
    case 'unknown':
      return [];
    case 'null':
      return fits(value === null);
    case 'boolean':
      return fits(typeof value === 'boolean');
    case 'literal':
      return fits(value === t.value);
    case 'string':
      if (typeof value !== 'string') return fits(false);
      if (t.format === 'date-time') return fits(DATE_TIME.test(value));
      if (t.format === 'date') return fits(DATE.test(value) || DATE_TIME.test(value));
      return [];
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return fits(false);
      if (t.format === 'int32' || t.format === 'int64') return fits(Number.isInteger(value));
      return [];
    case 'array':
      if (!Array.isArray(value)) return fits(false);
      return value.flatMap((v, i) => sub(v, t.of, `${at}[${i}]`, model));
    case 'union': {
      const each = t.of.map((o) => sub(value, o, at, model));
      if (each.some((p) => p.length === 0)) return [];
      // Report the alternative that got furthest (fewest problems), e.g. the model for a `T | null`.
      return each.reduce((a, b) => (b.length < a.length ? b : a));
    }
    case 'intersection': {
      const merged = mergeParts(t.of, schema.models);
      if (!merged) return [`${at}: cannot merge ${describe(t)}`];
      return sub(value, merged, at, model);
    }
    case 'ref': {
      const m = schema.models.get(t.name);
      if (!m) return [`${at}: model ${t.name} is not in the published schema`];
      return sub(value, m, at, t.name);
    }
    case 'object': {
      if (!value || typeof value !== 'object' || Array.isArray(value)) return fits(false, model || 'an object');
      const problems: string[] = [];
      for (const [k, v] of Object.entries(value)) {
        const f = t.fields.get(k);
        if (f) problems.push(...sub(v, f.type, `${at}.${k}`, model ? `${model}.${k}` : k));
        else if (t.index) problems.push(...sub(v, t.index, `${at}.${k}`, model));
        else problems.push(`${at}.${k}: field not defined by ${model || 'the schema'}`);
      }
      if (required) {
        for (const [k, f] of t.fields) if (!f.optional && !(k in value)) problems.push(`${at}.${k}: required by ${model || 'the schema'}, missing`);
      }
      return problems;
    }
  }
}

/** The element model of a response type (`UnpostedInvoice[]` -> UnpostedInvoice). */
export function itemModel(t: SchemaType | undefined): string | undefined {
  if (!t) return undefined;
  if (t.kind === 'array') return itemModel(t.of);
  return t.kind === 'ref' ? t.name : undefined;
}

/**
 * Whether a condition/orderBy/fields path (`status/id`, `company/name`) names documented fields
 * of `model`, following references. Returns the first segment that does not, or undefined.
 */
export function undocumentedPath(schema: ManageSchema, model: string, path: string): string | undefined {
  let current: SchemaType | undefined = { kind: 'ref', name: model };
  for (const seg of path.split('/')) {
    while (current && (current.kind === 'ref' || current.kind === 'array' || current.kind === 'union')) {
      if (current.kind === 'ref') current = schema.models.get(current.name);
      else if (current.kind === 'array') current = current.of;
      else current = current.of.find((o) => o.kind !== 'null');
    }
    const field: Field | undefined = current?.kind === 'object' ? current.fields.get(seg) : undefined;
    // A key of a documented map (`_info` is string -> string): the schema names no keys.
    const mapped: SchemaType | undefined = !field && current?.kind === 'object' ? current.index : undefined;
    if (!field && !mapped) return seg;
    current = field ? field.type : mapped;
  }
  return undefined;
}

/**
 * `value` with every field type `t` does not define left out (recursively), as a client that reads
 * only the published schema would see it; `removed` collects the JSON paths left out.
 */
export function documentedOnly(schema: ManageSchema, value: unknown, t: SchemaType, removed: string[] = [], at = '$'): unknown {
  if (value === null || typeof value !== 'object') return value;
  switch (t.kind) {
    case 'ref': {
      const m = schema.models.get(t.name);
      return m ? documentedOnly(schema, value, m, removed, at) : value;
    }
    case 'array':
      return Array.isArray(value) ? value.map((v, i) => documentedOnly(schema, v, t.of, removed, `${at}[${i}]`)) : value;
    case 'union': {
      // The alternative of the value's own kind (an object model, or an array).
      const fit = t.of.find((o) => (Array.isArray(value) ? o.kind === 'array' : o.kind === 'ref' || o.kind === 'object' || o.kind === 'intersection'));
      return fit ? documentedOnly(schema, value, fit, removed, at) : value;
    }
    case 'intersection': {
      const merged = mergeParts(t.of, schema.models);
      return merged ? documentedOnly(schema, value, merged, removed, at) : value;
    }
    case 'object': {
      if (Array.isArray(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const f = t.fields.get(k)?.type ?? t.index;
        if (f) out[k] = documentedOnly(schema, v, f, removed, `${at}.${k}`);
        else removed.push(`${at}.${k}`);
      }
      return out;
    }
    default:
      return value;
  }
}
