import { GL_SEQUENCES, createGlResolver, type AccountType, type GlLineContext, type GlMapping, type MappedType } from '../../../domain/gl';
import { ACCOUNT_TYPES, ACCOUNT_TYPE_CODES } from '../../../domain/gl/types';

const COMPANY = ['My Company: Groups', 'My Company: Structure', 'My Company: Owner'];
const PRODUCT = ['Product', 'Products: Subcategory', 'Products: Category'];
const TAX = [1, 2, 3, 4, 5, 6].map((n) => `Tax Code: Level ${n}`);

/** The order written down, checked type by type so a change to sequences.ts is a visible decision. */
const EXPECTED: Record<AccountType, string[]> = {
  'Accounts Receivable': COMPANY,
  'Accounts Payable': COMPANY,
  Revenue: ['Work Type', 'Charge Code', 'Individual Project', 'Work Role', 'Service: Type', 'Project: Type', ...COMPANY],
  'Deferred Revenue': ['Agreement: Type', ...COMPANY],
  'Revenue-Product': [...PRODUCT, ...COMPANY],
  'Revenue-Agreements': ['Agreement: Type', ...COMPANY],
  'Revenue-Agreement Product': [...PRODUCT, 'Agreement: Type', ...COMPANY],
  'Product Discount': [...PRODUCT, ...COMPANY],
  'Sales Tax Payable': [...TAX, ...COMPANY],
  'Expense Tax': ['Expense Tax Type', ...COMPANY],
  'Expense Offset': ['Expense: Payment Type', ...COMPANY],
  'Expense Internal': ['Charge Code-Expense Type', ...COMPANY],
  'Expense External': COMPANY,
  'Revenue-Expenses': ['Charge Code', 'Individual Project', 'Service: Type', 'Project: Type', ...COMPANY],
  'Inventory Adjustments': [...PRODUCT, ...COMPANY],
  'Inventory Transfer': [...PRODUCT, ...COMPANY],
  'Purchase Order Freight': [...PRODUCT, ...COMPANY],
  'Purchase Order Freight Tax': [...TAX, ...COMPANY],
  'Purchase Order Product Tax': [...TAX, ...COMPANY],
};

describe('account types', () => {
  it('has all 19 with their ConnectWise glType codes', () => {
    expect(ACCOUNT_TYPES).toHaveLength(19);
    expect(new Set(Object.values(ACCOUNT_TYPE_CODES)).size).toBe(19);
    expect(ACCOUNT_TYPE_CODES).toMatchObject({ Revenue: 'R', 'Revenue-Agreement Product': 'P', 'Product Discount': 'SD' });
  });
});

describe.each(ACCOUNT_TYPES)('sequence of %s', (accountType) => {
  const sequence = GL_SEQUENCES[accountType];

  it('is written down most to least granular, ending at My Company: Owner', () => {
    expect(sequence).toEqual(EXPECTED[accountType]);
    expect(sequence[sequence.length - 1]).toBe('My Company: Owner');
    expect(new Set(sequence).size).toBe(sequence.length);
  });

  // A line that names a record at every level; the project variant is project time.
  const fullLine = (project: boolean): GlLineContext => ({
    accountType,
    owner: 'rec',
    structure: 'rec',
    group: 'rec',
    ...(project ? { project: 'rec', projectType: 'rec' } : { serviceType: 'rec' }),
    workRole: 'rec',
    workType: 'rec',
    chargeCode: 'rec',
    agreementType: 'rec',
    product: 'rec',
    productCategory: 'rec',
    productSubcategory: 'rec',
    taxCodeLevel: 'rec',
    expenseTaxType: 'rec',
    expenseType: 'rec',
    paymentType: 'rec',
  });
  const applies = (mappedType: MappedType, project: boolean) =>
    project ? mappedType !== 'Service: Type' : mappedType !== 'Project: Type' && mappedType !== 'Individual Project';

  it.each([false, true])('each level wins over every level after it (project time: %s)', (project) => {
    for (let from = 0; from < sequence.length; from++) {
      const rows: GlMapping[] = sequence.slice(from).map((mappedType) => ({
        accountType,
        mappedType,
        mappedRecord: 'rec',
        account: `acct of ${mappedType}`,
      }));
      const expected = sequence.slice(from).find((t) => applies(t, project))!;
      const resolved = createGlResolver(rows).resolve(fullLine(project));
      expect(resolved.account).toBe(`acct of ${expected}`);
      expect(resolved.source.account).toBe(`${expected}: rec`);
    }
  });

  it('ignores mappings of other account types', () => {
    const other = ACCOUNT_TYPES.find((t) => t !== accountType)!;
    const rows: GlMapping[] = [
      { accountType, mappedType: 'My Company: Owner', mappedRecord: 'rec', account: 'mine' },
      ...GL_SEQUENCES[other].map((mappedType) => ({ accountType: other, mappedType, mappedRecord: 'rec', account: 'theirs' })),
    ];
    expect(createGlResolver(rows).resolve(fullLine(false)).account).toBe('mine');
  });
});

describe('Service Type and Project Type', () => {
  const rows: GlMapping[] = [
    { accountType: 'Revenue', mappedType: 'My Company: Owner', mappedRecord: 'MYCOMPANY', account: 'Service Revenue' },
    { accountType: 'Revenue', mappedType: 'Service: Type', mappedRecord: 'Installation', account: 'Service Install Revenue' },
    { accountType: 'Revenue', mappedType: 'Project: Type', mappedRecord: 'Installation', account: 'Project Revenue' },
  ];
  const resolver = createGlResolver(rows);

  it.each<[string, Partial<GlLineContext>, string]>([
    ['service ticket time uses the Service Type mapping', { serviceType: 'Installation' }, 'Service Install Revenue'],
    ['project time uses the Project Type mapping', { project: 'Acme rollout', projectType: 'Installation' }, 'Project Revenue'],
    ['project time never uses a Service Type mapping', { project: 'Acme rollout', serviceType: 'Installation' }, 'Service Revenue'],
    ['non-project time never uses a Project Type mapping', { projectType: undefined, workType: 'Remote' }, 'Service Revenue'],
  ])('%s', (_name, context, account) => {
    expect(resolver.resolve({ accountType: 'Revenue', owner: 'MYCOMPANY', ...context }).account).toBe(account);
  });

  it('Tax Code levels match only the line’s own level', () => {
    const tax = createGlResolver([
      { accountType: 'Sales Tax Payable', mappedType: 'My Company: Owner', mappedRecord: 'ME', account: 'Sales Tax Payable' },
      { accountType: 'Sales Tax Payable', mappedType: 'Tax Code: Level 1', mappedRecord: 'WA', account: 'State Tax Payable' },
      { accountType: 'Sales Tax Payable', mappedType: 'Tax Code: Level 2', mappedRecord: 'King', account: 'County Tax Payable' },
    ]);
    const line = (level: number, record: string) => tax.resolve({ accountType: 'Sales Tax Payable', owner: 'ME', taxCodeLevel: { level, record } }).account;
    expect(line(1, 'WA')).toBe('State Tax Payable');
    expect(line(2, 'King')).toBe('County Tax Payable');
    expect(line(2, 'WA')).toBe('Sales Tax Payable');
    expect(line(3, 'Seattle')).toBe('Sales Tax Payable');
  });
});
