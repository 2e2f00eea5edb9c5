/**
 * The sink's mailbox on disk: each message as <id>.eml (exactly the bytes received) plus <id>.json,
 * a small index entry, so listing never has to parse every message. Ids sort by arrival time.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseMail } from './mime';

export interface StoredMailEntry {
  id: string;
  from: string;
  /** Envelope recipients: everyone the message was delivered to, Bcc included. */
  to: string[];
  subject: string;
  /** When the sink received it (ISO). */
  date: string;
  messageId?: string;
  size: number;
}

export interface StoredMail extends StoredMailEntry {
  text?: string;
  html?: string;
  raw: string;
}

export const DEFAULT_MAIL_DIR = '.sandbox/mail';

const ID = /^\d{8}T\d{9}Z-[0-9a-f]{8}$/;

let lastMs = 0;

/** Arrival-ordered even within one millisecond: the clock is nudged forward, never back. */
function newId(now: Date): string {
  lastMs = Math.max(now.getTime(), lastMs + 1);
  const stamp = new Date(lastMs).toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${randomBytes(4).toString('hex')}`;
}

/** Write-then-rename, so a reader never sees half a file. */
async function writeAtomically(file: string, data: string | Buffer): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, data);
  await fs.rename(tmp, file);
}

export async function storeMail(dir: string, raw: Buffer, envelope: { from?: string; to: string[] }): Promise<StoredMailEntry> {
  await fs.mkdir(dir, { recursive: true });
  const now = new Date();
  const parsed = parseMail(raw);
  const entry: StoredMailEntry = {
    id: newId(now),
    from: parsed.from || envelope.from || '',
    to: envelope.to,
    subject: parsed.subject,
    date: now.toISOString(),
    messageId: parsed.messageId,
    size: raw.length,
  };
  // The .eml first: an index entry must never point at a missing message.
  await writeAtomically(path.join(dir, `${entry.id}.eml`), raw);
  await writeAtomically(path.join(dir, `${entry.id}.json`), JSON.stringify(entry, null, 2) + '\n');
  return entry;
}

/** Newest first. */
export async function listMail(dir: string): Promise<StoredMailEntry[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const ids = names.filter((n) => n.endsWith('.json') && ID.test(n.slice(0, -5))).map((n) => n.slice(0, -5));
  const entries = await Promise.all(ids.map(async (id) => JSON.parse(await fs.readFile(path.join(dir, `${id}.json`), 'utf8')) as StoredMailEntry));
  return entries.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/** The message with its text and HTML parts; undefined for an unknown (or malformed) id. */
export async function readMail(dir: string, id: string): Promise<StoredMail | undefined> {
  if (!ID.test(id)) return undefined;
  let entry: StoredMailEntry;
  let raw: Buffer;
  try {
    entry = JSON.parse(await fs.readFile(path.join(dir, `${id}.json`), 'utf8')) as StoredMailEntry;
    raw = await fs.readFile(path.join(dir, `${id}.eml`));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const parsed = parseMail(raw);
  return { ...entry, text: parsed.text, html: parsed.html, raw: raw.toString('utf8') };
}
