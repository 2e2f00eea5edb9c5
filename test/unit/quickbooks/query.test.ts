import { buildCount, buildSelect, quoteQueryValue } from '../../../integrations/quickbooks/query';
import { parseQuery } from '../../../dev/sandbox/quickbooks/query-parser';
import { isLedgerError } from '../../../domain/errors';

describe('QuickBooks query builder', () => {
  it('quotes strings with backslash escapes and leaves numbers and booleans bare', () => {
    expect(quoteQueryValue("O'Neill")).toBe("'O\\'Neill'");
    expect(quoteQueryValue('a\\b')).toBe("'a\\\\b'");
    expect(quoteQueryValue(12.5)).toBe('12.5');
    expect(quoteQueryValue(false)).toBe('false');
  });

  it('builds SELECT with AND-ed conditions, IN lists, ORDERBY and paging', () => {
    const sql = buildSelect('Account', {
      where: [
        { field: 'AccountType', op: '=', value: 'Income' },
        { field: 'Active', op: 'IN', value: [true, false] },
        { field: 'MetaData.LastUpdatedTime', op: '>=', value: '2026-01-01T00:00:00-08:00' },
      ],
      orderBy: { field: 'Name', direction: 'DESC' },
      startPosition: 11,
      maxResults: 10,
    });
    expect(sql).toBe(
      "SELECT * FROM Account WHERE AccountType = 'Income' AND Active IN (true, false) AND MetaData.LastUpdatedTime >= '2026-01-01T00:00:00-08:00' ORDERBY Name DESC STARTPOSITION 11 MAXRESULTS 10",
    );
    expect(buildCount('Customer', [{ field: 'DisplayName', op: 'LIKE', value: 'A%' }])).toBe("SELECT COUNT(*) FROM Customer WHERE DisplayName LIKE 'A%'");
  });

  it('refuses what QuickBooks would refuse, before sending', () => {
    const bad = [
      () => buildSelect('Account', { maxResults: 1001 }),
      () => buildSelect('Account', { startPosition: 0 }),
      () => buildSelect('Account; DROP', {}),
      () => buildSelect('Account', { where: [{ field: "Name' OR 1=1", op: '=', value: 'x' }] }),
      () => buildSelect('Account', { where: [{ field: 'Id', op: 'IN', value: [] }] }),
    ];
    for (const f of bad) {
      let err: unknown;
      try {
        f();
      } catch (e) {
        err = e;
      }
      expect(isLedgerError(err) && err.type).toBe('InvalidInput');
    }
  });

  it('round-trips hostile strings through the sandbox parser unchanged', () => {
    for (const value of ["O'Neill", "it's \\ tricky", "'; SELECT * FROM Account --", '100%']) {
      const parsed = parseQuery(buildSelect('Customer', { where: [{ field: 'DisplayName', op: '=', value }] }));
      expect(parsed.where).toEqual([{ field: 'DisplayName', op: '=', values: [value] }]);
    }
  });
});
