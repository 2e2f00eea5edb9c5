/**
 * The typed ConnectWise PSA REST client: the endpoints the accounting sync needs, each response
 * validated with zod. Works against a real site or the local sandbox by configuration alone.
 */
import { z } from 'zod';
import { Collection } from './collection';
import { cwString } from './conditions';
import { ConnectWiseConfigSchema, type ConnectWiseConfig, type ConnectWiseConfigInput } from './config';
import type { PatchOperation } from './patch';
import {
  AccountingBatch,
  BatchEntry,
  GlExportEnvelope,
  UnpostedExpense,
  UnpostedInvoice,
  UnpostedProcurement,
  type CreateAccountingBatchRequest,
  type ExportAccountingBatchRequest,
} from './schemas/accounting';
import { Company, Contact } from './schemas/company';
import { ExpenseReport, PurchaseOrder } from './schemas/expense-procurement';
import {
  AccountingPackageSetup,
  Agreement,
  BillingStatus,
  BillingTerm,
  GlAccount,
  GlCaption,
  Invoice,
  MappedTypeRow,
  Payment,
  TaxCode,
  TaxCodeLevel,
  type NewPayment,
} from './schemas/finance';
import { CompanyInfo, Location, Member, SecurityRow, SystemInfo } from './schemas/system';
import { ConnectWiseTransport, type TransportHooks } from './transport';

export class ConnectWiseClient {
  readonly config: ConnectWiseConfig;
  private readonly transport: ConnectWiseTransport;

  readonly members: Collection<Member>;
  readonly locations: Collection<Location>;
  readonly companies: Collection<Company>;
  readonly contacts: Collection<Contact>;
  readonly unpostedInvoices: Collection<UnpostedInvoice>;
  readonly unpostedExpenses: Collection<UnpostedExpense>;
  readonly unpostedProcurement: Collection<UnpostedProcurement>;
  readonly batches: Collection<AccountingBatch>;
  readonly glAccounts: Collection<GlAccount>;
  readonly glMappedTypes: Collection<MappedTypeRow>;
  readonly glCaptions: Collection<GlCaption>;
  readonly accountingPackageSetups: Collection<AccountingPackageSetup>;
  readonly invoices: Collection<Invoice>;
  readonly billingStatuses: Collection<BillingStatus>;
  readonly agreements: Collection<Agreement>;
  readonly billingTerms: Collection<BillingTerm>;
  readonly taxCodes: Collection<TaxCode>;
  readonly expenseReports: Collection<ExpenseReport>;
  readonly purchaseOrders: Collection<PurchaseOrder>;

  constructor(config: ConnectWiseConfigInput, hooks: TransportHooks = {}) {
    this.config = ConnectWiseConfigSchema.parse(config);
    this.transport = new ConnectWiseTransport(this.config, hooks);
    const c = <T>(path: string, schema: z.ZodType<T>) => new Collection<T>(this.transport, path, schema);
    this.members = c('/system/members', Member);
    this.locations = c('/system/locations', Location);
    this.companies = c('/company/companies', Company);
    this.contacts = c('/company/contacts', Contact);
    this.unpostedInvoices = c('/finance/accounting/unpostedinvoices', UnpostedInvoice);
    this.unpostedExpenses = c('/finance/accounting/unpostedexpenses', UnpostedExpense);
    this.unpostedProcurement = c('/finance/accounting/unpostedprocurement', UnpostedProcurement);
    this.batches = c('/finance/accounting/batches', AccountingBatch);
    this.glAccounts = c('/finance/glAccounts', GlAccount);
    this.glMappedTypes = c('/finance/glAccounts/mappedTypes', MappedTypeRow);
    this.glCaptions = c('/finance/glCaptions', GlCaption);
    this.accountingPackageSetups = c('/finance/accountingPackageSetup', AccountingPackageSetup);
    this.invoices = c('/finance/invoices', Invoice);
    this.billingStatuses = c('/finance/billingStatuses', BillingStatus);
    this.agreements = c('/finance/agreements', Agreement);
    this.billingTerms = c('/finance/billingTerms', BillingTerm);
    this.taxCodes = c('/finance/taxCodes', TaxCode);
    this.expenseReports = c('/expense/reports', ExpenseReport);
    this.purchaseOrders = c('/procurement/purchaseorders', PurchaseOrder);
  }

  /** Connectivity and credentials check. */
  async systemInfo(): Promise<SystemInfo> {
    return (await this.transport.request({ method: 'GET', path: '/system/info', schema: SystemInfo })).data;
  }

  /** The API member's own security rows (all of them, following pages). */
  mySecurity(): Promise<SecurityRow[]> {
    return new Collection(this.transport, '/system/mySecurity', SecurityRow).all();
  }

  /** Codebase discovery at the site root; needs no auth. `null` when the company is unknown. */
  async companyInfo(companyId = this.config.companyId): Promise<CompanyInfo> {
    const root = this.config.baseUrl.replace(/\/[^/]*\/apis\/3\.0$/, '');
    const path = `${root}/login/companyinfo/${encodeURIComponent(companyId)}`;
    return (await this.transport.request({ method: 'GET', path, schema: CompanyInfo })).data;
  }

  /** The single accounting package setup row (ConnectWise keeps one per site). */
  async accountingPackageSetup(): Promise<AccountingPackageSetup> {
    const [row] = await this.accountingPackageSetups.all();
    if (!row) throw new Error('ConnectWise has no accounting package setup row');
    return row;
  }

  taxCodeLevels(taxCodeId: number): Collection<TaxCodeLevel> {
    return new Collection(this.transport, `/finance/taxCodes/${taxCodeId}/taxCodeLevels`, TaxCodeLevel);
  }

  /** Preview/export GL documents without marking anything exported. Read-only, so it is retried freely. */
  /** The GL export: the envelope checked here, each document by `glExportDocuments` on its own. */
  async exportGl(request: ExportAccountingBatchRequest): Promise<GlExportEnvelope> {
    const res = await this.transport.request({ method: 'POST', path: '/finance/accounting/export', body: request, schema: GlExportEnvelope, idempotent: true });
    return res.data;
  }

  /**
   * Create an accounting batch: the named GL entries are marked exported and their records leave the
   * unposted lists. Not retried after an ambiguous failure: look it up with `findBatch` first.
   */
  async createBatch(request: CreateAccountingBatchRequest): Promise<GlExportEnvelope> {
    const res = await this.transport.request({ method: 'POST', path: '/finance/accounting/batches', body: request, schema: GlExportEnvelope });
    return res.data;
  }

  /** The batch with this identifier, if one was created (detects a create whose response was lost). */
  async findBatch(batchIdentifier: string): Promise<AccountingBatch | undefined> {
    const page = await this.batches.list({ conditions: `batchIdentifier=${cwString(batchIdentifier)}`, pageSize: 1 });
    return page.items[0];
  }

  batchEntries(batchId: number): Collection<BatchEntry> {
    return new Collection(this.transport, `/finance/accounting/batches/${batchId}/entries`, BatchEntry);
  }

  invoicePayments(invoiceId: number): Collection<Payment> {
    return new Collection(this.transport, `/finance/invoices/${invoiceId}/payments`, Payment);
  }

  /** Record a payment against an invoice (not retried after an ambiguous failure: list payments first). */
  async createInvoicePayment(invoiceId: number, payment: NewPayment): Promise<Payment> {
    const body = { ...payment, invoice: payment.invoice ?? { id: invoiceId } };
    const res = await this.transport.request({ method: 'POST', path: `/finance/invoices/${invoiceId}/payments`, body, schema: Payment });
    return res.data;
  }

  async patchInvoicePayment(invoiceId: number, paymentId: number, ops: PatchOperation[]): Promise<Payment> {
    const res = await this.transport.request({ method: 'PATCH', path: `/finance/invoices/${invoiceId}/payments/${paymentId}`, body: ops, schema: Payment });
    return res.data;
  }

  /** Remove a payment from an invoice (204, no body); repeating it after a lost response is safe. */
  async deleteInvoicePayment(invoiceId: number, paymentId: number): Promise<void> {
    await this.transport.request({ method: 'DELETE', path: `/finance/invoices/${invoiceId}/payments/${paymentId}`, schema: z.unknown(), idempotent: true });
  }

  /** Change one GL Accounts setup row; entries of records already closed keep their accounts. */
  async patchGlAccount(id: number, ops: PatchOperation[]): Promise<GlAccount> {
    const res = await this.transport.request({ method: 'PATCH', path: `/finance/glAccounts/${id}`, body: ops, schema: GlAccount });
    return res.data;
  }
}
