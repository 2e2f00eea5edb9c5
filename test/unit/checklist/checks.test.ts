import {
  checkConnectivity,
  checkCustomerContacts,
  checkGlReloadStatus,
  checkLockDate,
  checkMappedAccounts,
  checkOwnerMappings,
  checkPackageSetup,
  checkRevenueMappings,
  checkSecurity,
  checkTaxNames,
  checkTermsXref,
  checkUnbatched,
} from '../../../domain/checklist';
import { createChartMatcher, OWNER_MAPPING_MISSING_MESSAGE } from '../../../domain/gl';
import { CHART, cleanFacts, cleanLedger, cleanMappings, cleanPsa } from './fixtures';

const psa = cleanPsa();
const ledger = cleanLedger();

describe('1 connectivity', () => {
  const facts = cleanFacts().connectivity;
  it('passes when both answer, naming the version and the company', () => {
    const item = checkConnectivity(facts);
    expect(item).toMatchObject({ id: 'connectivity', result: 'pass' });
    expect(item.evidence.join(' ')).toMatch(/v2025\.1.*"ledgerline".*9341453000000001 \("Ledgerline IT"\)/);
    expect(item.fix).toBeUndefined();
  });
  it('fails on refused ConnectWise keys with the key settings to check', () => {
    const item = checkConnectivity({ ...facts, psa: { ok: false, error: { type: 'AuthenticationFailed', message: 'UserNotAuthenticated' } } });
    expect(item.result).toBe('fail');
    expect(item.evidence[0]).toMatch(/AuthenticationFailed: UserNotAuthenticated/);
    expect(item.fix).toMatch(/CW_PUBLIC_KEY and CW_PRIVATE_KEY.*API Members > API Keys/);
  });
  it('fails on a refused QuickBooks token with reconnect steps, and on an unreachable one with the URL setting', () => {
    const refused = checkConnectivity({ ...facts, ledger: { ok: false, error: { type: 'AuthenticationFailed', message: 'invalid_grant' } } });
    expect(refused.fix).toMatch(/Reconnect QuickBooks.*QBO_REFRESH_TOKEN/);
    const down = checkConnectivity({ ...facts, ledger: { ok: false, error: { type: 'Unavailable', message: 'ECONNREFUSED' } } });
    expect(down.fix).toMatch(/QuickBooks did not answer: check QBO_BASE_URL/);
  });
});

describe('2 API member security', () => {
  it('passes with Accounting Interface add/edit/inquire, Invoicing edit and Table Setup inquire', () => {
    expect(checkSecurity(psa.security, 'ledgerline-api')).toMatchObject({ result: 'pass' });
  });
  it('fails naming each missing permission and the role screen', () => {
    const rows = psa.security.map((r) => (r.functionIdentifier === 'AccountingInterface' ? { ...r, add: 'None' as const } : r)).filter((r) => r.functionIdentifier !== 'TableSetup');
    const item = checkSecurity(rows, 'ledgerline-api');
    expect(item.result).toBe('fail');
    expect(item.evidence).toContain('System > Table Setup: no row.');
    expect(item.fix).toBe(
      "In System > Security Roles, open the API member's role and set Finance > Accounting Interface: Add = All (to read unposted records and create accounting batches); System > Table Setup: Inquire = All (to read the GL Accounts, Billing Terms and Tax Code tables). Then run the checklist again.",
    );
  });
  it('matches rows by name when the identifier differs', () => {
    const rows = psa.security.map((r) => ({ ...r, functionIdentifier: `fn-${r.functionIdentifier.length}` }));
    expect(checkSecurity(rows).result).toBe('pass');
  });
});

describe('3 terms xref', () => {
  it('passes when every term in use names a QuickBooks term (an unused term without xref does not matter)', () => {
    const item = checkTermsXref(psa.billingTerms, psa.unpostedInvoices, ledger.matcher);
    expect(item.result).toBe('pass');
    expect(item.evidence).toContain('"Net 30" -> QuickBooks term "Net 30".');
  });
  it('fails for a term in use without an xref', () => {
    const item = checkTermsXref([{ id: 1, name: 'Net 30' }], psa.unpostedInvoices, ledger.matcher);
    expect(item.result).toBe('fail');
    expect(item.evidence[0]).toBe('Billing term "Net 30" used by 2 invoices ("1001", "1002") has no Terms XRef.');
    expect(item.fix).toBe('In System > Setup Tables > Billing Terms: set the Terms XRef of billing term "Net 30" to the QuickBooks term\'s exact name.');
  });
  it('fails for an xref that names no QuickBooks term, suggesting the nearest', () => {
    const item = checkTermsXref([{ id: 1, name: 'Net 30', termsXref: 'net 30' }], psa.unpostedInvoices, ledger.matcher);
    expect(item.result).toBe('fail');
    expect(item.evidence[0]).toMatch(/Term "net 30" was not found in the accounting package\. Nearest: "Net 30"/);
    expect(item.fix).toMatch(/change the Terms XRef of billing term "Net 30" \(now "net 30"\) to an existing QuickBooks term's exact name/);
  });
});

describe('4 customer contacts', () => {
  it('passes when every invoiced customer has both contacts', () => {
    expect(checkCustomerContacts(psa.customers).result).toBe('pass');
  });
  it('fails naming the customers without a billing or primary contact', () => {
    const customers = [{ ...psa.customers[0]!, billingContact: undefined }, { ...psa.customers[1]!, primaryContact: undefined }];
    const item = checkCustomerContacts(customers);
    expect(item.result).toBe('fail');
    expect(item.fix).toBe('In Companies > Company (each company\'s Company tab): select a Primary contact for "BlueHarbor"; select a Billing contact for "AcmeDental".');
  });
});

describe('5 GL Reload status', () => {
  const glReload = { id: 5, name: 'GL Reload', inactive: false, closed: false, sent: false };
  it('passes when it exists, open and not sent', () => {
    expect(checkGlReloadStatus(psa.billingStatuses)).toMatchObject({ result: 'pass', evidence: ['Billing status "GL Reload" (id 5) is active, not closed and not sent.'] });
  });
  it('fails when missing, with where to create it and which flags to leave off', () => {
    expect(checkGlReloadStatus([]).evidence).toEqual(['There are no billing statuses.']);
    const item = checkGlReloadStatus(psa.billingStatuses.filter((s) => s.id !== 5));
    expect(item.result).toBe('fail');
    expect(item.fix).toMatch(/^Create the billing status "GL Reload" in System > Setup Tables > Billing Status with Closed and Sent unchecked, because setting a closed invoice to it must reopen the invoice/);
  });
  it('fails when it is a closed status: it would reopen nothing', () => {
    const item = checkGlReloadStatus([{ ...glReload, closed: true }]);
    expect(item).toMatchObject({ result: 'fail', evidence: ['Billing status "GL Reload" (id 5) is marked Closed.'] });
    expect(item.fix).toMatch(/^Clear the Closed flag of billing status "GL Reload" in System > Setup Tables > Billing Status: it must be an open status, neither closed nor sent, because .*reopen the invoice/);
  });
  it('fails when it is marked sent, naming both flags when both are set', () => {
    expect(checkGlReloadStatus([{ ...glReload, sent: true }])).toMatchObject({ result: 'fail', evidence: ['Billing status "GL Reload" (id 5) is marked Sent.'] });
    const both = checkGlReloadStatus([{ ...glReload, closed: true, sent: true }]);
    expect(both.evidence).toEqual(['Billing status "GL Reload" (id 5) is marked Closed and Sent.']);
    expect(both.fix).toMatch(/^Clear the Closed and Sent flags of billing status "GL Reload"/);
  });
  it('fails when inactive', () => {
    const item = checkGlReloadStatus([{ ...glReload, inactive: true }]);
    expect(item.fix).toMatch(/Clear the Inactive flag of billing status "GL Reload"/);
  });
});

describe('6 owner mappings', () => {
  it('passes when AR, AP and every type in use have an Owner row', () => {
    expect(checkOwnerMappings(cleanMappings()).result).toBe('pass');
  });
  it("fails without the AR owner row, quoting ConnectWise's message", () => {
    const item = checkOwnerMappings(cleanMappings().filter((m) => m.accountType !== 'Accounts Receivable'));
    expect(item.result).toBe('fail');
    expect(item.evidence[1]).toBe(`${OWNER_MAPPING_MISSING_MESSAGE} Account types: "Accounts Receivable".`);
    expect(item.fix).toBe(
      `${OWNER_MAPPING_MISSING_MESSAGE} In System > Setup Tables > GL Accounts add, for each of "Accounts Receivable": Account Type <type>, Table My Company: Owner, Record Ledgerline, Account <the QuickBooks account>.`,
    );
  });
  it('fails for a type mapped only below Owner', () => {
    const rows = [...cleanMappings(), { accountType: 'Revenue-Agreements' as const, mappedType: 'Agreement: Type' as const, mappedRecord: 'Block Time', account: 'Service Revenue' }];
    expect(checkOwnerMappings(rows).fix).toMatch(/"Revenue-Agreements"/);
  });
  it('fails for an Owner row with a blank account', () => {
    const blank = cleanMappings().map((m) => (m.accountType === 'Accounts Payable' ? { ...m, account: undefined } : m));
    expect(checkOwnerMappings(blank).fix).toBe('Fill in the Account of the My Company: Owner rows of "Accounts Payable".');
  });
  it('warns, naming each row left out, for a duplicate, an unknown table and a mapped-type problem; the rest is checked', () => {
    const odd = { accountType: 'Revenue' as const, mappedType: 'Work Type: Category' as never, mappedRecord: 'Regular', account: 'Service Revenue' };
    const rows = [...cleanMappings(), cleanMappings()[0]!, odd];
    const item = checkOwnerMappings(rows, ['mapped type row 90 ("Work Type: Category", GL type R): unknown table; left out of the Revenue sequence']);
    expect(item.result).toBe('warn');
    const evidence = item.evidence.join(' ');
    expect(evidence).toMatch(/3 GL setup rows left out/);
    expect(evidence).toMatch(/map the same account type, mapped type and record/);
    expect(evidence).toMatch(/unknown mapped type "Work Type: Category"/);
    expect(evidence).toMatch(/mapped type row 90/);
    expect(item.fix).toMatch(/Correct or remove the rows left out in System > Setup Tables > GL Accounts/);
    // The rows left out do not hide a real failure among the others.
    expect(checkOwnerMappings(rows.filter((m) => m.accountType !== 'Accounts Receivable')).result).toBe('fail');
  });
});

describe('7 revenue and COGS mappings', () => {
  it('passes with revenue, an Owner COGS and Product IDs that are QuickBooks items', () => {
    expect(checkRevenueMappings(cleanMappings(), psa.packageSetup, ledger.matcher).result).toBe('pass');
  });
  it('fails when non-product revenue has no Owner Product ID (QuickBooks needs items)', () => {
    const rows = cleanMappings().map((m) => (m.accountType === 'Revenue' && m.mappedType === 'My Company: Owner' ? { ...m, productId: undefined } : m));
    const item = checkRevenueMappings(rows, psa.packageSetup, ledger.matcher);
    expect(item.result).toBe('fail');
    expect(item.fix).toBe('Add a Product ID (the QuickBooks item\'s exact name, e.g. a Service item) to the My Company: Owner row of "Revenue" in System > Setup Tables > GL Accounts.');
  });
  it('fails when a Product ID is not a QuickBooks item', () => {
    const rows = cleanMappings().map((m) => (m.accountType === 'Deferred Revenue' ? { ...m, productId: 'Down payment' } : m));
    const item = checkRevenueMappings(rows, psa.packageSetup, ledger.matcher);
    expect(item.fix).toMatch(/Create the items "Down payment" in QuickBooks/);
    expect(item.evidence.join(' ')).toMatch(/Nearest: "Downpayment"/);
  });
  it('fails when no QuickBooks item posts to a mapped sales-line account, naming it and the fix', () => {
    const chart = { ...CHART, items: CHART.items!.filter((i) => i.Name !== 'Hardware') };
    const item = checkRevenueMappings(cleanMappings(), psa.packageSetup, createChartMatcher(chart));
    expect(item.result).toBe('fail');
    expect(item.evidence.join(' ')).toContain('No QuickBooks item posts to "Product Revenue"');
    expect(item.fix).toContain('In QuickBooks create a Service item for each of "Product Revenue" whose income account is that account');
  });
  it('accepts the row’s own Product ID item as the item posting to its account', () => {
    const chart = { ...CHART, items: CHART.items!.map((i) => (i.Name === 'Downpayment' ? { ...i, Type: 'Inventory' } : i)) };
    expect(checkRevenueMappings(cleanMappings(), psa.packageSetup, createChartMatcher(chart)).result).toBe('pass');
  });
  it('fails without any Revenue mapping', () => {
    const rows = cleanMappings().filter((m) => m.accountType !== 'Revenue');
    expect(checkRevenueMappings(rows, psa.packageSetup).fix).toMatch(/^Map Revenue: add a GL Accounts row Account Type Revenue, Table My Company: Owner, Record Ledgerline/);
  });
  it('warns without an Owner COGS, and fails when the package sends COGS entries', () => {
    const rows = cleanMappings().map((m) => (m.accountType === 'Revenue-Product' ? { ...m, cogs: undefined } : m));
    const warn = checkRevenueMappings(rows, psa.packageSetup, ledger.matcher);
    expect(warn.result).toBe('warn');
    expect(warn.fix).toMatch(/Set the COGS field of the Revenue-Product row at My Company: Owner/);
    expect(checkRevenueMappings(rows, { ...psa.packageSetup!, includeCogsEntries: true }, ledger.matcher).result).toBe('fail');
  });
});

describe('8 mapped accounts', () => {
  it('passes when every account, COGS and inventory account exists with a fitting type', () => {
    const item = checkMappedAccounts(cleanMappings(), ledger.matcher);
    expect(item.result).toBe('pass');
    expect(item.evidence.at(-1)).toMatch(/Matching by name, case-sensitive.*8 of 8 mapped accounts/);
  });
  it('fails for a renamed QuickBooks account (case-sensitive) with the nearest name', () => {
    const chart = { ...CHART, accounts: CHART.accounts.map((a) => (a.Name === 'Service Revenue' ? { ...a, Name: 'Service revenue' } : a)) };
    const item = checkMappedAccounts(cleanMappings(), createChartMatcher(chart));
    expect(item.result).toBe('fail');
    expect(item.evidence[0]).toMatch(/GL account "Service Revenue" \(Revenue\) was not found in the chart of accounts, matching by name\. Nearest: "Service revenue"/);
    expect(item.fix).toMatch(/^Make the Account \(or COGS\/Inventory\) field of the GL Accounts rows naming "Service Revenue" equal the QuickBooks account's exact name/);
  });
  it('fails for an account of the wrong type', () => {
    const rows = cleanMappings().map((m) => (m.accountType === 'Accounts Receivable' ? { ...m, account: 'Operating Checking' } : m));
    const item = checkMappedAccounts(rows, ledger.matcher);
    expect(item.evidence[0]).toMatch(/has type Bank, but Accounts Receivable expects Accounts Receivable/);
    expect(item.fix).toBe('Point the mappings naming "Operating Checking" at accounts of the expected type, or change those accounts\' type in QuickBooks.');
  });
  it('explains number matching (GL_ACCOUNT_MATCH=number) when the table holds names', () => {
    const matcher = createChartMatcher({ ...CHART, useAccountNumbers: true, accounts: CHART.accounts.map((a, i) => ({ ...a, AcctNum: String(1000 + i) })) }, { mode: 'number' });
    const item = checkMappedAccounts(cleanMappings(), matcher);
    expect(item.result).toBe('fail');
    expect(item.fix).toMatch(/GL accounts match by number \(GL_ACCOUNT_MATCH=number\): put the QuickBooks account numbers in the GL Accounts table, or set GL_ACCOUNT_MATCH=name/);
  });
  it('fails with the reason when number matching cannot work (account numbers off in QuickBooks)', () => {
    const problem = { message: 'GL accounts are set to match by number, but the accounting company does not have account numbers enabled', fix: 'Enable account numbers in QuickBooks Online (Settings > Advanced > Chart of accounts), or match GL accounts by name.' };
    const item = checkMappedAccounts(cleanMappings(), ledger.matcher, problem);
    expect(item).toMatchObject({ result: 'fail', evidence: [problem.message] });
    expect(item.fix).toMatch(/^Enable account numbers in QuickBooks Online/);
  });
});

describe('9 tax names', () => {
  it('passes when codes and level xrefs match QuickBooks names', () => {
    expect(checkTaxNames(psa.taxCodes, ledger).result).toBe('pass');
  });
  it('fails for a level whose xref is not a QuickBooks tax rate', () => {
    const item = checkTaxNames([{ identifier: 'Seattle', levels: [{ level: 1, xref: 'WA State' }, { level: 2, xref: 'King Cnty' }] }], ledger);
    expect(item.result).toBe('fail');
    expect(item.evidence[0]).toMatch(/level 2 names rate "King Cnty", which is not a QuickBooks tax rate\. Nearest: "King County"/);
    expect(item.fix).toBe('Set the Tax Code XRef of Seattle level 2 ("King Cnty") in System > Setup Tables > Tax Code to the QuickBooks tax rate\'s exact name.');
  });
  it('fails for a tax code name QuickBooks does not have', () => {
    const item = checkTaxNames([{ identifier: 'SEATTLE', levels: [] }], ledger);
    expect(item.fix).toMatch(/^Rename the tax codes "SEATTLE" in System > Setup Tables > Tax Code/);
  });
});

describe('10 lock date', () => {
  const lock = cleanFacts().lock;
  it('passes when nothing unposted predates the lock date', () => {
    expect(checkLockDate(lock)).toMatchObject({ result: 'pass', evidence: ['Lock date 2026-11-01 (input).', 'No unposted record is dated before it.'] });
  });
  it('fails with counts, examples and the removal fix', () => {
    const item = checkLockDate({ ...lock, before: { invoice: 2, expense: 1, procurement: 0 }, examples: [{ kind: 'invoice', number: '998', date: '2026-10-20T00:00:00Z' }] });
    expect(item.result).toBe('fail');
    expect(item.evidence).toContain('invoice 998 dated 2026-10-20');
    expect(item.fix).toBe('In Finance > Accounting Interface, remove the 3 records dated before 2026-11-01 (they belong to periods already in QuickBooks), or move the lock date if they really must post.');
  });
  it('warns when no lock date is known', () => {
    const item = checkLockDate({ ...lock, lockDate: undefined, source: 'none' });
    expect(item.result).toBe('warn');
    expect(item.fix).toMatch(/Start the checklist with lockDate/);
  });
});

describe('11 unbatched records', () => {
  const facts = cleanPsa().unbatched;
  it('passes for a recent backlog and reports the counts', () => {
    const item = checkUnbatched(facts);
    expect(item.result).toBe('pass');
    expect(item.evidence[0]).toBe('Unbatched: 2 invoices, 1 expense, 0 procurement records.');
  });
  it('warns when the backlog reaches far back and nothing is on GL Reload', () => {
    const item = checkUnbatched({ ...facts, oldest: '2025-01-15' });
    expect(item.result).toBe('warn');
    expect(item.fix).toMatch(/^The first run would send 3 records reaching back to 2025-01-15\. .*GL Reload billing status/);
    expect(checkUnbatched({ ...facts, oldest: '2025-01-15', glReloadInvoices: 4 }).result).toBe('pass');
  });
  it('passes when nothing is waiting', () => {
    expect(checkUnbatched({ counts: { invoice: 0, expense: 0, procurement: 0 }, glReloadInvoices: 0 }).evidence).toContain('The first run has nothing to send.');
  });
});

describe('12 package setup', () => {
  it('passes for QuickBooks with direct transfer, payment sync, and members who are vendors', () => {
    expect(checkPackageSetup(psa.packageSetup, psa.expenseMembers, ledger.matcher).result).toBe('pass');
  });
  it('fails when payment sync is off', () => {
    const item = checkPackageSetup({ ...psa.packageSetup!, syncPaymentInfo: false }, psa.expenseMembers, ledger.matcher);
    expect(item.result).toBe('fail');
    expect(item.fix).toBe(
      'In System > Setup Tables > Accounting Package (and where named): select Direct Transfer and Sync Payment Info From Accounting Package (Ledgerline syncs QuickBooks payments back; ConnectWise enables that only with Direct Transfer, for QuickBooks or Dynamics GP).',
    );
  });
  it('fails for transfer-as-bill when an expensing member is no QuickBooks vendor', () => {
    const item = checkPackageSetup(psa.packageSetup, [{ identifier: 'kpatel', name: 'Kiran Patel' }], ledger.matcher);
    expect(item.fix).toMatch(/give members "kpatel" a Vendor Number \(System > Members\)/);
  });
  it('fails for another package, without invoices, or with no setup row', () => {
    expect(checkPackageSetup({ ...psa.packageSetup!, packageName: 'Xero', includeInvoices: false }, [], ledger.matcher).fix).toMatch(/choose QuickBooks Online as the accounting package; select Include Invoices/);
    expect(checkPackageSetup(undefined, []).result).toBe('fail');
  });
});
