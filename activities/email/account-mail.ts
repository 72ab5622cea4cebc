// Account messages (issue 10): an invitation to set a password or a password reset link, from
// better-auth's reset-password flow (its one-time token in `verifications`). The message is logged in
// `account_emails` before it is sent; the log keeps the link replaced by a marker and the link itself
// encrypted (AES-256-GCM, key derived from the app secret), so nobody reads the credential in the log.
// The transport gets the message with the link opened. With no transport configured (mail log only) the
// admins may open the link on the user's page to hand it over (api/ui/admin/access-users.ts).
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import { finishAccountEmail, insertAccountEmail } from '../../db/queries/access.ts';
import type { AccountEmailKind, AccountEmailStatus } from '../../db/schema.ts';
import { renderAccountEmail } from '../../views/emails/account.tsx';
import { type Language, translator } from '../../views/i18n.ts';
import type { MailSettings } from './settings.ts';
import { createTransportFor } from './transport.ts';

/** What the log shows in place of the link. */
export const accountLinkMarker = '[link-de-senha-oculto]';

/** The page where the person sets a password (api/ui/staff-account-public.ts). */
export const passwordLink = (publicUrl: string, token: string) =>
  `${publicUrl.replace(/\/$/, '')}/definir-senha/${encodeURIComponent(token)}`;

const keyOf = (secret: string) =>
  Buffer.from(hkdfSync('sha256', secret, 'ouvidor', 'account-email-link', 32));

/** base64url(iv ‖ tag ‖ ciphertext) of the link. */
export function sealLink(secret: string, link: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv);
  const body = Buffer.concat([cipher.update(link, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The link again; throws when the value was not sealed with this secret. */
export function openLink(secret: string, sealed: string): string {
  const raw = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

export type AccountEmailInput = {
  userId: string;
  email: string;
  name: string;
  role: string;
  kind: AccountEmailKind;
  token: string;
  /** link lifetime in seconds */
  ttlSeconds: number;
  lang?: Language;
};

/**
 * Logs and sends one account message. Never throws for a transport failure: the row ends `failed` with
 * the error (shown to admins, who may send the invitation again); a database error propagates.
 */
export async function sendAccountEmail(
  deps: { db: Database; mail: MailSettings },
  input: AccountEmailInput,
): Promise<{ id: string; status: AccountEmailStatus }> {
  const lang = input.lang ?? 'pt-BR';
  const link = passwordLink(deps.mail.publicUrl, input.token);
  const days = Math.round(input.ttlSeconds / 86_400);
  const hours = Math.round(input.ttlSeconds / 3600);
  const validity =
    lang === 'en'
      ? days >= 1
        ? `${days} day${days > 1 ? 's' : ''}`
        : `${hours} hour${hours > 1 ? 's' : ''}`
      : days >= 1
        ? `${days} dia${days > 1 ? 's' : ''}`
        : `${hours} hora${hours > 1 ? 's' : ''}`;
  const message = await renderAccountEmail({
    kind: input.kind,
    lang,
    name: input.name,
    email: input.email,
    roleLabel: translator(lang)(`role.${input.role}`, input.role),
    link,
    validity,
  });
  const sealed = (s: string) => s.split(link).join(accountLinkMarker);
  const id = await insertAccountEmail(deps.db, {
    userId: input.userId,
    kind: input.kind,
    recipient: input.email,
    subject: message.subject,
    html: sealed(message.html),
    text: sealed(message.text),
    sealedLink: sealLink(deps.mail.secret, link),
    linkExpiresAt: new Date(Date.now() + input.ttlSeconds * 1000),
  });
  const transport = createTransportFor(deps.mail);
  const result = await transport
    .send({
      idempotencyKey: `account:${id}`,
      from: deps.mail.from,
      to: input.email,
      replyTo: deps.mail.from,
      subject: message.subject,
      html: message.html,
      text: message.text,
      messageId: `<account.${id}@${deps.mail.domain}>`,
      headers: { 'Auto-Submitted': 'auto-generated' },
    })
    .catch((err: unknown) => ({
      ok: false as const,
      error: err instanceof Error ? err.message : String(err),
    }));
  const status: AccountEmailStatus = result.ok ? (transport.name === 'log' ? 'logged' : 'sent') : 'failed';
  await finishAccountEmail(deps.db, id, {
    status,
    transport: transport.name,
    error: result.ok ? null : result.error,
  });
  return { id, status };
}
