/**
 * The workflow/activity contract: the record kinds and every activity's input and output. Pure
 * and bundle-safe (no Node built-ins, no integrations), so workflows, activities, clients and
 * tests import the same definitions.
 */
export * from './record-kinds';
export * from './activities';
