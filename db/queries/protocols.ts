// Protocol numbers (workflow ids): OUV-YYYY-NNNNNN — the year and that year's sequence
// (protocol_sequences), zero-padded to six digits, and longer once a year passes 999,999 filings:
// OUV-2026-999999 is followed by OUV-2026-1000000 (issue 14.3). Every protocol issued so far keeps its
// form; readers (links, reply tokens, mail subjects, the API) accept 6 to 10 digits. The sequence is a
// PostgreSQL integer, so a year holds up to 2,147,483,647 numbers.

/** Most digits a protocol's sequence may have (an int4 sequence has at most 10). */
export const MAX_PROTOCOL_DIGITS = 10;

/** A whole protocol (canonical form: no extra leading zeros past six digits is enforced by parseProtocol). */
export const protocolPattern = /^OUV-(\d{4})-(\d{6,10})$/;

/** A protocol inside free text (a mail subject, a quoted receipt); case-insensitive, global. */
export const protocolInText = () => /\bOUV-\d{4}-\d{6,10}\b/gi;

/** The protocol of the `seq`-th filing of `year` (seq ≥ 1). */
export function formatProtocol(year: number, seq: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`year ${year}`);
  if (!Number.isInteger(seq) || seq < 0 || seq > 2_147_483_647) throw new RangeError(`sequence ${seq}`);
  return `OUV-${year}-${String(seq).padStart(6, '0')}`;
}

/**
 * Year and sequence of a protocol, or null when `text` is not one in its canonical form (OUV-2026-0123456,
 * with a leading zero past six digits, names no case: it would be a different workflow id).
 */
export function parseProtocol(text: string): { year: number; seq: number } | null {
  const m = protocolPattern.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const seq = Number(m[2]);
  if (seq > 2_147_483_647 || formatProtocol(year, seq) !== text) return null;
  return { year, seq };
}

/** Whether `text` is a protocol in canonical form. */
export const isProtocol = (text: string): boolean => parseProtocol(text) !== null;

/** The first protocol mentioned in `text` (upper-cased), or undefined. */
export function findProtocol(text: string): string | undefined {
  return protocolInText().exec(text)?.[0]?.toUpperCase();
}
