/**
 * The demo site: setup tables plus a month of an MSP's records, most of them closed (so they sit in
 * the unposted lists with GL entries computed), a few still open to close during a demo.
 */
import { DEMO_CUSTOMERS } from '../shared/demo-chart';
import { createPrng } from '../shared/prng';
import { buildDemoSetup, SERVICE_TYPES, WORK_ROLES, WORK_TYPES } from './demo-setup';
import { closeRecord } from './lifecycle';
import { addAdjustment, addExpenseReport, addInvoice, addPurchaseOrder, addTransfer, lineOf, type InvoiceLineSpec, type TimeSpec } from './record-builders';
import type { SandboxState } from './state';

const day = (d: number) => `2026-11-${String(d).padStart(2, '0')}T00:00:00Z`;

/** A time line billing a time entry (`time`), or without one (progress billing: the invoice's project applies). */
export const timeLine = (hours: number, rateCents: number, time: TimeSpec | undefined, description: string): InvoiceLineSpec => ({
  kind: 'time', description, quantity: hours, unitPriceCents: rateCents, taxable: false, ...(time && { time }),
});

export function buildDemoState(): SandboxState {
  const s = buildDemoSetup();
  const closeInvoice = (id: number) => closeRecord(s, 'invoice', id);

  // One invoice of every type, with multi-level sales tax and a discount.
  closeInvoice(addInvoice(s, {
    type: 'Standard', company: 'AcmeDental', date: day(2), department: 'Managed Services', description: 'Help desk and laptop refresh',
    applyToType: 'Ticket', applyToId: 1001,
    lines: [
      timeLine(3, 13500, { serviceType: 'Help Desk', workType: 'Regular', workRole: 'Engineer' }, 'Help desk: printer and VPN issues'),
      lineOf(s, 'LAPTOP-14', 2, { discountCents: 10000 }),
      lineOf(s, 'DOCK-USBC', 2),
    ],
  }).id);
  closeInvoice(addInvoice(s, {
    type: 'Standard', company: 'BlueHarbor', date: day(3), department: 'Professional Services', location: 'Tacoma', description: 'Network upgrade, phase 1',
    applyToType: 'Project', applyToId: 2,
    lines: [
      timeLine(10, 16500, { projectId: 2, workType: 'Regular', workRole: 'Senior Engineer' }, 'Core switch replacement'),
      lineOf(s, 'FW-200', 1),
      { kind: 'expense', description: 'Mileage to site', quantity: 1, unitPriceCents: 8540, taxable: false },
    ],
  }).id);
  closeInvoice(addInvoice(s, {
    type: 'Agreement', company: 'CascadeLaw', date: day(1), department: 'Managed Services', description: 'Managed services, November',
    applyToType: 'Agreement', applyToId: 1,
    lines: [
      { kind: 'agreement', description: 'Managed Services Agreement: November', quantity: 1, unitPriceCents: 240000, taxable: false },
      lineOf(s, 'M365-BP', 25, { kind: 'agreementProduct' }),
    ],
  }).id);
  closeInvoice(addInvoice(s, {
    type: 'DownPayment', company: 'EvergreenSchools', date: day(4), department: 'Professional Services', description: 'Down payment: classroom Wi-Fi project',
    lines: [{ kind: 'downpayment', description: 'Down payment (50%)', quantity: 1, unitPriceCents: 500000, taxable: false }],
  }).id);
  closeInvoice(addInvoice(s, {
    type: 'CreditMemo', company: 'HarborHealth', date: day(5), department: 'Managed Services', description: 'Return of a damaged monitor',
    lines: [lineOf(s, 'MONITOR-27', 1)],
  }).id);
  closeInvoice(addInvoice(s, {
    type: 'Progress', company: 'RainierEng', date: day(6), department: 'Professional Services', description: 'Office installation: 40% milestone',
    applyToType: 'Project', applyToId: 1,
    lines: [timeLine(1, 800000, undefined, 'Progress billing: 40% of fixed fee')],
  }).id);
  closeInvoice(addInvoice(s, {
    type: 'Miscellaneous', company: 'FirLaneDesign', date: day(7), department: 'Web Services', description: 'Website hosting setup',
    lines: [{ kind: 'misc', description: 'Hosting setup fee', quantity: 1, unitPriceCents: 35000, taxable: false }],
  }).id);
  closeInvoice(addInvoice(s, {
    type: 'Standard', company: 'EmeraldCPA', date: day(8), department: 'Managed Services', description: 'After-hours server recovery',
    lines: [
      timeLine(2, 22500, { serviceType: 'Break/Fix', workType: 'After Hours', workRole: 'Senior Engineer' }, 'Emergency server restore'),
      timeLine(1.5, 15000, { chargeCode: 'Training', workType: 'Remote', workRole: 'Engineer' }, 'Staff training on the new backup portal'),
    ],
  }).id);

  // A month of routine invoices for the other customers: enough for paging (more than 25).
  const prng = createPrng(20261101);
  DEMO_CUSTOMERS.slice(8).forEach((c, i) => {
    const inv = addInvoice(s, {
      type: 'Standard', company: c.identifier, date: day(9 + (i % 15)), department: 'Managed Services', description: `Services for ${c.name}`,
      lines: [
        timeLine(prng.int(1, 8), 15000, { serviceType: prng.pick(SERVICE_TYPES), workType: prng.pick(WORK_TYPES), workRole: prng.pick(WORK_ROLES) }, 'Support'),
        lineOf(s, prng.pick(['SSD-1TB', 'DOCK-USBC', 'MONITOR-27', 'BACKUP-TB', 'AV-ENDPOINT']), prng.int(1, 5)),
      ],
    });
    if (i < 20) closeInvoice(inv.id); // the rest stay open for closing during a demo
  });

  // Expenses: reimbursable (transferred as bills), non-reimbursable on the company card, internal.
  const r1 = addExpenseReport(s, 'dwhitfield', day(1), day(15), [
    { company: 'AcmeDental', date: day(3), expenseType: 'Meals', classification: 'Reimbursable', paymentMethod: 'Personal Card', amountCents: 4280, notes: 'Lunch during onsite migration' },
    { company: 'BlueHarbor', date: day(4), expenseType: 'Mileage', classification: 'Reimbursable', paymentMethod: 'Personal Vehicle', amountCents: 8540, billableOption: 'Billable', notes: '146 miles round trip' },
  ]);
  const r2 = addExpenseReport(s, 'jmorales', day(1), day(15), [
    { company: 'HarborHealth', date: day(6), expenseType: 'Travel', classification: 'NonReimbursable', paymentMethod: 'Company Credit Card', amountCents: 38900, notes: 'Flight to Spokane clinic' },
    { company: 'Ledgerline', date: day(7), expenseType: 'Office Supplies', classification: 'Reimbursable', paymentMethod: 'Personal Card', amountCents: 5719, chargeCode: 'Internal Admin', notes: 'Label printer tape' },
  ]);
  addExpenseReport(s, 'kpatel', day(16), day(30), [
    { company: 'CascadeLaw', date: day(17), expenseType: 'Meals', classification: 'Reimbursable', paymentMethod: 'Personal Card', amountCents: 2650, notes: 'Working lunch' },
  ]);
  closeRecord(s, 'expenseReport', r1);
  closeRecord(s, 'expenseReport', r2);

  // Procurement: received purchase orders with freight (one taxed), an adjustment, a transfer.
  closeRecord(s, 'purchaseOrder', addPurchaseOrder(s, {
    vendor: 'IngramMicro', poDate: day(2), vendorInvoiceNumber: 'IM-884120', freightCostCents: 8500,
    lines: [
      { product: 'LAPTOP-14', quantity: 5, receivedQuantity: 5, unitCostCents: 112000 },
      { product: 'MONITOR-27', quantity: 10, receivedQuantity: 6, unitCostCents: 27150 },
    ],
  }).id);
  closeRecord(s, 'purchaseOrder', addPurchaseOrder(s, {
    vendor: 'TDSynnex', poDate: day(5), vendorInvoiceNumber: 'TDS-22931', freightCostCents: 4000, taxCode: 'Tacoma', taxPoFlag: true, taxFreightFlag: true,
    lines: [{ product: 'FW-200', quantity: 2, receivedQuantity: 2, unitCostCents: 64000 }],
  }).id);
  addPurchaseOrder(s, { vendor: 'AmazonBusiness', poDate: day(20), vendorInvoiceNumber: 'AMZ-1190', freightCostCents: 0, lines: [{ product: 'SSD-1TB', quantity: 4, receivedQuantity: 0, unitCostCents: 7425 }] });
  closeRecord(s, 'adjustment', addAdjustment(s, {
    date: day(10), typeName: 'Cycle count', reason: 'November cycle count',
    details: [
      { product: 'SSD-1TB', quantityAdjusted: -1, warehouse: 'Seattle Main' },
      { product: 'DOCK-USBC', quantityAdjusted: 2, warehouse: 'Seattle Main' },
    ],
  }).id);
  closeRecord(s, 'transfer', addTransfer(s, { date: day(11), product: 'LAPTOP-14', quantity: 3, from: 'Seattle Main', to: 'Tacoma Depot' }).id);
  return s;
}
