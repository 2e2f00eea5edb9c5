/** Literals for the ConnectWise conditions grammar, so callers never hand-quote values. */

/** A string literal: double-quoted, with embedded double quotes escaped. */
export function cwString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A datetime literal: ISO-8601 UTC in square brackets, without milliseconds. */
export function cwDate(value: Date | string): string {
  const iso = (typeof value === 'string' ? new Date(value) : value).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `[${iso}]`;
}

/** An `in (...)` list of numbers or strings. */
export function cwIn(values: ReadonlyArray<number | string>): string {
  return `(${values.map((v) => (typeof v === 'number' ? String(v) : cwString(v))).join(',')})`;
}
