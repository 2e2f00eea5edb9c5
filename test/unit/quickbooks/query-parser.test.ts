import { parseQuery } from '../../../dev/sandbox/quickbooks/query-parser';
import { QboFault } from '../../../dev/sandbox/quickbooks/faults';

function faultCode(sql: string): string | undefined {
  try {
    parseQuery(sql);
  } catch (err) {
    if (err instanceof QboFault) return (err.answer.body as { Fault: { Error: Array<{ code: string }> } }).Fault.Error[0].code;
    throw err;
  }
  return undefined;
}

describe('sandbox query parser', () => {
  it('parses the whole grammar, keywords in any case', () => {
    const q = parseQuery("select count(*) from Invoice where CustomerRef = '12' and TotalAmt >= 10.5 and DocNumber LIKE 'INV%' orderby TxnDate desc, Id startposition 5 maxresults 20");
    expect(q).toEqual({
      count: true,
      entity: 'Invoice',
      where: [
        { field: 'CustomerRef', op: '=', values: ['12'] },
        { field: 'TotalAmt', op: '>=', values: [10.5] },
        { field: 'DocNumber', op: 'LIKE', values: ['INV%'] },
      ],
      orderBy: [
        { field: 'TxnDate', desc: true },
        { field: 'Id', desc: false },
      ],
      startPosition: 5,
      maxResults: 20,
    });
    expect(parseQuery('SELECT * FROM Account').maxResults).toBe(100);
  });

  it('accepts select lists: *, named properties, or both', () => {
    expect(parseQuery('SELECT *, Sku FROM Item').select).toBeUndefined();
    expect(parseQuery('select Id, Name from Customer').select).toEqual(['Id', 'Name']);
    expect(parseQuery('Select Count(*) From Invoice').count).toBe(true);
    expect(parseQuery("select * from Item where Name in ('a', 'b') order by Name asc").where[0]).toEqual({ field: 'Name', op: 'IN', values: ['a', 'b'] });
  });

  it('answers QuickBooks query faults', () => {
    expect(faultCode('SELECT * FROM Account MAXRESULTS 1500')).toBe('4001');
    expect(faultCode("SELECT * FROM Account WHERE Name = 'a' OR Name = 'b'")).toBe('4000');
    expect(faultCode('SELECT Name, FROM Account')).toBe('4000');
    expect(faultCode('SELECT FROM Account')).toBe('4000');
    expect(faultCode("SELECT * FROM Account WHERE Name = 'unterminated")).toBe('4000');
    expect(faultCode('SELECT * FROM')).toBe('4000');
  });
});
