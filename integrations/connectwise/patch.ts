/** ConnectWise PATCH bodies: always an array of `{op, path, value}` operations. */
export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  /** Case-sensitive field path, e.g. "amount" or "status". */
  path: string;
  value?: unknown;
}

/** Replace operations for each given field (reference objects must be passed whole). */
export function replaceOps(fields: Record<string, unknown>): PatchOperation[] {
  return Object.entries(fields).map(([path, value]) => ({ op: 'replace', path, value }));
}
