// The part of a reply the person wrote: quoted history removed (email-reply-parser handles Gmail/Apple
// "Em … escreveu:", "On … wrote:", "De: Nome <e-mail>" and signatures); Outlook separators it misses are
// cut here. The full original is kept in inbound_emails.raw.
import EmailReplyParser from 'email-reply-parser';

const outlookMarkers = [
  /^\s*-{2,}\s*(Original Message|Mensagem original|Mensagem encaminhada|Forwarded message)\s*-{2,}.*$/im,
  /^\s*_{20,}\s*\r?\n\s*(De|From)\s*:/im,
  /^\s*\*?(De|From)\s*:\*?\s.*\r?\n\s*\*?(Enviad[ao]|Sent|Data|Date)\s*:/im,
];

export function visibleText(text: string | null | undefined): string {
  const full = (text ?? '').replace(/\r\n?/g, '\n').trim();
  if (!full) return '';
  let visible = new EmailReplyParser().read(full).getVisibleText();
  for (const marker of outlookMarkers) {
    const m = marker.exec(visible);
    if (m) visible = visible.slice(0, m.index);
  }
  visible = visible.trim();
  return visible || full;
}
