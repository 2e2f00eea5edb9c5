/**
 * Connection settings for one ConnectWise PSA site. The same shape points the client at the local
 * sandbox or at a real site (e.g. https://api-na.myconnectwise.net/v4_6_release/apis/3.0).
 */
import { z } from 'zod';
import { credentialUrlProblem } from '../../config/secure-url';

export const RetryPolicySchema = z.object({
  /** Total attempts including the first; 1 turns client-side retries off (leave it to Temporal). */
  maxAttempts: z.number().int().min(1).default(4),
  baseDelayMs: z.number().min(0).default(250),
  maxDelayMs: z.number().min(0).default(10_000),
  /** Upper bound on a server-requested Retry-After wait; longer waits surface as RateLimited. */
  maxRetryAfterMs: z.number().min(0).default(60_000),
});
export type RetryPolicy = z.infer<typeof RetryPolicySchema>;

export const ConnectWiseConfigSchema = z.object({
  /** `https://{site}/{codebase}apis/3.0`, without a trailing slash. */
  baseUrl: z
    .string()
    .url()
    .superRefine((url, ctx) => {
      const problem = credentialUrlProblem(url);
      if (problem) ctx.addIssue({ code: 'custom', message: `${problem} (the API member's keys travel with every request)` });
    })
    .transform((u) => u.replace(/\/+$/, '')),
  companyId: z.string().min(1),
  publicKey: z.string().min(1),
  privateKey: z.string().min(1),
  clientId: z.string().min(1),
  /** Model version pinned through the Accept header, e.g. "2025.1". */
  apiVersion: z.string().regex(/^\d{4}\.\d+$/).default('2025.1'),
  /** Per-attempt timeout. */
  timeoutMs: z.number().int().positive().default(30_000),
  retry: RetryPolicySchema.default({ maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 10_000, maxRetryAfterMs: 60_000 }),
});
export type ConnectWiseConfigInput = z.input<typeof ConnectWiseConfigSchema>;
export type ConnectWiseConfig = z.output<typeof ConnectWiseConfigSchema>;
