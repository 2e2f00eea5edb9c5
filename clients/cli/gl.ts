/**
 * `gl` commands. `gl resolve` is the GL engine's JSON contract: read { mappings, lines } (a file or stdin),
 * print { results } with one entry per line. Exit 0 when the input is well formed (per-line
 * problems are results), exit 2 with a readable message when it is not.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { LedgerError } from '../../domain/errors';
import { createGlResolver } from '../../domain/gl/resolver';
import { glResolveInput } from '../../domain/gl/resolve-input';
import { GL_FIELDS, type GlLineContext, type GlMapping } from '../../domain/gl/types';
import { CliUsageError } from './errors';

export type GlResolveResult =
  | {
      ok: true;
      account: string | null;
      class: string | null;
      productId: string | null;
      inventory: string | null;
      cogs: string | null;
      salesCode: string | null;
      source: Record<string, string>;
    }
  | { ok: false; error: string };

/** The whole command as a function of its input text: easy to test, no process state. */
export function resolveGlDocument(text: string): { results: GlResolveResult[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CliUsageError(`input is not valid JSON (${(err as Error).message}): fix its syntax; it must be one object { mappings, lines }`);
  }
  const parsed = glResolveInput.safeParse(json);
  if (!parsed.success) throw new CliUsageError(`input does not match the gl resolve contract:\n${z.prettifyError(parsed.error)}`);

  let resolver;
  try {
    resolver = createGlResolver(parsed.data.mappings as GlMapping[]);
  } catch (err) {
    if (err instanceof LedgerError) throw new CliUsageError(`${err.message}\nFix: ${err.fix ?? 'see the message'}`);
    throw err;
  }
  const results = parsed.data.lines.map((line): GlResolveResult => {
    const r = resolver.tryResolve(line as GlLineContext);
    if (!r.ok) return { ok: false, error: r.error.message };
    // Trace keys in field order, whatever order the levels supplied them in.
    const source: Record<string, string> = {};
    for (const field of GL_FIELDS) if (r.source[field] !== undefined) source[field] = r.source[field];
    const { account, productId, inventory, cogs, salesCode } = r;
    return { ok: true, account, class: r.class, productId, inventory, cogs, salesCode, source };
  });
  return { results };
}

function readInput(file: string | undefined): string {
  if (file !== undefined) {
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      throw new CliUsageError(`cannot read --file ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): name an existing JSON file, or pipe the JSON on stdin`);
    }
  }
  if (process.stdin.isTTY) throw new CliUsageError('no input: pass --file <input.json> or pipe the JSON on stdin');
  return readFileSync(0, 'utf8');
}

export function registerGlCommands(program: Command): void {
  const gl = program.command('gl').description('GL engine: ConnectWise sequence logic and GL mapping');
  gl.command('resolve')
    .description('resolve GL lines against a GL Accounts setup table; prints { results } as JSON')
    .option('-f, --file <input.json>', 'input document { mappings, lines }; stdin when omitted')
    .action((opts: { file?: string }) => {
      const output = resolveGlDocument(readInput(opts.file));
      process.stdout.write(JSON.stringify(output, null, 2) + '\n');
    });
}
