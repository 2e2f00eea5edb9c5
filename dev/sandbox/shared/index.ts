/** Plumbing shared by the ConnectWise and QuickBooks sandboxes. */
export { createPrng, type Prng } from './prng';
export { createFaultInjector, DEFAULT_FAULT_KNOBS, type FaultCounts, type FaultDecision, type FaultInjector, type FaultKnobs } from './fault-injector';
export { CoalescedSave, JsonStateStore } from './json-state-store';
export { adminRequestProblem, readBody, sendJson, sleep, trackSockets, listen } from './http';
export * from './demo-chart';
