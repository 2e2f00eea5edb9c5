/**
 * The product's import graph, read from the source: the product never reaches development tooling,
 * tests or benchmarks; domain/ depends on no outer layer; workflows/ see activities/ and
 * integrations/ only as types (workflow code runs in the sandboxed bundle, activities do not).
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '..', '..', '..');
const PRODUCT = ['domain', 'integrations', 'activities', 'workflows', 'workers', 'clients', 'config'];
const NOT_PRODUCT = ['dev', 'test', 'bench', 'scripts'];
const OUTER_LAYERS_OF_DOMAIN = ['integrations', 'activities', 'workflows', 'workers', 'clients'];
const TYPES_ONLY_FOR_WORKFLOWS = ['activities', 'integrations'];

interface ImportRef {
  /** The specifier as written. */
  spec: string;
  line: number;
  /** True when the import disappears at compile time (`import type`, `export type`, `import('x').T`). */
  typeOnly: boolean;
}

/** Every module reference of one file: import/export declarations, import = require, require(), import(). */
function importsOf(fileName: string, text: string): ImportRef[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const refs: ImportRef[] = [];
  const add = (literal: ts.Node, typeOnly: boolean) => {
    if (!ts.isStringLiteralLike(literal)) return;
    refs.push({ spec: literal.text, line: source.getLineAndCharacterOfPosition(literal.getStart()).line + 1, typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      add(node.moduleSpecifier, node.importClause?.isTypeOnly ?? false);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      add(node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, true);
    } else if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const callee = node.expression;
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      const isRequireResolve = ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'require' && callee.name.text === 'resolve';
      if (isImport || isRequire || isRequireResolve) add(node.arguments[0]!, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return refs;
}

/** The repository's top-level folder a relative specifier lands in, or undefined for packages. */
function topFolderOf(fromFile: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const target = relative(ROOT, resolve(dirname(fromFile), spec));
  return target.split(sep)[0];
}

function packageOf(spec: string): string | undefined {
  if (spec.startsWith('.') || spec.startsWith('node:')) return undefined;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
const DEV_ONLY_PACKAGES = new Set(Object.keys(pkg.devDependencies ?? {}).filter((name) => !(name in (pkg.dependencies ?? {}))));

type Rule = 'tooling' | 'domain' | 'workflows' | 'packages';

/** What is wrong with one file's imports, one message per offending import, by rule. */
function violationsOf(file: string, text: string): { rule: Rule; message: string }[] {
  const rel = relative(ROOT, file);
  const layer = rel.split(sep)[0]!;
  const out: { rule: Rule; message: string }[] = [];
  for (const ref of importsOf(file, text)) {
    const where = `${rel.split(sep).join('/')}:${ref.line} imports '${ref.spec}'`;
    const folder = topFolderOf(file, ref.spec);
    const name = packageOf(ref.spec);
    if (folder !== undefined && NOT_PRODUCT.includes(folder)) out.push({ rule: 'tooling', message: `${where}: the product never imports ${folder}/` });
    if (layer === 'domain' && folder !== undefined && OUTER_LAYERS_OF_DOMAIN.includes(folder)) {
      out.push({ rule: 'domain', message: `${where}: domain/ depends on no outer layer (${folder}/)` });
    }
    if (layer === 'workflows' && folder !== undefined && TYPES_ONLY_FOR_WORKFLOWS.includes(folder) && !ref.typeOnly) {
      out.push({ rule: 'workflows', message: `${where}: workflows/ import ${folder}/ only with \`import type\`` });
    }
    if (name !== undefined && DEV_ONLY_PACKAGES.has(name) && !ref.typeOnly) {
      out.push({ rule: 'packages', message: `${where}: ${name} is a devDependency, absent from the production image` });
    }
  }
  return out;
}

const messagesOf = (file: string, text: string) => violationsOf(file, text).map((v) => v.message);

function tsFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFilesUnder(path);
    return /\.[cm]?ts$/.test(entry.name) ? [path] : [];
  });
}

const productFiles = PRODUCT.flatMap((folder) => tsFilesUnder(join(ROOT, folder)));

describe('the product import graph', () => {
  it('reads the product source', () => {
    for (const folder of ['domain', 'integrations', 'activities', 'workflows', 'workers', 'clients']) {
      expect(productFiles.some((f) => relative(ROOT, f).startsWith(folder + sep))).toBe(true);
    }
  });

  const violations = productFiles.flatMap((file) => violationsOf(file, readFileSync(file, 'utf8')));
  const broken = (rule: Rule) => violations.filter((v) => v.rule === rule).map((v) => v.message);

  it('never reaches dev/, test/, bench/ or scripts/', () => expect(broken('tooling')).toEqual([]));
  it('keeps domain/ free of integrations/, activities/, workflows/, workers/ and clients/', () => expect(broken('domain')).toEqual([]));
  it('lets workflows/ see activities/ and integrations/ only through `import type`', () => expect(broken('workflows')).toEqual([]));
  it('loads no devDependency at run time', () => expect(broken('packages')).toEqual([]));
});

describe('the import checker', () => {
  const at = (path: string) => join(ROOT, ...path.split('/'));

  it('finds every form of module reference, with its line', () => {
    const text = [
      "import { a } from './a';",
      "import type { B } from './b';",
      "export { c } from './c';",
      "export type { D } from './d';",
      "import e = require('./e');",
      "const f = require('./f');",
      "const g = import('./g');",
      "type H = import('./h').H;",
      "const i = require.resolve('./i');",
      "import './j';",
    ].join('\n');
    expect(importsOf(at('workers/x.ts'), text)).toEqual([
      { spec: './a', line: 1, typeOnly: false },
      { spec: './b', line: 2, typeOnly: true },
      { spec: './c', line: 3, typeOnly: false },
      { spec: './d', line: 4, typeOnly: true },
      { spec: './e', line: 5, typeOnly: false },
      { spec: './f', line: 6, typeOnly: false },
      { spec: './g', line: 7, typeOnly: false },
      { spec: './h', line: 8, typeOnly: true },
      { spec: './i', line: 9, typeOnly: false },
      { spec: './j', line: 10, typeOnly: false },
    ]);
  });

  it('names the file, the line and the import that break a rule', () => {
    expect(messagesOf(at('clients/cli/main.ts'), "\nimport { startLedgerStack } from '../../dev/stack/ledger-stack';")).toEqual([
      "clients/cli/main.ts:2 imports '../../dev/stack/ledger-stack': the product never imports dev/",
    ]);
    expect(messagesOf(at('workers/main.ts'), "import type { X } from '../test/helpers/thrown';")).toHaveLength(1);
    expect(messagesOf(at('domain/gl/x.ts'), "import { ConnectWiseClient } from '../../integrations/connectwise';")).toEqual([
      "domain/gl/x.ts:1 imports '../../integrations/connectwise': domain/ depends on no outer layer (integrations/)",
    ]);
    expect(messagesOf(at('workflows/x.ts'), "import { createActivities } from '../activities';")).toEqual([
      "workflows/x.ts:1 imports '../activities': workflows/ import activities/ only with `import type`",
    ]);
    expect(messagesOf(at('workers/x.ts'), "import { TestWorkflowEnvironment } from '@temporalio/testing';")).toEqual([
      "workers/x.ts:1 imports '@temporalio/testing': @temporalio/testing is a devDependency, absent from the production image",
    ]);
  });

  it('lets the allowed imports through', () => {
    expect(messagesOf(at('workflows/x.ts'), "import type { LedgerActivities } from '../activities/contracts';\nimport { z } from 'zod';")).toEqual([]);
    expect(messagesOf(at('activities/x.ts'), "import { ConnectWiseClient } from '../integrations/connectwise';\nimport { join } from 'node:path';")).toEqual([]);
    expect(messagesOf(at('domain/x.ts'), "import { GL_FIELDS } from './gl/types';")).toEqual([]);
  });
});
