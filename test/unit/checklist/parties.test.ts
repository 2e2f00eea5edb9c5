/** The checklist lists every missing customer and vendor of the unposted records. */
import { checkParties } from '../../../domain/checklist';
import { createChartMatcher } from '../../../domain/gl/chart-match';
import { CHART } from './fixtures';

const chart = { ...CHART, customers: [{ Id: 'c1', DisplayName: 'Acme Dental Group' }], employees: [{ Id: 'e1', DisplayName: 'Pat Lopez' }] };
const acme = { role: 'customer' as const, name: 'Acme Dental Group', source: 'company' as const, psaId: 1, records: ['Invoice 1'] };
const orca = { role: 'customer' as const, name: 'Orca Labs', source: 'company' as const, psaId: 2, records: ['Invoice 2', 'Invoice 3'] };
const pat = { role: 'customer' as const, name: 'Pat Lopez', source: 'company' as const, psaId: 3, records: ['Invoice 4'] };

describe('check: parties', () => {
  it('passes when every party is there', () => {
    expect(checkParties([acme], createChartMatcher(chart), false).result).toBe('pass');
  });

  it('fails listing each missing party and its records without the setting', () => {
    const result = checkParties([acme, orca, pat], createChartMatcher(chart), false);
    expect(result.result).toBe('fail');
    expect(result.evidence).toEqual([
      'Customer "Orca Labs" (ConnectWise company #2), for Invoice 2, Invoice 3: missing.',
      'Customer "Pat Lopez" (ConnectWise company #3), for Invoice 4: missing, and employee Id e1 holds the name.',
    ]);
    expect(result.fix).toContain('CREATE_MISSING_PARTIES');
  });

  it('warns when the batch creates them, and fails while a name clashes', () => {
    const creating = checkParties([acme, orca], createChartMatcher(chart), true);
    expect(creating.result).toBe('warn');
    expect(creating.evidence).toEqual(['Customer "Orca Labs" (ConnectWise company #2), for Invoice 2, Invoice 3: missing, created by the batch.']);
    expect(checkParties([orca, pat], createChartMatcher(chart), true).result).toBe('fail');
  });
});
