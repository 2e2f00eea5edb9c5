import { thrown } from '../../helpers/thrown';
import { createGlResolver, OWNER_MAPPING_MISSING_MESSAGE, type GlLineContext, type GlMapping } from '../../../domain/gl';
import { naiveResolveGl } from '../../../domain/gl/naive-resolve';

const owner = (extra: Partial<GlMapping> = {}): GlMapping => ({
  accountType: 'Revenue',
  mappedType: 'My Company: Owner',
  mappedRecord: 'ME',
  ...extra,
});
const line = (ctx: Partial<GlLineContext> = {}): GlLineContext => ({ accountType: 'Revenue', owner: 'ME', ...ctx });


describe('roll-ups', () => {
  it('each field comes from the most granular mapping that sets it, even after account and class are found', () => {
    const r = createGlResolver([
      { accountType: 'Revenue-Product', mappedType: 'Product', mappedRecord: 'SSD-1TB', account: 'Hardware Sales', class: 'HW' },
      { accountType: 'Revenue-Product', mappedType: 'Products: Subcategory', mappedRecord: 'Storage', productId: 'Storage Item' },
      { accountType: 'Revenue-Product', mappedType: 'Products: Category', mappedRecord: 'Hardware', cogs: 'COGS Hardware', productId: 'Hardware Item' },
      { accountType: 'Revenue-Product', mappedType: 'My Company: Groups', mappedRecord: 'Sales', salesCode: 'S1' },
      { accountType: 'Revenue-Product', mappedType: 'My Company: Owner', mappedRecord: 'ME', account: 'Sales', inventory: 'Inventory Asset', cogs: 'COGS' },
    ]).resolve({ accountType: 'Revenue-Product', owner: 'ME', group: 'Sales', product: 'SSD-1TB', productSubcategory: 'Storage', productCategory: 'Hardware' });
    expect(r).toEqual({
      account: 'Hardware Sales',
      class: 'HW',
      productId: 'Storage Item',
      inventory: 'Inventory Asset',
      cogs: 'COGS Hardware',
      salesCode: 'S1',
      source: {
        account: 'Product: SSD-1TB',
        class: 'Product: SSD-1TB',
        productId: 'Products: Subcategory: Storage',
        inventory: 'My Company: Owner: ME',
        cogs: 'Products: Category: Hardware',
        salesCode: 'My Company: Groups: Sales',
      },
    });
  });

  it('a field nothing supplies is null and has no source', () => {
    const r = createGlResolver([owner({ account: 'Revenue' })]).resolve(line());
    expect(r).toEqual({ account: 'Revenue', class: null, productId: null, inventory: null, cogs: null, salesCode: null, source: { account: 'My Company: Owner: ME' } });
  });

  it('blank strings count as not set', () => {
    const r = createGlResolver([
      { accountType: 'Revenue', mappedType: 'Work Type', mappedRecord: 'Remote', account: '', class: 'Remote' },
      owner({ account: 'Revenue' }),
    ]).resolve(line({ workType: 'Remote' }));
    expect([r.account, r.class]).toEqual(['Revenue', 'Remote']);
  });
});

describe('precedence: a mapping that sets every segment wins whole', () => {
  const rows: GlMapping[] = [
    { accountType: 'Revenue', mappedType: 'Work Type', mappedRecord: 'Remote', account: 'Remote Revenue' },
    { accountType: 'Revenue', mappedType: 'Work Role', mappedRecord: 'Engineer', class: 'ENG' },
    { accountType: 'Revenue', mappedType: 'My Company: Groups', mappedRecord: 'MS', account: 'MS Revenue', class: 'MS', productId: 'MS Item' },
    owner({ account: 'Revenue', class: 'CORP', productId: 'Default Item' }),
  ];

  it.each<[string, Partial<GlLineContext>, [string, string], string, string]>([
    ['the most granular whole mapping beats more granular partial ones', { workType: 'Remote', workRole: 'Engineer', group: 'MS' }, ['MS Revenue', 'MS'], 'My Company: Groups: MS', 'MS Item'],
    ['the owner row is whole too when no group row applies', { workType: 'Remote', workRole: 'Engineer' }, ['Revenue', 'CORP'], 'My Company: Owner: ME', 'Default Item'],
  ])('%s', (_name, ctx, [account, cls], source, productId) => {
    const r = createGlResolver(rows).resolve(line(ctx));
    expect([r.account, r.class]).toEqual([account, cls]);
    expect([r.source.account, r.source.class]).toEqual([source, source]);
    expect(r.productId).toBe(productId);
  });

  it('without a whole mapping, segments resolve independently', () => {
    const partial = rows.slice(0, 2).concat(owner({ account: 'Revenue' }));
    const r = createGlResolver(partial).resolve(line({ workType: 'Remote', workRole: 'Engineer' }));
    expect(r).toMatchObject({ account: 'Remote Revenue', class: 'ENG', source: { account: 'Work Type: Remote', class: 'Work Role: Engineer' } });
  });

  it('with only the account segment configured, class rolls up on its own', () => {
    const r = createGlResolver(rows, { segments: ['account'] }).resolve(line({ workType: 'Remote', workRole: 'Engineer', group: 'MS' }));
    expect(r).toMatchObject({ account: 'Remote Revenue', class: 'ENG' });
  });
});

describe('errors', () => {
  it('no Owner row for the account type: ConnectWise’s message plus the account type', () => {
    const r = createGlResolver([{ accountType: 'Revenue', mappedType: 'Work Type', mappedRecord: 'Remote', account: 'Remote Revenue' }]);
    const err = thrown(() => r.resolve(line({ workType: 'Remote' })));
    expect(err.type).toBe('MappingMissing');
    expect(err.message).toBe('The Corporate Level (My Company: Owner) mapping does not exist for this Account Type. (Account Type: Revenue)');
    expect(err.message.startsWith(OWNER_MAPPING_MISSING_MESSAGE)).toBe(true);
    expect(err.fix).toContain('My Company: Owner');
  });

  it('an Owner row for another account type does not count', () => {
    const r = createGlResolver([owner({ account: 'Revenue' })]);
    const err = r.tryResolve({ accountType: 'Accounts Receivable', owner: 'ME' });
    expect(err.ok).toBe(false);
    if (!err.ok) expect(err.error.message).toContain('(Account Type: Accounts Receivable)');
  });

  it('an Owner row for another owner record does not count', () => {
    expect(thrown(() => createGlResolver([owner({ account: 'Revenue' })]).resolve(line({ owner: 'OTHERCO' }))).type).toBe('MappingMissing');
  });

  it('an unknown account type on a line is invalid input', () => {
    const err = thrown(() => createGlResolver([owner()]).resolve(line({ accountType: 'Revenues' as GlLineContext['accountType'] })));
    expect(err.type).toBe('InvalidInput');
  });

  const long = (n: number) => 'x'.repeat(n);
  it.each<[string, GlMapping[], string[]]>([
    ['a duplicate names both rows', [owner(), { accountType: 'Revenue', mappedType: 'Work Type', mappedRecord: 'A' }, owner({ account: 'Other' })], ['row 1 (Revenue / My Company: Owner / ME) and row 3 (Revenue / My Company: Owner / ME)']],
    ['"Group" and "Groups" are the same table', [{ accountType: 'Revenue', mappedType: 'My Company: Groups', mappedRecord: 'MS' }, { accountType: 'Revenue', mappedType: 'My Company: Group' as GlMapping['mappedType'], mappedRecord: 'MS' }], ['row 1', 'row 2 (Revenue / My Company: Group / MS)']],
    ['a 256-character account', [owner({ account: long(256) })], ['row 1', 'account is 256 characters; ConnectWise allows 255']],
    ['a 256-character record', [owner({ mappedRecord: long(256) })], ['mappedRecord is 256 characters']],
    ['a 256-character cogs', [owner({ cogs: long(256) })], ['cogs is 256 characters']],
    ['an unknown account type', [owner({ accountType: 'Income' as GlMapping['accountType'] })], ['unknown account type "Income"']],
    ['an unknown mapped type', [owner({ mappedType: 'Company: Owner' as GlMapping['mappedType'] })], ['unknown mapped type "Company: Owner"']],
    ['a mapped type not offered for the account type', [{ accountType: 'Accounts Receivable', mappedType: 'Work Type', mappedRecord: 'Remote' }], ['"Work Type" is not offered for account type Accounts Receivable']],
    ['an empty record', [owner({ mappedRecord: '' })], ['the mapped record is empty']],
    ['every problem in one error', [owner({ salesCode: long(300) }), owner({ accountType: 'Nope' as GlMapping['accountType'] })], ['salesCode is 300 characters', 'unknown account type "Nope"']],
  ])('setup table validation: %s', (_name, rows, fragments) => {
    const err = thrown(() => createGlResolver(rows));
    expect(err.type).toBe('MappingInvalid');
    for (const f of fragments) expect(err.message).toContain(f);
    expect(err.fix).toBeTruthy();
  });

  it('exactly 255 characters is allowed', () => {
    expect(createGlResolver([owner({ account: long(255), mappedRecord: long(255) })]).resolve(line({ owner: long(255) })).account).toBe(long(255));
  });
});

describe('compiled resolver agrees with the naive scan', () => {
  // Seeded PRNG so a failure reproduces.
  function mulberry32(seed: number) {
    return () => {
      seed |= 0;
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it('on 20 random tables x 200 random lines', async () => {
    const { GL_SEQUENCES, ACCOUNT_TYPES, GL_FIELDS } = await import('../../../domain/gl');
    const rand = mulberry32(4);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const records = ['a', 'b', 'c'];
    for (let t = 0; t < 20; t++) {
      const seen = new Set<string>();
      const rows: GlMapping[] = [];
      for (let i = 0; i < 150; i++) {
        const accountType = pick(ACCOUNT_TYPES);
        const mappedType = pick(GL_SEQUENCES[accountType]);
        const mappedRecord = pick(records);
        const key = `${accountType}|${mappedType}|${mappedRecord}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const row: GlMapping = { accountType, mappedType, mappedRecord };
        for (const f of GL_FIELDS) if (rand() < 0.4) row[f] = `${f}-${i}`;
        rows.push(row);
      }
      const resolver = createGlResolver(rows);
      for (let i = 0; i < 200; i++) {
        const maybe = () => (rand() < 0.7 ? pick(records) : undefined);
        const ctx: GlLineContext = {
          accountType: pick(ACCOUNT_TYPES), owner: pick(records), structure: maybe(), group: maybe(), serviceType: maybe(),
          projectType: rand() < 0.3 ? pick(records) : undefined, project: rand() < 0.3 ? pick(records) : undefined,
          workRole: maybe(), workType: maybe(), chargeCode: maybe(), agreementType: maybe(), product: maybe(),
          productCategory: maybe(), productSubcategory: maybe(),
          taxCodeLevel: rand() < 0.5 ? { level: 1 + Math.floor(rand() * 6), record: pick(records) } : maybe(),
          expenseTaxType: maybe(), expenseType: maybe(), paymentType: maybe(),
        };
        const fast = resolver.tryResolve(ctx);
        let slow: unknown;
        try {
          slow = { ok: true, ...naiveResolveGl(rows, ctx) };
        } catch (e) {
          slow = { ok: false, message: (e as Error).message };
        }
        expect(fast.ok ? fast : { ok: false, message: fast.error.message }).toEqual(slow);
      }
    }
  });
});
