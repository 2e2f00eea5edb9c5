/** RFC 5988 Link headers as ConnectWise sends them: `<url>; rel="next", <url>; rel="last"`. */
export function parseLinkHeader(header: string | null): Partial<Record<'first' | 'prev' | 'next' | 'last', string>> {
  const links: Record<string, string> = {};
  if (!header) return links;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /<([^>]*)>\s*;\s*rel="?([a-zA-Z]+)"?/.exec(part.trim());
    if (m) links[m[2]!.toLowerCase()] = m[1]!;
  }
  return links;
}
