// The text an inbound message contributes to a case, ready for the timeline: quoted history and device
// signatures stripped (quote.ts), then Ouvidor's own sent lines and secrets scrubbed (own-text.ts). A message
// that opens a case by forwarding another keeps the forwarded text and its headers (the citizen's evidence),
// below the citizen's note, so that it is part of the case description and found by the case search. The
// text of attached messages (.eml, .msg) follows, for staff to read and search.
import { openStoredMessage } from '../../activities/email/sealed-secrets.ts';
import type { Database } from '../../db/client.ts';
import { listOutboundForCase } from '../../db/queries/email.ts';
import { ownLines, scrubOwnText } from './own-text.ts';
import { maxScanned, type TextParts, textParts } from './quote.ts';

export const forwardedHeading = '--- Mensagem encaminhada pelo manifestante ---';

/** `{ reply, caseText }`: the reply for a case it threads to; the description for a case it opens. */
export async function inboundText(
  db: Database,
  m: {
    text: string | null | undefined;
    subject: string;
    protocol: string | null;
    /** the app secret, to open our logged messages (sealed-secrets.ts) */
    secret: string;
    /** text extracted from attached messages (.eml, .msg), appended below */
    attachedText?: string;
    /** `textParts(text, subject)` when already computed (the parse worker does it, off the event loop) */
    parts?: TextParts;
  },
): Promise<{ reply: string; caseText: string }> {
  // our texts as the recipients got them (the log keeps their secrets sealed: sealed-secrets.ts)
  const own = m.protocol
    ? ownLines((await listOutboundForCase(db, m.protocol)).map((o) => openStoredMessage(o, m.secret).text))
    : new Set<string>();
  // Only the head of a huge message is read (the timeline keeps 10,000 characters of a reply, a description
  // 20,000): the pattern tables below then stay cheap whatever arrives.
  const { visible, forward } = m.parts ?? textParts(m.text, m.subject);
  const attached = scrubOwnText((m.attachedText ?? '').slice(0, maxScanned), own);
  const join = (...parts: string[]) => parts.filter(Boolean).join('\n\n');
  const reply = join(scrubOwnText(visible, own), attached);
  if (!forward) return { reply, caseText: reply };
  const note = scrubOwnText(forward.note, own);
  const forwarded = scrubOwnText(forward.forwarded, own);
  return { reply, caseText: join(note, forwardedHeading, forwarded, attached) };
}
