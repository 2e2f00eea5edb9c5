/** One readable line from a Temporal failure chain (child -> activity -> application failure). */
export function describeFailure(err: unknown): string {
  let current: unknown = err;
  let deepest: { message?: string; type?: string } | undefined;
  for (let depth = 0; current && depth < 10; depth++) {
    const failure = current as { message?: string; type?: string; cause?: unknown };
    if (failure.message) deepest = failure;
    current = failure.cause;
  }
  if (!deepest) return 'unknown failure';
  return deepest.type ? `${deepest.type}: ${deepest.message}` : String(deepest.message);
}
