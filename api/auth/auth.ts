// Staff authentication with better-auth: DB sessions (drizzle adapter), scrypt-hashed passwords,
// Bearer tokens (bearer plugin) for the REST API. Public sign-up is off: accounts are created by admins
// (and the first admin from ADMIN_EMAIL/ADMIN_PASSWORD).
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError } from 'better-auth/api';
import { bearer, magicLink, twoFactor } from 'better-auth/plugins';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { findUserByEmail, setUserRole } from '../../db/queries/users.ts';
import { accounts, type Role, sessions, twoFactors, users, verifications } from '../../db/schema.ts';
import { rememberSignInToken } from './sign-in-links.ts';

/**
 * What sends a one-time password link (invitation or reset) for an auth instance: registered by the app
 * (api/admin/access/account-mail.ts), called by better-auth's request-password-reset flow.
 */
export type PasswordLinkSender = (data: {
  user: { id: string; email: string; name: string };
  token: string;
}) => Promise<void>;
export const passwordLinkSenders = new WeakMap<object, PasswordLinkSender>();

/** How long an invitation or reset link stays valid (seconds): three days. */
export const passwordLinkTtlSeconds = 3 * 24 * 60 * 60;

export function createAuth(opts: { db: Database; secret: string; baseURL: string; secureCookies: boolean }) {
  const instance = betterAuth({
    appName: 'Ouvidor',
    secret: opts.secret,
    baseURL: opts.baseURL,
    trustedOrigins: [opts.baseURL],
    database: drizzleAdapter(opts.db, {
      provider: 'pg',
      schema: {
        user: users,
        session: sessions,
        account: accounts,
        verification: verifications,
        twoFactor: twoFactors,
      },
    }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: 8,
      autoSignIn: false,
      // invitations and resets (issue 10): the admin never types the password; the person sets it
      resetPasswordTokenExpiresIn: passwordLinkTtlSeconds,
      revokeSessionsOnPasswordReset: true,
      sendResetPassword: async ({ user, token }) => {
        const send = passwordLinkSenders.get(instance);
        if (!send) throw new Error('no password link sender registered for this auth instance');
        await send({ user, token });
      },
    },
    // a deactivated user gets no session, whatever the way in (password, TOTP, token)
    databaseHooks: {
      session: {
        create: {
          before: async (session) => {
            const [row] = await opts.db
              .select({ active: users.active })
              .from(users)
              .where(eq(users.id, session.userId));
            if (row && !row.active)
              throw new APIError('FORBIDDEN', { message: 'Conta desativada', code: 'ACCOUNT_DEACTIVATED' });
          },
        },
      },
    },
    user: {
      additionalFields: {
        role: { type: 'string', required: false, defaultValue: 'citizen', input: false },
        unitCode: { type: 'string', required: false, input: false },
        active: { type: 'boolean', required: false, defaultValue: true, input: false },
      },
    },
    // the lifetime that counts is security.sessionHours from sign-in (api/auth/lifetime.ts, at most 720 h);
    // better-auth's own expiry is its ceiling
    session: { expiresIn: 60 * 60 * 720, updateAge: 60 * 60 },
    rateLimit: { enabled: true, window: 60, max: 20 },
    advanced: { cookiePrefix: 'ouvidor', useSecureCookies: opts.secureCookies },
    plugins: [
      bearer(),
      // Citizens sign in with a one-time link (issue 11); the account pages deliver it (api/account/mail.ts)
      // and refuse staff addresses. Tokens are stored hashed and expire in 15 minutes.
      magicLink({
        expiresIn: 15 * 60,
        storeToken: 'hashed',
        sendMagicLink: ({ email, token }) => rememberSignInToken(email, token),
      }),
      twoFactor({ issuer: 'Ouvidor' }), // staff TOTP (issue 10; Minha conta, /entrar/codigo)
    ],
    telemetry: { enabled: false },
  });
  return instance;
}

export type Auth = ReturnType<typeof createAuth>;

/** Creates (or updates the role of) an account with a password; used for the first admin and the demo. */
export async function ensureUser(
  auth: Auth,
  db: Database,
  u: { email: string; password: string; name: string; role: Role; unitCode?: string | null },
): Promise<string> {
  const email = u.email.toLowerCase();
  const existing = await findUserByEmail(db, email);
  if (existing) return existing.id;
  const ctx = await auth.$context;
  const hash = await ctx.password.hash(u.password);
  const user = await ctx.internalAdapter.createUser(
    { email, name: u.name, emailVerified: true },
    { method: 'admin' },
  );
  await ctx.internalAdapter.linkAccount({
    userId: user.id,
    providerId: 'credential',
    accountId: user.id,
    password: hash,
  });
  await setUserRole(db, user.id, u.role, u.unitCode ?? null);
  return user.id;
}
