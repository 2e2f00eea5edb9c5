/** A real report through the real transport into the in-process sink, read back from disk. */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createMailer, renderBatchReport } from '../../../integrations/mail';
import { startSmtpSink, type SmtpSink } from '../../../dev/sandbox/mail/smtp-sink';
import { formatMail, formatMailList } from '../../../dev/sandbox/mail/list';
import { partiallyFailedBatch } from '../../unit/mail/fixtures';

const crlf = (s: string) => s.replace(/\r\n/g, '\n');

describe('report delivery through SMTP into the sink', () => {
  let sink: SmtpSink;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ledgerline-mail-'));
    sink = await startSmtpSink({ port: 0, dir });
  });

  afterAll(async () => {
    await sink.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('binds 127.0.0.1 on a free port', () => {
    expect(sink.host).toBe('127.0.0.1');
    expect(sink.port).toBeGreaterThan(0);
  });

  it('delivers the batch report with its text and HTML parts intact', async () => {
    const report = renderBatchReport(partiallyFailedBatch);
    const mailer = createMailer({ host: '127.0.0.1', port: sink.port, secure: false, from: 'Ledgerline <ledgerline@localhost>' });

    const messageId = await mailer.send({ to: 'finance@acme.test', ...report });

    const [entry] = await sink.list();
    expect(entry).toMatchObject({ from: 'Ledgerline <ledgerline@localhost>', to: ['finance@acme.test'], subject: report.subject, messageId });
    const stored = await sink.read(entry!.id);
    expect(crlf(stored!.text!)).toBe(report.text);
    expect(crlf(stored!.html!)).toBe(report.html);
    expect(stored!.text).toContain('Add a Revenue mapping for Service: Type Managed & Co');
    expect(stored!.html).toContain('&lt;script&gt;');

    const files = await readdir(dir);
    expect(files.sort()).toEqual([`${entry!.id}.eml`, `${entry!.id}.json`]);
  });

  it('sends without a login too, and lists newest first', async () => {
    const mailer = createMailer({ host: '127.0.0.1', port: sink.port, secure: false, from: 'ledgerline@localhost' });
    await mailer.send({ to: ['a@acme.test', 'b@acme.test'], subject: 'Zweite Nachricht — ünïcode', text: 'second\n', html: '<p>second</p>' });

    const entries = await sink.list();
    expect(entries.map((e) => e.subject)[0]).toBe('Zweite Nachricht — ünïcode');
    expect(entries[0]!.to).toEqual(['a@acme.test', 'b@acme.test']);
    expect(entries).toHaveLength(2);
    expect(entries[0]!.id > entries[1]!.id).toBe(true);

    expect(formatMailList(entries)).toContain('Zweite Nachricht — ünïcode');
    const shown = formatMail((await sink.read(entries[0]!.id))!);
    expect(shown).toContain('Subject: Zweite Nachricht — ünïcode');
    expect(shown).toContain('second');
  });

  it('reads nothing for unknown or path-like ids', async () => {
    expect(await sink.read('../../etc/passwd')).toBeUndefined();
    expect(await sink.read('20990101T000000000Z-deadbeef')).toBeUndefined();
  });
});
