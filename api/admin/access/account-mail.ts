// Connects better-auth's reset-password flow to the account mail (activities/email/account-mail.ts): a
// user without a password gets the invitation, one with a password gets a reset link. Registered once
// per app (createApp), so the test apps and the server send the same way.
import { and, eq, isNotNull } from 'drizzle-orm';
import { sendAccountEmail } from '../../../activities/email/account-mail.ts';
import { accounts, users } from '../../../db/schema.ts';
import { passwordLinkSenders, passwordLinkTtlSeconds } from '../../auth/auth.ts';
import { emailContext } from '../../inbound/context.ts';
import type { AppDeps } from '../../types.ts';

export function registerAccountMail(deps: AppDeps): void {
  if (!deps.auth || typeof deps.auth !== 'object') return; // apps built without auth (OpenAPI document tests)
  passwordLinkSenders.set(deps.auth, async ({ user, token }) => {
    const { db } = deps;
    const [row] = await db.select({ role: users.role }).from(users).where(eq(users.id, user.id));
    const [credential] = await db
      .select({ id: accounts.id })
      .from(accounts)
      .where(
        and(
          eq(accounts.userId, user.id),
          eq(accounts.providerId, 'credential'),
          isNotNull(accounts.password),
        ),
      );
    // the links point at this app's public address (tests move it to their port)
    const mail = { ...emailContext(deps).mail, publicUrl: deps.publicUrl };
    await sendAccountEmail(
      { db, mail },
      {
        userId: user.id,
        email: user.email,
        name: user.name,
        role: row?.role ?? 'citizen',
        kind: credential ? 'password_reset' : 'invitation',
        token,
        ttlSeconds: passwordLinkTtlSeconds,
      },
    );
  });
}
