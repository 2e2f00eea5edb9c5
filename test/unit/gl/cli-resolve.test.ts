/** The `gl resolve` contract, exercised the way tools call it: through npm, as a process. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

function cli(args: string[], stdin?: string) {
  const r = spawnSync('npm', ['run', '--silent', 'cli', '--', 'gl', 'resolve', ...args], {
    cwd: ROOT,
    input: stdin ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const INPUT = {
  mappings: [
    { accountType: 'Revenue', mappedType: 'My Company: Group', mappedRecord: 'Web Services', class: 'Web' },
    { accountType: 'Revenue', mappedType: 'My Company: Owner', mappedRecord: 'MYCOMPANY', account: 'Service Revenue' },
    { accountType: 'Revenue', mappedType: 'Project: Type', mappedRecord: 'Web', account: 'Project Revenue', productId: 'Web Dev' },
  ],
  lines: [
    { accountType: 'Revenue', owner: 'MYCOMPANY', group: 'Web Services', project: 'Site', projectType: 'Web' },
    { accountType: 'Accounts Receivable', owner: 'MYCOMPANY' },
    { accountType: 'Revenue', owner: 'MYCOMPANY' },
  ],
};

const EXPECTED = {
  results: [
    {
      ok: true,
      account: 'Project Revenue',
      class: 'Web',
      productId: 'Web Dev',
      inventory: null,
      cogs: null,
      salesCode: null,
      source: { account: 'Project: Type: Web', class: 'My Company: Groups: Web Services', productId: 'Project: Type: Web' },
    },
    { ok: false, error: 'The Corporate Level (My Company: Owner) mapping does not exist for this Account Type. (Account Type: Accounts Receivable)' },
    { ok: true, account: 'Service Revenue', class: null, productId: null, inventory: null, cogs: null, salesCode: null, source: { account: 'My Company: Owner: MYCOMPANY' } },
  ],
};

describe('npm run --silent cli -- gl resolve', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gl-resolve-'));
  const file = (name: string, body: string) => {
    const p = join(dir, name);
    writeFileSync(p, body);
    return p;
  };

  it('reads --file and prints one JSON document, one result per line, exit 0', () => {
    const r = cli(['--file', file('ok.json', JSON.stringify(INPUT))]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(EXPECTED);
  });

  it('reads stdin when no file is given', () => {
    const r = cli([], JSON.stringify(INPUT));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(EXPECTED);
  });

  it.each<[string, string, RegExp]>([
    ['not JSON', '{"mappings": [', /not valid JSON/],
    ['a misspelt account type', JSON.stringify({ mappings: [], lines: [{ accountType: 'Revenu', owner: 'X' }] }), /unknown account type "Revenu"[\s\S]*lines\[0\]\.accountType/],
    ['an unknown key', JSON.stringify({ mappings: [], lines: [{ accountType: 'Revenue', owner: 'X', workrole: 'Eng' }] }), /workrole/],
    ['missing lines', JSON.stringify({ mappings: [] }), /lines/],
    ['an unknown mapped type', JSON.stringify({ mappings: [{ accountType: 'Revenue', mappedType: 'Work Types', mappedRecord: 'R' }], lines: [] }), /unknown mapped type "Work Types"/],
    [
      'a duplicate in the setup table',
      JSON.stringify({ mappings: [INPUT.mappings[1], INPUT.mappings[1]], lines: [] }),
      /row 1 \(Revenue \/ My Company: Owner \/ MYCOMPANY\) and row 2/,
    ],
    ['a field over 255 characters', JSON.stringify({ mappings: [{ ...INPUT.mappings[1], account: 'a'.repeat(256) }], lines: [] }), /256 characters/],
  ])('exits 2 with a readable message for %s', (_name, body, message) => {
    const r = cli(['--file', file('bad.json', body)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('exits 2 when the file does not exist', () => {
    const r = cli(['--file', join(dir, 'missing.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read --file .*missing\.json \(ENOENT\): name an existing JSON file, or pipe the JSON on stdin/);
  });

  it('exits 2 on an unknown option', () => {
    expect(cli(['--fiel', 'x.json']).code).toBe(2);
  });
});
