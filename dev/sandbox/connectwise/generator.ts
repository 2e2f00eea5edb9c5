/**
 * Benchmark data: N more closed invoices, expenses and procurement records on top of the demo setup,
 * from a seeded PRNG so two runs with the same seed produce the same records.
 */
import { DEMO_CUSTOMERS, DEMO_VENDORS } from '../shared/demo-chart';
import { createPrng } from '../shared/prng';
import { SERVICE_TYPES, WORK_ROLES, WORK_TYPES } from './demo-setup';
import { timeLine } from './demo-seed';
import { closeRecord } from './lifecycle';
import { addAdjustment, addExpenseReport, addInvoice, addPurchaseOrder, addTransfer, lineOf } from './record-builders';
import type { SandboxState } from './state';

export interface GenerateOptions {
  invoices?: number;
  expenses?: number;
  procurement?: number;
  seed?: number;
  /** Close the generated records (default true) so they are unposted with GL entries. */
  close?: boolean;
  /** Locations the invoices and purchase orders take in turn (default all Seattle), e.g. one per accounting company. */
  locations?: string[];
}

const PRODUCTS = ['LAPTOP-14', 'MONITOR-27', 'DOCK-USBC', 'FW-200', 'SSD-1TB', 'M365-BP', 'AV-ENDPOINT', 'BACKUP-TB'];

export function generateRecords(state: SandboxState, opts: GenerateOptions): { invoices: number; expenses: number; procurement: number } {
  if (!state.companies.some((c) => c.identifier === DEMO_CUSTOMERS[0]!.identifier)) {
    throw new Error('the generator needs the demo setup: seed "demo" first');
  }
  const prng = createPrng(opts.seed ?? 42);
  const close = opts.close ?? true;
  const locations = opts.locations ?? ['Seattle'];
  const location = (i: number) => locations[i % locations.length];
  const date = () => `2026-${String(prng.int(9, 11)).padStart(2, '0')}-${String(prng.int(1, 28)).padStart(2, '0')}T00:00:00Z`;
  for (let i = 0; i < (opts.invoices ?? 0); i++) {
    const customer = prng.pick(DEMO_CUSTOMERS);
    const lines = [timeLine(prng.int(1, 12), prng.pick([13500, 15000, 16500]), { serviceType: prng.pick(SERVICE_TYPES), workType: prng.pick(WORK_TYPES), workRole: prng.pick(WORK_ROLES) }, 'Support')];
    for (let n = prng.int(0, 3); n > 0; n--) lines.push(lineOf(state, prng.pick(PRODUCTS), prng.int(1, 10), prng.next() < 0.2 ? { discountCents: prng.int(1, 50) * 100 } : {}));
    const inv = addInvoice(state, { type: prng.next() < 0.05 ? 'CreditMemo' : 'Standard', company: customer.identifier, date: date(), department: prng.pick(['Managed Services', 'Professional Services', 'Web Services']), location: location(i), description: `Generated invoice for ${customer.name}`, lines });
    if (close) closeRecord(state, 'invoice', inv.id);
  }
  const employees = DEMO_VENDORS.filter((v) => v.kind === 'employee');
  for (let i = 0; i < (opts.expenses ?? 0); i++) {
    const d = date();
    const reimbursable = prng.next() < 0.7;
    const report = addExpenseReport(state, prng.pick(employees).identifier, d, d, [{
      company: prng.pick(DEMO_CUSTOMERS).identifier, date: d, expenseType: prng.pick(['Meals', 'Mileage', 'Travel']),
      classification: reimbursable ? 'Reimbursable' : 'NonReimbursable', paymentMethod: reimbursable ? 'Personal Card' : 'Company Credit Card',
      amountCents: prng.int(500, 60000), notes: 'Generated expense',
    }]);
    if (close) closeRecord(state, 'expenseReport', report);
  }
  const suppliers = DEMO_VENDORS.filter((v) => v.kind === 'supplier');
  for (let i = 0; i < (opts.procurement ?? 0); i++) {
    const roll = prng.next();
    if (roll < 0.7) {
      const qty = prng.int(1, 10);
      const po = addPurchaseOrder(state, {
        vendor: prng.pick(suppliers).identifier, location: location(i), poDate: date(), vendorInvoiceNumber: `GEN-${i + 1}`, freightCostCents: prng.int(0, 1) * prng.int(1000, 9000),
        lines: [{ product: prng.pick(PRODUCTS.slice(0, 5)), quantity: qty, receivedQuantity: prng.int(1, qty), unitCostCents: prng.int(5000, 120000) }],
      });
      if (close) closeRecord(state, 'purchaseOrder', po.id);
    } else if (roll < 0.85) {
      const adj = addAdjustment(state, { date: date(), typeName: 'Cycle count', reason: 'Generated adjustment', details: [{ product: prng.pick(PRODUCTS.slice(0, 5)), quantityAdjusted: prng.pick([-2, -1, 1, 2]), warehouse: 'Seattle Main' }] });
      if (close) closeRecord(state, 'adjustment', adj.id);
    } else {
      const tr = addTransfer(state, { date: date(), product: prng.pick(PRODUCTS.slice(0, 5)), quantity: prng.int(1, 5), from: 'Seattle Main', to: 'Tacoma Depot' });
      if (close) closeRecord(state, 'transfer', tr.id);
    }
  }
  return { invoices: opts.invoices ?? 0, expenses: opts.expenses ?? 0, procurement: opts.procurement ?? 0 };
}
