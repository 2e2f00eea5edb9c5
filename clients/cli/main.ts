/**
 * The ledgerline ops CLI. A thin registry: each command group lives in its own module and adds
 * itself here. Malformed input or usage exits 2 with a readable message on stderr; an operation
 * that fails (a refused update, a failed run, an unreachable server) exits 1 with a clear message.
 */
import { Command, CommanderError } from 'commander';
import { registerBatchCommands } from './batch';
import { registerChecklistCommands } from './checklist';
import { CliUsageError, EXIT_USAGE } from './errors';
import { describeCliError, EXIT_FAILURE } from './failures';
import { registerGlCommands } from './gl';
import { registerPaymentCommands } from './payments';
import { registerScheduleCommands } from './schedules';

function buildProgram(): Command {
  const program = new Command('ledgerline')
    .description('Ledgerline: ConnectWise PSA to QuickBooks Online bridge')
    .exitOverride()
    .configureOutput({ outputError: (msg, write) => write(msg) });
  registerGlCommands(program);
  registerBatchCommands(program);
  registerPaymentCommands(program);
  registerScheduleCommands(program);
  registerChecklistCommands(program);
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
    process.stderr.write(`error: ${describeCliError(err, process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233')}\n`);
    return EXIT_FAILURE;
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
