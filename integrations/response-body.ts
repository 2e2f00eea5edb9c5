/**
 * What a body that is not the API's JSON looks like, in a few words for an error message: a proxy's
 * or gateway's HTML page (by its title), an empty body, or other text (by its size). Never the body
 * itself: it may be huge, and is not ours to copy into histories.
 */
export function describeForeignBody(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return 'an empty body';
  if (/^<(!doctype\s+html|html|head|body)\b/i.test(trimmed)) {
    const title = /<title[^>]*>([^<]{1,200})<\/title>/i.exec(trimmed)?.[1]?.trim().replace(/\s+/g, ' ');
    return `an HTML page${title ? ` ("${title.slice(0, 80)}")` : ''} (a proxy, gateway or login page, not the API)`;
  }
  return `a body that is not JSON (${Buffer.byteLength(trimmed)} bytes)`;
}

/** Text from an API answer put into a message: at most `max` characters, marked when cut. */
export function bounded(text: string, max = 500): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length - max} more characters)`;
}
