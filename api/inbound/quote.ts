// The part of a reply the person wrote. Quoted history and device signatures are cut by the pattern tables
// below (the clients citizens really use, in pt-BR, en and es), then email-reply-parser removes what is left
// of `>` quoting and "-- " signatures. The full original stays in inbound_emails.raw (the mail log).
//
// Quote headers recognised (each line opens the quoted history; it and everything below are cut):
//   Gmail / Apple Mail / Android / Thunderbird   "Em <data>, <nome> escreveu:", "On <date>, <name> wrote:",
//                                                "El <fecha>, <nombre> escribió:" (a date/time is required,
//                                                the header may wrap over three lines)
//   Yahoo                                        the same header glued to the first quoted line, no `>`
//   Outlook desktop / web / mobile              "De:/From:" (a name alone is enough) followed within three
//                                                lines by "Enviada em:/Enviado:/Sent:/Date:/Data:/Fecha:"
//   separators                                   "-----Mensagem original-----", "-----Original Message-----",
//                                                "-----Mensaje original-----", a line of underscores before
//                                                "De:/From:", forward markers (see forwardMarkers)
// Device signatures (the line and everything below it are cut): see deviceSignature.
import EmailReplyParser from 'email-reply-parser';

const verbs = 'escreveu|wrote|escribió|escribio|a écrit|schrieb|ha scritto';
const sentLabels = 'Enviada em|Enviado em|Enviada|Enviado el|Enviado|Sent|Date|Data|Fecha|Gesendet|Envoyé';

/** Markers that open a forwarded message (also used to keep forwarded evidence on a new case). */
export const forwardMarkers: RegExp[] = [
  /^[ \t]*-{2,}[ \t]*(Forwarded message|Forwarded Message|Mensagem encaminhada|Mensaje reenviado|Message transféré)[ \t]*-{2,}[^\n]*$/im,
  /^[ \t]*(Begin forwarded message|In[íi]cio da mensagem encaminhada|Mensagem encaminhada|Inicio del mensaje reenviado)[ \t]*:[ \t]*$/im,
];

const quoteHeaders: RegExp[] = [
  // "Em qua., 3 de jan. de 2024 às 09:00, Fulana <f@x> escreveu:" — possibly wrapped, possibly glued (Yahoo).
  new RegExp(
    `^[ \\t>]*(Em|On|El|Le|Am|Il)[ \\t][^\\n]*?(\\d{1,2}:\\d{2}|\\b(19|20)\\d{2}\\b)[^\\n]*?(?:\\n[^\\n]*?){0,2}?(${verbs})[ \\t]*:`,
    'im',
  ),
  // Outlook: "De: Ouvidoria Municipal" then "Enviada em: …" within the next three lines.
  new RegExp(
    `^[ \\t>]*\\*?(De|From|Von)[ \\t]*:\\*?[^\\n]*\\n(?:[^\\n]*\\n){0,2}?[ \\t>]*\\*?(${sentLabels})[ \\t]*:`,
    'im',
  ),
  /^[ \t>]*-{2,}[ \t]*(Original Message|Mensagem original|Mensaje original|Message d'origine)[ \t]*-{2,}/im,
  /^[ \t]*_{10,}[ \t]*\n+[ \t]*\*?(De|From|Von)[ \t]*:/im,
  ...forwardMarkers,
];

/** A device or app signature line: "Enviado do meu iPhone", "Sent from my Galaxy", "Obter o Outlook para Android"… */
export const deviceSignature = new RegExp(
  [
    String.raw`^[ \t]*(`,
    String.raw`Enviad[oa]s? (do|de|da|pelo|pela|via|a partir d[oe]|com o|com) (meu |minha |seu |sua |o |a )?`,
    String.raw`(iPhone|iPad|Android|smartphone|celular|telem[óo]vel|tablet|dispositivo|Galaxy|Samsung|Xiaomi|Redmi|Motorola|moto|LG|Huawei|Yahoo|Outlook|Mail|E-?mail|Gmail|BlackBerry|Windows|aplicativo|app)`,
    String.raw`|Sent (from|with|via|using) (my )?\S+`,
    String.raw`|Enviado desde (mi )?\S+`,
    String.raw`|Envoy[ée] de mon \S+`,
    String.raw`|(Obter|Obtenha|Baixe|Baixar|Get|Obtener|Descargar|Descarga) (o |el )?Outlook (para|for|pour) \S+`,
    String.raw`)[^\n]{0,80}$`,
  ].join(''),
  'im',
);

/** Index of the earliest match of any pattern in `text`, or -1. */
function earliest(text: string, patterns: RegExp[]): number {
  let at = -1;
  for (const p of patterns) {
    const m = p.exec(text);
    if (m && (at < 0 || m.index < at)) at = m.index;
  }
  return at;
}

const normalise = (text: string | null | undefined) => (text ?? '').replace(/\r\n?/g, '\n');

/** `text` without quoted history (pattern tables) and without a device signature and what follows it. */
function cutHistory(text: string): string {
  let visible = text;
  const quote = earliest(visible, quoteHeaders);
  if (quote >= 0) visible = visible.slice(0, quote);
  const signature = deviceSignature.exec(visible);
  if (signature) visible = visible.slice(0, signature.index);
  return visible;
}

/**
 * The text the sender wrote: quoted history, device signatures and "-- " signatures removed. Returns ''
 * when nothing but history was sent (never the quoted text: it would carry our own messages back).
 */
export function visibleText(text: string | null | undefined): string {
  const full = normalise(text).trim();
  if (!full) return '';
  const cut = cutHistory(full).trim();
  if (!cut) return '';
  return cutHistory(new EmailReplyParser().read(cut).getVisibleText()).trim();
}

/**
 * A message that forwards another (the citizen's evidence): the note above the forward and the forwarded
 * block (its headers and text, `>` quoting removed), or null when `text` forwards nothing. `subject` helps
 * Outlook forwards ("ENC:", "FW:", "RV:", "TR:"), whose only marker is a "De:/From:" header block.
 */
export function splitForward(
  text: string | null | undefined,
  subject: string,
): { note: string; forwarded: string } | null {
  const full = normalise(text).trim();
  const forwardSubject = /^\s*(fwd?|enc|rv|tr|wg)\s*:/i.test(subject);
  const at = earliest(full, forwardSubject ? quoteHeaders : forwardMarkers);
  if (at < 0) return null;
  const note = visibleText(full.slice(0, at));
  const forwarded = full
    .slice(at)
    .split('\n')
    .map((line) => line.replace(/^>[ ]?/, ''))
    .join('\n')
    .trim();
  return forwarded ? { note, forwarded } : null;
}

/** Characters of an inbound text that are read at all (the timeline keeps 10,000 of a reply). */
export const maxScanned = 100_000;

/** What quote stripping makes of a message text: the reply the sender wrote, and a forward if any. */
export type TextParts = { visible: string; forward: { note: string; forwarded: string } | null };

/**
 * `visibleText` and `splitForward` of the head of `text` (`maxScanned` characters). The parse worker runs
 * it (email-reply-parser takes a few hundred ms on a long text), so the pipeline gets it ready.
 */
export function textParts(text: string | null | undefined, subject: string): TextParts {
  const head = (text ?? '').slice(0, maxScanned);
  return { visible: visibleText(head), forward: splitForward(head, subject) };
}
