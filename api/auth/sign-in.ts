// Staff sign-in, shared by the form (/entrar) and the token route (/api/v1/auth/token): per-account
// throttling (security.signInMaxFailures failures within security.signInLockMinutes lock the account for
// that long, whatever the IP; a success resets the count), deactivated accounts refused, two-factor
// challenge when the user enrolled TOTP (better-auth twoFactor plugin). Every attempt is audited; the
// audit entries are also what the throttle counts.
import type { Context } from 'hono';
import { z } from 'zod';
import { countFailedSignIns, lastSignInSuccess } from '../../db/queries/access.ts';
import { readSettings } from '../../db/queries/settings.ts';
import { audit } from '../../db/queries/users.ts';
import { clientIp } from '../rate-limit.ts';
import type { AppEnv } from '../types.ts';
import { whenAuthFailed } from './session.ts';

export type SignInOutcome =
  | { kind: 'ok'; token: string; headers: Headers }
  /** password right; a TOTP code is due (better-auth set its two-factor cookie in `headers`) */
  | { kind: 'two_factor'; headers: Headers }
  | { kind: 'invalid' }
  | { kind: 'deactivated' }
  | { kind: 'locked'; minutes: number };

const apiErrorCode = (err: unknown) => (err as { body?: { code?: string } } | null)?.body?.code;

/** Whether the account is locked now, and for how many more minutes (rounded up). */
export async function accountLock(c: Context<AppEnv>, email: string): Promise<number> {
  const { db } = c.var.deps;
  const s = await readSettings(db);
  const windowMs = s['security.signInLockMinutes'] * 60_000;
  const lastOk = await lastSignInSuccess(db, email);
  const windowStart = new Date(Date.now() - windowMs);
  const since = lastOk && lastOk > windowStart ? lastOk : windowStart;
  const failures = await countFailedSignIns(db, email, since);
  return failures >= s['security.signInMaxFailures'] ? s['security.signInLockMinutes'] : 0;
}

export async function signInStaff(
  c: Context<AppEnv>,
  rawEmail: string,
  password: string,
  via: 'signin' | 'token',
): Promise<SignInOutcome> {
  const { db, auth } = c.var.deps;
  const email = rawEmail.trim().toLowerCase();
  const ip = clientIp(c);
  // not an address (or control characters, which PostgreSQL refuses): no account to count or check
  if (!z.email().safeParse(email).success) return { kind: 'invalid' };
  const minutes = email ? await accountLock(c, email) : 0;
  if (minutes) {
    await audit(db, { actor: email, action: `auth.${via}.locked`, ip });
    return { kind: 'locked', minutes };
  }
  let code: string | undefined;
  const result = await auth.api
    .signInEmail({ body: { email, password }, headers: c.req.raw.headers, returnHeaders: true })
    .catch((err: unknown) => {
      code = apiErrorCode(err);
      return code === 'ACCOUNT_DEACTIVATED' ? null : whenAuthFailed(c, err); // database down → 503
    });
  if (code === 'ACCOUNT_DEACTIVATED') {
    await audit(db, { actor: email, action: `auth.${via}.deactivated`, ip });
    return { kind: 'deactivated' };
  }
  const ok = via === 'signin' ? 'auth.signin.ok' : 'auth.token.issued';
  const denied = via === 'signin' ? 'auth.signin.denied' : 'auth.token.denied';
  const body = result?.response as { token?: string | null; twoFactorRedirect?: boolean } | undefined;
  if (body?.twoFactorRedirect) {
    await audit(db, { actor: email, action: `auth.${via}.two_factor`, ip });
    return { kind: 'two_factor', headers: result?.headers ?? new Headers() };
  }
  if (!result || !body?.token) {
    await audit(db, { actor: email, action: denied, ip });
    return { kind: 'invalid' };
  }
  await audit(db, { actor: email, action: ok, ip });
  return { kind: 'ok', token: body.token, headers: result.headers };
}
