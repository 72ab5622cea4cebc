// Delivery of a citizen's sign-in link. The link is a credential: it goes to the transport only, never to
// the mail log (outbound_emails), so no staff member can read it. With no transport configured (the
// default "mail log only" mode), outside production the link is printed to the server log and kept in
// memory for the tests (devSignInLink); in production nothing is printed.
import { randomUUID } from 'node:crypto';
import { createTransportFor } from '../../activities/email/transport.ts';
import { emailContext } from '../inbound/context.ts';
import type { AppDeps } from '../types.ts';

const devLinks = new Map<string, string>();

/** The last sign-in link printed for `email` in development (tests read it here). */
export function devSignInLink(email: string): string | undefined {
  return devLinks.get(email.toLowerCase());
}

/** Sends the one-time sign-in link `url` to `email` (pt-BR). Throws when the transport refuses it. */
export async function deliverSignInLink(deps: AppDeps, email: string, url: string): Promise<void> {
  const { mail } = emailContext(deps);
  const transport = createTransportFor(mail);
  if (transport.name === 'log') {
    if (deps.production) {
      console.warn(
        `sign-in link for a citizen not sent: no mail transport configured (RESEND_API_KEY or SMTP_URL)`,
      );
      return;
    }
    devLinks.set(email.toLowerCase(), url);
    console.info(`[desenvolvimento] link de acesso de ${email}: ${url}`);
    return;
  }
  const text = [
    'Olá,',
    '',
    'Use o link abaixo para entrar em Minhas manifestações. Ele vale por 15 minutos e só pode ser usado uma vez.',
    '',
    url,
    '',
    'Se você não pediu este acesso, ignore esta mensagem.',
  ].join('\n');
  const html = `<p>Olá,</p><p>Use o link abaixo para entrar em <strong>Minhas manifestações</strong>. Ele vale por 15 minutos e só pode ser usado uma vez.</p><p><a href="${url}">Entrar em Minhas manifestações</a></p><p>Se você não pediu este acesso, ignore esta mensagem.</p>`;
  const result = await transport.send({
    idempotencyKey: `sign-in:${randomUUID()}`,
    from: mail.from,
    to: email,
    replyTo: mail.from,
    subject: 'Seu link de acesso — Minhas manifestações',
    html,
    text,
    messageId: `<${randomUUID()}@${mail.domain}>`,
    headers: { 'Auto-Submitted': 'auto-generated' },
  });
  if (!result.ok) throw new Error(`sign-in link not sent: ${result.error}`);
}
