/** A malformed invocation or input: the CLI prints the message and exits 2 (the contract of issue 4). */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

export const EXIT_USAGE = 2;
