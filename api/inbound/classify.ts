// Mail that must never be answered nor create or reopen a case: bounces (null sender, mailer-daemon,
// delivery reports), auto-replies (Auto-Submitted, X-Autoreply, vacation subjects), bulk/list mail
// (Precedence, List-Id) and our own messages coming back (loops).
export type Classification = 'personal' | 'auto_reply' | 'bounce' | 'bulk' | 'loop';

export type ClassifyInput = {
  header: (name: string) => string | undefined;
  envelopeFrom: string | null | undefined;
  from: string | null;
  subject: string;
  contentType: string;
  ourDomain: string;
  ourAddresses: string[];
};

const vacationSubject =
  /^\s*(resposta autom[aá]tica|automatic reply|auto(matic)?[- ]?reply|autoresposta|out of (the )?office|ausente|f[eé]rias)\b/i;

export function classify(m: ClassifyInput): { classification: Classification; reason: string | null } {
  const from = (m.from ?? '').toLowerCase();
  const local = from.split('@')[0] ?? '';
  if (m.envelopeFrom === '' || /^<\s*>$/.test(m.header('return-path')?.trim() ?? 'x')) {
    return { classification: 'bounce', reason: 'remetente nulo (<>)' };
  }
  if (/^(mailer-daemon|postmaster)$/.test(local))
    return { classification: 'bounce', reason: `remetente ${local}` };
  if (/multipart\/report/i.test(m.contentType)) {
    return { classification: 'bounce', reason: 'relatório de entrega (multipart/report)' };
  }
  const ours = m.ourAddresses.includes(from) || (from.endsWith(`@${m.ourDomain}`) && /^reply\+/.test(local));
  if (ours || m.header('x-ouvidor-protocol'))
    return { classification: 'loop', reason: 'mensagem do próprio sistema' };
  const autoSubmitted = m.header('auto-submitted')?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') {
    return { classification: 'auto_reply', reason: `Auto-Submitted: ${autoSubmitted}` };
  }
  for (const h of ['x-autoreply', 'x-autorespond', 'x-autoresponder']) {
    if (m.header(h)) return { classification: 'auto_reply', reason: h };
  }
  const precedence = m.header('precedence')?.trim().toLowerCase();
  if (precedence === 'auto_reply') return { classification: 'auto_reply', reason: 'Precedence: auto_reply' };
  if (precedence && ['bulk', 'junk', 'list'].includes(precedence)) {
    return { classification: 'bulk', reason: `Precedence: ${precedence}` };
  }
  if (m.header('list-id') || m.header('list-unsubscribe'))
    return { classification: 'bulk', reason: 'List-Id' };
  if (vacationSubject.test(m.subject))
    return { classification: 'auto_reply', reason: 'assunto de resposta automática' };
  return { classification: 'personal', reason: null };
}
