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

/** The forward-only cursor in a Link rel="next" URL (`pageId=N`, meaning "ids above N"), if it carries one. */
export function pageIdOf(url: string | undefined): number | undefined {
  if (!url) return undefined;
  const raw = new URL(url, 'http://link.invalid').searchParams.get('pageId');
  if (raw === null || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}
