/**
 * JSON read from a file holding secrets (codec keys, OAuth tokens). JSON.parse's own message quotes
 * the text around a syntax error, which would print part of a key or token; this says only where
 * the error is (line and column when the parser reports a position).
 */
export type SecretJson = { ok: true; value: unknown } | { ok: false; where: string };

export function parseSecretJson(text: string): SecretJson {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    const position = /at position (\d+)/.exec((err as Error).message);
    if (text.trim() === '') return { ok: false, where: 'the file is empty' };
    if (!position) return { ok: false, where: 'a syntax error' };
    const before = text.slice(0, Number(position[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    return { ok: false, where: `a syntax error at line ${line}, column ${column}` };
  }
}
