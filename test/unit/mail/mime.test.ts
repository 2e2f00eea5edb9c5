/** The sandbox's small MIME reader against messages nodemailer itself composes. */
import MailComposer from 'nodemailer/lib/mail-composer';
import { decodeEncodedWords, parseMail } from '../../../dev/sandbox/mail/mime';

function compose(options: ConstructorParameters<typeof MailComposer>[0]): Promise<Buffer> {
  return new MailComposer(options).compile().build();
}

describe('parseMail', () => {
  it('reads subject, addresses and both alternative parts, whatever the encoding', async () => {
    const longLine = 'Zählung ' + 'x'.repeat(200) + ' — Ende';
    const raw = await compose({
      from: 'Ledgerline <ledgerline@localhost>',
      to: 'Finance Team <finance@acme.test>',
      subject: 'Rapport de lot — échecs: 3 ✓',
      messageId: '<abc@ledgerline>',
      text: `Line one\n${longLine}\n=equals= and trailing space \n`,
      html: '<p>Caf\u00e9 &amp; <b>bold</b></p>',
      textEncoding: 'quoted-printable',
    });
    expect(raw.toString('latin1')).toMatch(/Content-Transfer-Encoding: quoted-printable/);
    const mail = parseMail(raw);
    expect(mail.subject).toBe('Rapport de lot — échecs: 3 ✓');
    expect(mail.from).toBe('Ledgerline <ledgerline@localhost>');
    expect(mail.to).toBe('Finance Team <finance@acme.test>');
    expect(mail.messageId).toBe('<abc@ledgerline>');
    expect(mail.text?.replace(/\r\n/g, '\n')).toBe(`Line one\n${longLine}\n=equals= and trailing space \n`);
    expect(mail.html).toBe('<p>Caf\u00e9 &amp; <b>bold</b></p>');
  });

  it('reads base64 parts and skips attachments', async () => {
    const raw = await compose({
      from: 'a@b.test',
      to: 'c@d.test',
      subject: 'plain',
      text: 'body text ünïcode',
      textEncoding: 'base64',
      attachments: [{ filename: 'note.txt', content: 'attachment text' }],
    });
    expect(raw.toString('latin1')).toMatch(/Content-Transfer-Encoding: base64/);
    const mail = parseMail(raw);
    expect(mail.text).toBe('body text ünïcode');
    expect(mail.html).toBeUndefined();
  });
});

describe('decodeEncodedWords', () => {
  it('joins adjacent words, even when a character is split between them', () => {
    const euro = Buffer.from('€');
    const first = `=?UTF-8?B?${Buffer.concat([Buffer.from('a'), euro.subarray(0, 1)]).toString('base64')}?=`;
    const second = `=?UTF-8?B?${Buffer.concat([euro.subarray(1), Buffer.from('b')]).toString('base64')}?=`;
    expect(decodeEncodedWords(`${first} ${second} tail`)).toBe('a€b tail');
    expect(decodeEncodedWords('=?iso-8859-1?Q?Caf=E9_au_lait?=')).toBe('Café au lait');
  });
});
