import { ConditionsSyntaxError, evaluateConditions, parseConditions } from '../../../dev/sandbox/connectwise/conditions';

const company = {
  id: 7,
  identifier: 'AcmeDental',
  name: 'Acme Dental Group',
  accountNumber: 'C1001',
  isVendorFlag: false,
  deletedFlag: false,
  balance: 120.5,
  billingContact: null,
  status: { id: 1, name: 'Active' },
  types: [{ id: 1, name: 'Client' }, { id: 4, name: 'Prospect' }],
  _info: { lastUpdated: '2026-11-02T10:00:00Z' },
};

const holds = (conditions: string) => evaluateConditions(parseConditions(conditions), company);

describe('ConnectWise conditions grammar (sandbox)', () => {
  it.each([
    ['identifier="AcmeDental"', true],
    ["identifier='acmedental'", true], // string equality is case-insensitive, single quotes accepted
    ['identifier != "AcmeDental"', false],
    ['id = 7', true],
    ['id > 7', false],
    ['id >= 7', true],
    ['id < 8 AND id <= 7', true],
    ['balance > 100.25', true],
    ['isVendorFlag = false', true],
    ['isVendorFlag = TRUE', false],
    ['billingContact = null', true],
    ['billingContact != null', false],
    ['status != null', true],
    ['name like "Acme%"', true],
    ['name like "%Dental*"', true],
    ['name like "Dental%"', false],
    ['name contains "dental"', true],
    ['name not contains "dental"', false],
    ['name not like "Blue%"', true],
    ['accountNumber in ("C1002", "C1001")', true],
    ['id in (1,2,3)', false],
    ['id not in (1,2,3)', true],
    ['status/name = "Active"', true],
    ['status/id = 2', false],
    ['types/id = 4', true], // a path through an array matches when any element does
    ['types/id = 9', false],
    ['_info/lastUpdated > [2026-11-01T00:00:00Z]', true],
    ['_info/lastUpdated < [2026-11-01T00:00:00Z]', false],
    // "and" binds tighter than "or": id = 1 or (id = 7 and deletedFlag = true)
    ['id = 1 or id = 7 and deletedFlag = true', false],
    ['id = 7 or id = 1 and deletedFlag = true', true],
    ['(id = 1 or id = 7) and deletedFlag = false', true],
    ['(id = 1 or id = 7) and (deletedFlag = true)', false],
  ])('%s -> %s', (conditions, expected) => {
    expect(holds(conditions)).toBe(expected);
  });

  it('treats an empty string as no filter', () => {
    expect(parseConditions('   ')).toBeUndefined();
    expect(evaluateConditions(undefined, company)).toBe(true);
  });

  it.each([
    'identifier = AcmeDental', // unquoted string
    'name = "unterminated',
    'id = 1 and',
    '(id = 1',
    '_info/lastUpdated > [yesterday]',
    'id ~ 3',
    'id in (1, 2',
  ])('rejects %s with the ConnectWise hint', (conditions) => {
    expect(() => parseConditions(conditions)).toThrow(ConditionsSyntaxError);
    expect(() => parseConditions(conditions)).toThrow(/enclosed with double or single quotes/);
  });
});
