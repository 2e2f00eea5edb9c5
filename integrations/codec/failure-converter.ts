/**
 * Failure converter for every client, worker and workflow bundle (loaded by path, see data-converter.ts).
 * By default Temporal stores error messages and stack traces in clear text; ours can name customers,
 * amounts or a client's request, so they travel as an encoded payload that the codec encrypts.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
