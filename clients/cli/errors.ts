/** A malformed invocation or input: the CLI prints the message and exits 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

export const EXIT_USAGE = 2;
