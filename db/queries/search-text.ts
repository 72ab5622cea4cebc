// Text normalisation shared by the projection (what it stores) and the list query (what it looks for),
// so a fragment typed in the search box and the stored document compare the same way.

/** Lowercase, accents removed, every run of non-letters/digits as one space: "BR-116 Semáforo" → "br 116 semaforo". */
export function trigramText(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Words of a search as prefix terms for to_tsquery ("semaf br" → "semaf:* & br:*"); '' when none. */
export function prefixQuery(q: string): string {
  return trigramText(q)
    .split(' ')
    .filter(Boolean)
    .slice(0, 12)
    .map((w) => `${w}:*`)
    .join(' & ');
}
