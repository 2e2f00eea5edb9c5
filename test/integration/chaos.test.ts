/**
 * The chaos harness, short: a real dev server, both sandboxes with their fault knobs on, real worker
 * processes SIGKILLed twice, two batches racing for one company, records closed while the batch
 * collects. The books must hold no duplicate and no lost record, and the second start must be
 * refused with its reason. `npm run chaos` is the long run (3,000 records, 20 kills).
 */
import { runChaos } from '../../dev/chaos/harness';

it('a short chaos run leaves no duplicate and no lost record', async () => {
  const report = await runChaos({ records: 120, kills: 2, closes: 5, starts: 2, seed: 3, workers: 1, chunkSize: 20, killGapMs: [2000, 5000] });
  const f = report.figures;
  expect({ duplicates: report.books.duplicateRecords, lost: report.books.lostRecords }).toEqual({ duplicates: [], lost: [] });
  expect(f.duplicates).toBe(0);
  expect(f.lost).toBe(0);
  expect(f.kills).toBe(2);
  expect(f.closes).toBe(5);
  expect(f.refused).toBeGreaterThanOrEqual(1);
  expect(f.refusedUnexplained).toBe(0);
  expect(f.posted + f.failed).toBe(f.eligible);
  expect(f.faults.total).toBeGreaterThan(0);
}, 180_000);
