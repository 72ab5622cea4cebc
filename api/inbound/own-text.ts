// Ouvidor's own words and secrets never come back in as timeline text. Whatever quote stripping did, any
// inbound text is scrubbed before it reaches a case (timeline, description, mail to the assignee):
//   - lines we sent on this case (the outbound mail log's text), with or without `>` quoting, are removed;
//   - access codes (XXXX-XXXX-XXXX in the code alphabet), signed follow links (`…?t=<token>`) and reply
//     addresses (`reply+<token>@…`) are replaced by a placeholder, wherever they appear.
// The original message is untouched in inbound_emails.raw.

/** Access codes as config/access-code.ts writes them (alphabet without I, O, 0, 1). */
const accessCode = /\b[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}\b/g;
/** Signed follow links (activities/email/follow-link.ts) and any URL carrying a base32 `t=` token. */
const followLink = /<?\bhttps?:\/\/[^\s<>"]*[?&]t=[a-z2-7]{16,}[^\s<>"]*>?/gi;
/** Signed reply addresses (activities/email/reply-token.ts), with or without mailto:. */
const replyAddress = /(mailto:)?\breply\+[a-z2-7]{8,}@[a-z0-9.-]+/gi;

export const removedCode = '[código de acesso removido]';
export const removedLink = '[link de acompanhamento removido]';
export const removedAddress = '[endereço de resposta removido]';

/**
 * The mail log keeps citizen secrets sealed (activities/email/sealed-secrets.ts markers): a stored line and
 * the line the citizen got back (with the real secret) compare equal once both carry the same placeholders.
 */
const sealedLink = /<?\bhttps?:\/\/[^\s<>"]*[?&]t=\[link-pessoal-oculto\][^\s<>"]*>?/gi;
const sealedReply = /(mailto:)?\breply\+\[token-oculto\]@[a-z0-9.-]+/gi;
const withPlaceholders = (line: string) =>
  line
    .replace(followLink, removedLink)
    .replace(sealedLink, removedLink)
    .replace(replyAddress, removedAddress)
    .replace(sealedReply, removedAddress)
    .replace(accessCode, removedCode)
    .split('[código de acesso oculto]')
    .join(removedCode);

const minOwnLine = 8;
const lineKey = (line: string) =>
  withPlaceholders(line)
    .replace(/^[ \t]*(>[ \t]?)*/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();

/** The set of our own lines (normalised) from the texts we sent on a case. */
export function ownLines(sentTexts: Array<string | null | undefined>): Set<string> {
  const lines = new Set<string>();
  for (const text of sentTexts) {
    for (const line of (text ?? '').split(/\r?\n/)) {
      const key = lineKey(line);
      if (key.length >= minOwnLine) lines.add(key);
    }
  }
  return lines;
}

/**
 * `text` without our own sent lines and with our secrets replaced. `own` comes from `ownLines` (empty when
 * the message belongs to no case yet: the secret patterns still apply). Blank runs left behind collapse.
 */
export function scrubOwnText(text: string, own: Set<string> = new Set()): string {
  const kept = text
    .split('\n')
    .filter((line) => !own.has(lineKey(line)))
    .join('\n')
    .replace(followLink, removedLink)
    .replace(replyAddress, removedAddress)
    .replace(accessCode, removedCode);
  return kept.replace(/\n{3,}/g, '\n\n').trim();
}
