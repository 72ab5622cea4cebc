// A staff account for tests: created through better-auth, signed in through the token route.
import { randomBytes } from 'node:crypto';
import type { Hono } from 'hono';
import { type Auth, ensureUser } from '../../api/auth/auth.ts';
import type { AppEnv } from '../../api/types.ts';
import type { Database } from '../../db/client.ts';
import type { Role } from '../../db/schema.ts';

export async function createStaffAccount(
  env: { app: Hono<AppEnv>; auth: Auth; db: Database; domain: string },
  role: Role,
  extra: { unitCode?: string; email?: string; name?: string } = {},
) {
  const email = extra.email ?? `${role}-${randomBytes(3).toString('hex')}@${env.domain}`;
  const password = 'test-password-1';
  await ensureUser(env.auth, env.db, {
    email,
    password,
    name: extra.name ?? `Test ${role}`,
    role,
    unitCode: extra.unitCode ?? null,
  });
  const res = await env.app.request('/api/v1/auth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const { token } = (await res.json()) as { token: string };
  return {
    email,
    password,
    token,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  };
}
