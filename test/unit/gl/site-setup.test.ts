/**
 * GL sequences and segments read from the site's own setup tables (mapped types, GL captions), and
 * one unreadable row left out and named rather than failing the whole table.
 */
import { createGlResolver, sequencesFromMappedTypes } from '../../../domain/gl';
import { readGlSetup } from '../../../integrations/connectwise';
import type { MappedTypeRow } from '../../../integrations/connectwise';

const mt = (id: number, name: string, glType: string | null, sortOrder: number): MappedTypeRow => ({ id, name, glType, sortOrder, table: 'T', recIdField: 'RecID' });
const row = (id: number, glType: string, table: string, record: string, segments: Record<string, string>) => ({
  id, glType, mappedType: { id: 1, name: table }, mappedRecord: { id: 1, name: record }, ...segments,
});

describe('sequences from the mapped types', () => {
  it('orders each GL type by sortOrder, most granular first, whatever the listing order', () => {
    const { sequences, problems } = sequencesFromMappedTypes([
      mt(1, 'My Company: Owner', 'R', 3),
      mt(2, 'Work Role', 'R', 1),
      mt(3, 'Work Type', 'R', 2),
      mt(4, 'My Company: Owner', 'AR', 1),
    ]);
    expect(problems).toEqual([]);
    expect(sequences.Revenue).toEqual(['Work Role', 'Work Type', 'My Company: Owner']);
    expect(sequences['Accounts Receivable']).toEqual(['My Company: Owner']);
    expect(sequences['Deferred Revenue']).toEqual([]);
  });

  it('leaves out and names an unknown table, a row without a GL type and a table listed twice', () => {
    const { sequences, problems } = sequencesFromMappedTypes([
      mt(1, 'Work Type', 'R', 1),
      mt(2, 'Ticket Budget', 'R', 2),
      mt(3, 'Work Type', 'R', 3),
      mt(4, 'Work Role', null, 4),
      mt(5, 'My Company: Owner', 'R', 5),
    ]);
    expect(sequences.Revenue).toEqual(['Work Type', 'My Company: Owner']);
    expect(problems).toEqual([
      'mapped type row 2 ("Ticket Budget", GL type R): unknown table; left out of the Revenue sequence',
      'mapped type row 3 ("Work Type", GL type R): listed twice for Revenue; the first listing kept',
      'mapped type row 4 ("Work Role", GL type none): no known GL account type; left out of every sequence',
    ]);
  });

  it("the site's order decides which mapping wins", () => {
    const rows = [
      row(1, 'R', 'My Company: Owner', 'Ledgerline', { segment1: 'Service Revenue' }),
      row(2, 'R', 'Work Type', 'Regular', { segment1: 'Work Type Revenue' }),
      row(3, 'R', 'Work Role', 'Engineer', { segment1: 'Work Role Revenue' }),
    ];
    const line = { accountType: 'Revenue' as const, owner: 'Ledgerline', workType: 'Regular', workRole: 'Engineer' };
    const typeFirst = readGlSetup(rows, [mt(1, 'Work Type', 'R', 1), mt(2, 'Work Role', 'R', 2), mt(3, 'My Company: Owner', 'R', 3)], []);
    const roleFirst = readGlSetup(rows, [mt(1, 'Work Type', 'R', 2), mt(2, 'Work Role', 'R', 1), mt(3, 'My Company: Owner', 'R', 3)], []);
    expect(createGlResolver(typeFirst.mappings, { sequences: typeFirst.sequences }).resolve(line).account).toBe('Work Type Revenue');
    expect(createGlResolver(roleFirst.mappings, { sequences: roleFirst.sequences }).resolve(line).account).toBe('Work Role Revenue');
  });
});

describe('segments from the GL captions', () => {
  const types = [mt(1, 'My Company: Groups', 'R', 1), mt(2, 'My Company: Owner', 'R', 2)];
  const captions = [{ id: 1, segment1: 'Main', segment1type: 'Account', segment2: 'Sub', segment2type: 'Account', segment3: 'Dept', segment3type: 'Class' }];

  it('joins the Account segments into the account and the Class segments into the class', () => {
    const setup = readGlSetup([row(7, 'R', 'My Company: Owner', 'Ledgerline', { segment1: '4000', segment2: '10', segment3: 'MS' })], types, captions);
    expect(setup.problems).toEqual([]);
    expect(setup.segments).toEqual(['account', 'class']);
    expect(setup.mappings[0]).toMatchObject({ account: '4000-10', class: 'MS', rowId: 7 });
  });

  it('without captions, segment 1 is the account and segment 2 the class', () => {
    const setup = readGlSetup([row(7, 'R', 'My Company: Owner', 'Ledgerline', { segment1: '4000', segment2: 'MS' })], types, []);
    expect(setup.mappings[0]).toMatchObject({ account: '4000', class: 'MS' });
  });

  it('one row with a partial account is named and left out; the others resolve', () => {
    const rows = [
      row(7, 'R', 'My Company: Owner', 'Ledgerline', { segment1: '4000', segment2: '10' }),
      row(8, 'R', 'My Company: Groups', 'Managed Services', { segment1: '4100', segment2: '' }),
    ];
    const setup = readGlSetup(rows, types, captions);
    expect(setup.problems).toEqual([
      'GL Accounts row 8 (Revenue / My Company: Groups / Managed Services): the account has some segments blank (the GL captions configure 2 account and 1 class segments); left out',
    ]);
    const resolver = createGlResolver(setup.mappings, { sequences: setup.sequences, segments: setup.segments, invalidRows: 'skip' });
    expect(resolver.resolve({ accountType: 'Revenue', owner: 'Ledgerline', group: 'Managed Services' }).account).toBe('4000-10');
  });
});

describe('a resolver that skips invalid rows', () => {
  it('resolves with the valid rows and names the skipped one; the default still refuses the table', () => {
    const rows = [
      { accountType: 'Revenue' as const, mappedType: 'My Company: Owner' as const, mappedRecord: 'Ledgerline', account: 'Service Revenue' },
      { accountType: 'Revenue' as const, mappedType: 'Ticket Budget' as never, mappedRecord: 'X', account: 'Odd', rowId: 12 },
    ];
    const resolver = createGlResolver(rows, { invalidRows: 'skip' });
    expect(resolver.skipped).toEqual(['GL Accounts row 12 (Revenue / Ticket Budget / X): unknown mapped type "Ticket Budget"']);
    expect(resolver.resolve({ accountType: 'Revenue', owner: 'Ledgerline' }).account).toBe('Service Revenue');
    expect(() => createGlResolver(rows)).toThrow(/GL Accounts setup table is invalid/);
  });
});
