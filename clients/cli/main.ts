/**
 * The ledgerline ops CLI. A thin registry: each command group lives in its own module and adds
 * itself here. Malformed input or usage exits 2 with a readable message on stderr.
 */
import { Command, CommanderError } from 'commander';
import { CliUsageError, EXIT_USAGE } from './errors';
import { registerGlCommands } from './gl';

function buildProgram(): Command {
  const program = new Command('ledgerline')
    .description('Ledgerline: ConnectWise PSA to QuickBooks Online bridge')
    .exitOverride()
    .configureOutput({ outputError: (msg, write) => write(msg) });
  registerGlCommands(program);
  return program;
}

async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are successful exits; any other commander error is a usage error.
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (err instanceof CliUsageError) {
      process.stderr.write(`error: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
