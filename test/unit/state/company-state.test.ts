/** The merge rules of a company's durable state: newer checklist wins, the watermark only moves forward. */
import { companyStateWorkflowId, withAgreementsChecked, withChecklist, withPaymentWatermark } from '../../../domain/company-state';
import { checklistAt } from '../../helpers/checklist-status';


describe('company state', () => {
  it('keeps the newer checklist result whatever order the results arrive in', () => {
    const older = checklistAt('2026-11-01T10:00:00.000Z', true);
    const newer = checklistAt('2026-11-02T10:00:00.000Z', false);
    expect(withChecklist(withChecklist({}, older), newer).checklist).toBe(newer);
    expect(withChecklist(withChecklist({}, newer), older).checklist).toBe(newer);
  });

  it('moves the payment watermark forward only, and ignores what is not a time', () => {
    let state = withPaymentWatermark({}, '2026-11-23T10:00:00.000Z');
    state = withPaymentWatermark(state, '2026-11-01T00:00:00.000Z');
    expect(state.paymentWatermark).toBe('2026-11-23T10:00:00.000Z');
    state = withPaymentWatermark(state, 'yesterday');
    expect(state.paymentWatermark).toBe('2026-11-23T10:00:00.000Z');
    expect(withPaymentWatermark(state, '2026-11-24T00:00:00.000Z').paymentWatermark).toBe('2026-11-24T00:00:00.000Z');
  });

  it('moves the time agreement changes were checked up to forward only, apart from the payment watermark', () => {
    let state = withAgreementsChecked({ paymentWatermark: '2026-11-01T00:00:00.000Z' }, '2026-11-23T10:00:00.000Z');
    state = withAgreementsChecked(state, '2026-11-20T00:00:00.000Z');
    expect(state).toEqual({ paymentWatermark: '2026-11-01T00:00:00.000Z', agreementsCheckedUntil: '2026-11-23T10:00:00.000Z' });
    expect(withAgreementsChecked(state, 'not a time')).toBe(state);
  });

  it('names its workflow by company and deployment queue', () => {
    expect(companyStateWorkflowId('9130', 'ledgerline')).toBe('company-state-9130-ledgerline');
  });
});
