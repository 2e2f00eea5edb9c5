/**
 * Prints what the SMTP sink stored: `tsx dev/sandbox/mail/list.ts` lists messages newest first;
 * `tsx dev/sandbox/mail/list.ts ID` (or `latest`) prints one message's headers and text part.
 * `--dir DIR` (or SMTP_SINK_DIR) picks the folder, default .sandbox/mail.
 */
import path from 'node:path';
import { DEFAULT_MAIL_DIR, listMail, readMail, type StoredMail, type StoredMailEntry } from './mail-store';

export function formatMailList(entries: StoredMailEntry[]): string {
  if (entries.length === 0) return 'No messages.\n';
  const rows = entries.map((e) => [e.id, e.date.replace('T', ' ').slice(0, 19), e.to.join(', '), e.subject]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length), ['ID', 'RECEIVED', 'TO'][i]!.length));
  const line = (r: string[]) => r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join('  ');
  return [line(['ID', 'RECEIVED', 'TO', 'SUBJECT']), ...rows.map(line)].join('\n') + '\n';
}

export function formatMail(mail: StoredMail): string {
  const head = [`Id:      ${mail.id}`, `From:    ${mail.from}`, `To:      ${mail.to.join(', ')}`, `Date:    ${mail.date}`, `Subject: ${mail.subject}`];
  const body = mail.text ?? (mail.html ? '(HTML only; open the .eml file in a mail client)' : '(no text part)');
  return `${head.join('\n')}\n\n${body.endsWith('\n') ? body : body + '\n'}`;
}

async function main(argv: string[]): Promise<number> {
  let dir = process.env.SMTP_SINK_DIR || DEFAULT_MAIL_DIR;
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--dir') dir = argv[++i] ?? dir;
    else args.push(argv[i]!);
  }
  dir = path.resolve(dir);
  const entries = await listMail(dir);
  const wanted = args[0];
  if (!wanted) {
    process.stdout.write(formatMailList(entries));
    return 0;
  }
  const id = wanted === 'latest' ? entries[0]?.id : wanted;
  const mail = id ? await readMail(dir, id) : undefined;
  if (!mail) {
    process.stderr.write(`No message ${wanted} in ${dir}\n`);
    return 1;
  }
  process.stdout.write(formatMail(mail));
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
