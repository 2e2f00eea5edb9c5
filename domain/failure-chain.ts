/** Temporal failures nest (child workflow -> activity -> application failure): the innermost with a message says what happened. */
export function innermostFailure(err: unknown, maxDepth = 10): { message: string; type?: string } | undefined {
  let current: unknown = err;
  let deepest: { message: string; type?: string } | undefined;
  for (let depth = 0; current && depth < maxDepth; depth++) {
    const failure = current as { message?: string; type?: string; cause?: unknown };
    if (failure.message) deepest = { message: failure.message, ...(failure.type && { type: failure.type }) };
    current = failure.cause;
  }
  return deepest;
}
