/**
 * Just enough MIME to read back what the sink stored: headers (with RFC 2047 encoded words),
 * nested multiparts, quoted-printable and base64, and the first text/plain and text/html parts.
 * The message is handled as latin1 (one char per byte) until a part's charset is known.
 */

export interface ParsedMail {
  headers: Map<string, string[]>;
  subject: string;
  from: string;
  to: string;
  date?: string;
  messageId?: string;
  text?: string;
  html?: string;
}

interface Part {
  headers: Map<string, string[]>;
  body: string;
}

function decodeBytes(bytes: Buffer, charset = 'utf-8'): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

function decodeQuotedPrintable(body: string): Buffer {
  const joined = body.replace(/=\r?\n/g, '');
  return Buffer.from(joined.replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
}

/** "=?UTF-8?Q?...?= =?UTF-8?Q?...?=": adjacent words are joined (bytes first, so split characters survive). */
export function decodeEncodedWords(value: string): string {
  const word = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;
  const collapsed = value.replace(/(\?=)\s+(?==\?)/g, '$1');
  let out = '';
  let last = 0;
  let pending: { charset: string; bytes: Buffer[] } | undefined;
  const flush = () => {
    if (pending) out += decodeBytes(Buffer.concat(pending.bytes), pending.charset.replace(/\*.*$/, ''));
    pending = undefined;
  };
  for (const m of collapsed.matchAll(word)) {
    const [whole, charset = 'utf-8', encoding = 'B', data = ''] = m;
    if (m.index > last) {
      flush();
      out += collapsed.slice(last, m.index);
    }
    const bytes = encoding.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : decodeQuotedPrintable(data.replace(/_/g, ' '));
    if (pending && pending.charset.toLowerCase() === charset.toLowerCase()) pending.bytes.push(bytes);
    else {
      flush();
      pending = { charset, bytes: [bytes] };
    }
    last = m.index + whole.length;
  }
  flush();
  return out + collapsed.slice(last);
}

function splitPart(raw: string): Part {
  const end = /\r?\n\r?\n/.exec(raw);
  const head = end ? raw.slice(0, end.index) : raw;
  const body = end ? raw.slice(end.index + end[0].length) : '';
  const headers = new Map<string, string[]>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    // Raw 8-bit header bytes (SMTPUTF8) are UTF-8.
    const value = decodeEncodedWords(Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8'));
    headers.set(name, [...(headers.get(name) ?? []), value]);
  }
  return { headers, body };
}

/** "text/plain; charset=utf-8" -> { type: 'text/plain', params: { charset: 'utf-8' } }. */
export function parseContentType(value: string | undefined): { type: string; params: Record<string, string> } {
  const [type = 'text/plain', ...rest] = (value ?? 'text/plain').split(';');
  const params: Record<string, string> = {};
  for (const param of rest) {
    const eq = param.indexOf('=');
    if (eq < 0) continue;
    params[param.slice(0, eq).trim().toLowerCase()] = param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return { type: type.trim().toLowerCase(), params };
}

function bodyText(part: Part, charset: string | undefined): string {
  const encoding = (part.headers.get('content-transfer-encoding')?.[0] ?? '7bit').toLowerCase();
  const bytes =
    encoding === 'base64'
      ? Buffer.from(part.body.replace(/\s+/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(part.body)
        : Buffer.from(part.body, 'latin1');
  return decodeBytes(bytes, charset);
}

function collectBodies(part: Part, found: { text?: string; html?: string }, depth = 0): void {
  const { type, params } = parseContentType(part.headers.get('content-type')?.[0]);
  const attachment = /^attachment/i.test(part.headers.get('content-disposition')?.[0] ?? '');
  if (type.startsWith('multipart/') && params.boundary && depth < 10) {
    const delimiter = `--${params.boundary}`;
    const escaped = delimiter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // A delimiter is a whole line: "--b" must not match inside "--b2".
    const sections = part.body.split(new RegExp(`(?:^|\\r?\\n)${escaped}(?:--)?[ \\t]*(?:\\r?\\n|$)`));
    // sections[0] is the preamble; the one after the closing delimiter is the epilogue.
    for (const section of sections.slice(1, -1)) collectBodies(splitPart(section), found, depth + 1);
    return;
  }
  if (attachment) return;
  if (type === 'text/plain' && found.text === undefined) found.text = bodyText(part, params.charset);
  if (type === 'text/html' && found.html === undefined) found.html = bodyText(part, params.charset);
}

export function parseMail(raw: Buffer | string): ParsedMail {
  const root = splitPart(typeof raw === 'string' ? Buffer.from(raw, 'utf8').toString('latin1') : raw.toString('latin1'));
  const header = (name: string) => root.headers.get(name)?.[0];
  const bodies: { text?: string; html?: string } = {};
  collectBodies(root, bodies);
  return {
    headers: root.headers,
    subject: header('subject') ?? '',
    from: header('from') ?? '',
    to: header('to') ?? '',
    date: header('date'),
    messageId: header('message-id'),
    ...bodies,
  };
}
