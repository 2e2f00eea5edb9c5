/** ConnectWise's documented example GL tables, row for row, and what each scenario promises. */
import { createGlResolver, type GlLineContext, type GlMapping } from '../../../domain/gl';
import { LedgerError } from '../../../domain/errors';

// "Sample revenue mapping data", as written in the seed (note "My Company: Group").
const SAMPLE_REVENUE: GlMapping[] = [
  { accountType: 'Revenue', mappedType: 'My Company: Owner', mappedRecord: 'MYCOMPANY', account: 'Revenue' },
  { accountType: 'Revenue', mappedType: 'My Company: Group' as GlMapping['mappedType'], mappedRecord: 'Managed Services', account: 'Managed Services Revenue' },
  { accountType: 'Revenue', mappedType: 'My Company: Group' as GlMapping['mappedType'], mappedRecord: 'Professional Services', account: 'Prof. Services Revenue' },
  { accountType: 'Revenue', mappedType: 'My Company: Group' as GlMapping['mappedType'], mappedRecord: 'Web Services', account: 'Web Revenue' },
  { accountType: 'Revenue', mappedType: 'My Company: Owner', mappedRecord: 'MYCOMPANY', account: 'Service Revenue' },
  { accountType: 'Revenue', mappedType: 'Project: Type', mappedRecord: 'Installation', account: 'Project Revenue' },
  { accountType: 'Revenue', mappedType: 'Project: Type', mappedRecord: 'Web Site', account: 'Project Revenue' },
  { accountType: 'Revenue', mappedType: 'Project: Type', mappedRecord: 'Network', account: 'Project Revenue' },
];

const revenue = (ctx: Partial<GlLineContext>): GlLineContext => ({ accountType: 'Revenue', owner: 'MYCOMPANY', ...ctx });

describe('documented example: sample revenue mapping data', () => {
  it('is a menu of scenarios: loaded together, its two Owner rows are a duplicate naming both', () => {
    const err = (() => {
      try {
        createGlResolver(SAMPLE_REVENUE);
      } catch (e) {
        return e as LedgerError;
      }
      throw new Error('expected a validation error');
    })();
    expect(err.type).toBe('MappingInvalid');
    expect(err.message).toContain('row 1 (Revenue / My Company: Owner / MYCOMPANY) and row 5 (Revenue / My Company: Owner / MYCOMPANY)');
  });

  it('scenario "one account for all revenue": every revenue line lands on Revenue', () => {
    const r = createGlResolver([SAMPLE_REVENUE[0]]);
    for (const ctx of [{}, { group: 'Web Services' }, { workType: 'Remote' }, { project: 'P', projectType: 'Network' }]) {
      expect(r.resolve(revenue(ctx))).toMatchObject({ account: 'Revenue', source: { account: 'My Company: Owner: MYCOMPANY' } });
    }
  });

  const groupsAndProjects = createGlResolver(SAMPLE_REVENUE.slice(1));

  it.each<[string, Partial<GlLineContext>, string, string]>([
    ['Managed Services group', { group: 'Managed Services' }, 'Managed Services Revenue', 'My Company: Groups: Managed Services'],
    ['Professional Services group', { group: 'Professional Services' }, 'Prof. Services Revenue', 'My Company: Groups: Professional Services'],
    ['Web Services group', { group: 'Web Services' }, 'Web Revenue', 'My Company: Groups: Web Services'],
    ['a group with no row falls to the owner', { group: 'Help Desk' }, 'Service Revenue', 'My Company: Owner: MYCOMPANY'],
    ['project type Installation', { project: 'Acme', projectType: 'Installation', group: 'Web Services' }, 'Project Revenue', 'Project: Type: Installation'],
    ['project type Web Site', { project: 'Acme', projectType: 'Web Site' }, 'Project Revenue', 'Project: Type: Web Site'],
    ['project type Network', { project: 'Acme', projectType: 'Network' }, 'Project Revenue', 'Project: Type: Network'],
    ['an unmapped project type rolls up to its group', { project: 'Acme', projectType: 'Cabling', group: 'Web Services' }, 'Web Revenue', 'My Company: Groups: Web Services'],
    ['service time named like a project type is not project revenue', { serviceType: 'Network' }, 'Service Revenue', 'My Company: Owner: MYCOMPANY'],
  ])('%s', (_name, ctx, account, source) => {
    const r = groupsAndProjects.resolve(revenue(ctx));
    expect(r.account).toBe(account);
    expect(r.source.account).toBe(source);
    expect(r.class).toBeNull();
  });
});

describe('documented example: multi-segment accounts', () => {
  // "N/A" in the seed means the field is left blank.
  const rows: GlMapping[] = [
    { accountType: 'Revenue', mappedType: 'My Company: Groups', mappedRecord: 'Managed Services', class: 'MS' },
    { accountType: 'Revenue', mappedType: 'My Company: Groups', mappedRecord: 'Web Services', class: 'Web' },
    { accountType: 'Revenue', mappedType: 'My Company: Groups', mappedRecord: 'Professional Services', class: 'PS' },
    { accountType: 'Revenue', mappedType: 'My Company: Owner', mappedRecord: 'MYCOMPANY', account: 'Service Revenue' },
    { accountType: 'Revenue', mappedType: 'Project: Type', mappedRecord: 'Service', account: 'Project Revenue' },
    { accountType: 'Revenue', mappedType: 'Project: Type', mappedRecord: 'Web', account: 'Project Revenue' },
  ];
  const resolver = createGlResolver(rows);

  it.each<[string, Partial<GlLineContext>, string, string | null]>([
    ['managed services ticket time', { group: 'Managed Services', serviceType: 'Break/Fix' }, 'Service Revenue', 'MS'],
    ['web project time', { group: 'Web Services', project: 'Site', projectType: 'Web' }, 'Project Revenue', 'Web'],
    ['professional services "Service" project', { group: 'Professional Services', project: 'Migr', projectType: 'Service' }, 'Project Revenue', 'PS'],
    ['professional services ticket time', { group: 'Professional Services' }, 'Service Revenue', 'PS'],
    ['no group: the class stays blank', {}, 'Service Revenue', null],
  ])('%s', (_name, ctx, account, cls) => {
    const r = resolver.resolve(revenue(ctx));
    expect([r.account, r.class]).toEqual([account, cls]);
    if (cls) expect(r.source.class).toBe(`My Company: Groups: ${ctx.group}`);
  });
});
