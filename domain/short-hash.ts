/**
 * FNV-1a over a string's UTF-16 code units, 32 bits: a short, stable tag where no secrecy is
 * needed (domain code is bundle-safe and has no crypto). Callers choose the seed and the format.
 */
export function fnv1a32(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
