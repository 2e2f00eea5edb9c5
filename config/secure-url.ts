/**
 * Where credentials may go: over https, or plain http to this machine only (the local sandboxes).
 * One rule for every URL that receives a key, token or password, checked when settings are read and
 * again by each client before it sends anything.
 */
import { z } from 'zod';

/** 127.0.0.0/8, ::1 and localhost, as URL hostnames or socket addresses (IPv4-mapped included). */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice('::ffff:'.length) : h;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** Why credentials must not be sent to `url`, or undefined when they may. */
export function credentialUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && isLoopback(parsed.hostname)) return undefined;
  if (parsed.protocol === 'http:') return `uses plain http to ${parsed.hostname}: credentials go over https (plain http only to 127.0.0.1, ::1 or localhost)`;
  return `uses ${parsed.protocol.replace(/:$/, '')}: expected an https URL`;
}

/** A URL credentials are sent to: https, or http on loopback. */
export const credentialUrl = z.url().superRefine((url, ctx) => {
  const problem = credentialUrlProblem(url);
  if (problem) ctx.addIssue({ code: 'custom', message: `${problem}, e.g. https://...` });
});
