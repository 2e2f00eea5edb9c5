/**
 * Operational failures: the CLI prints one clear line (or a few) and exits 1. Temporal's errors are
 * turned into what an operator can act on; anything unrecognised still exits 1 with its message.
 */
import {
  ScheduleNotFoundError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  isGrpcServiceError,
} from '@temporalio/client';
import { ConfigError } from '../../config';
import { innermostFailure } from '../../domain/failure-chain';
import { ScheduleConfigError } from '../schedules';

export const EXIT_FAILURE = 1;

/** A run that ended badly, or a request the server refused: exit 1 with this message. */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
}

/** The innermost message of a Temporal failure chain (the activity's or workflow's own words). */
export function rootMessage(err: unknown): string {
  return innermostFailure(err)?.message ?? String(err);
}

export function describeCliError(err: unknown, temporalAddress?: string): string {
  if (err instanceof CliFailure || err instanceof ConfigError || err instanceof ScheduleConfigError) return err.message;
  if (err instanceof WorkflowNotFoundError) {
    return /completed|closed|finished/i.test(err.message)
      ? `${err.workflowId} has already finished, so it accepts no more requests (${err.message}).`
      : `No workflow ${err.workflowId} in this namespace.`;
  }
  if (err instanceof ScheduleNotFoundError) return `No such schedule (${err.message}); create it with \`schedules apply\`.`;
  if (err instanceof WorkflowUpdateFailedError) return `The workflow refused the request: ${rootMessage(err)}`;
  if (err instanceof WorkflowFailedError) return `The workflow failed: ${rootMessage(err)}`;
  if (isGrpcServiceError(err) || /connect|ECONNREFUSED|transport/i.test(String((err as Error)?.message))) {
    return `Temporal at ${temporalAddress ?? 'TEMPORAL_ADDRESS'} did not answer: ${rootMessage(err)}. Is the server running (npm start) and TEMPORAL_ADDRESS right?`;
  }
  return rootMessage(err);
}
