// Outages are outages, not auth failures: with the database cut (a TCP proxy severed in front of the real
// PostgreSQL) or Temporal unreachable, every route answers 503 `unavailable` with Retry-After and a request
// id — never 401 or 500 — /healthz names the failing part, pages say "indisponível", failed requests do not
// use up rate limits, and everything works again once the part is back.
import { Client, Connection } from '@temporalio/client';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { createAuth } from '../../api/auth/auth.ts';
import type { AppDeps } from '../../api/types.ts';
import { temporalClientOptions } from '../../config/temporal-client.ts';
import { type Database, postgresOptions } from '../../db/client.ts';
import * as schema from '../../db/schema.ts';
import { json, newManifestation, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { origin } from '../ui/support.ts';

let t: TestOuvidor;
let attendant: Awaited<ReturnType<TestOuvidor['createStaff']>>;
let protocol: string;
let cookie: string;

beforeAll(async () => {
  t = await startTestOuvidor();
  attendant = await t.createStaff('attendant');
  const filed = await json<{ protocol: string }>(
    t.app.request('/api/v1/manifestations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(newManifestation()),
    }),
  );
  protocol = filed.body.protocol;
  const signIn = await t.app.request('/entrar', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
    body: new URLSearchParams({ email: attendant.email, password: attendant.password }).toString(),
  });
  cookie = signIn.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
});
afterAll(async () => t?.stop());

type Probe = { name: string; path: string; init?: RequestInit; html?: boolean };

function probes(): Probe[] {
  const bearer = { authorization: `Bearer ${attendant.token}`, 'content-type': 'application/json' };
  return [
    { name: 'list', path: '/api/v1/manifestations', init: { headers: bearer } },
    { name: 'case', path: `/api/v1/manifestations/${protocol}`, init: { headers: bearer } },
    {
      name: 'note',
      path: `/api/v1/manifestations/${protocol}/actions/note`,
      init: {
        method: 'POST',
        headers: bearer,
        body: JSON.stringify({ text: 'Nota', visibility: 'internal' }),
      },
    },
    {
      name: 'filing',
      path: '/api/v1/manifestations',
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(newManifestation()),
      },
    },
    {
      name: 'token',
      path: '/api/v1/auth/token',
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: attendant.email, password: attendant.password }),
      },
    },
    { name: 'panel page', path: '/painel', init: { headers: { cookie, accept: 'text/html' } }, html: true },
    { name: 'case page', path: `/painel/casos/${protocol}`, init: { headers: { cookie } }, html: true },
  ];
}

async function expectUnavailable(app: ReturnType<typeof createApp>, p: Probe) {
  const res = await app.request(p.path, p.init);
  const text = await res.text();
  expect({ probe: p.name, status: res.status }).toEqual({ probe: p.name, status: 503 });
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  if (p.html) {
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(text).toContain('Serviço indisponível');
    expect(text).toContain('temporariamente indisponível');
  } else {
    const body = JSON.parse(text) as { error: { code: string }; requestId: string };
    expect(body.error.code).toBe('unavailable');
    expect(body.requestId).toBeTruthy();
  }
}

describe.skipIf(!process.env.TEST_DATABASE_ADMIN_URL && !process.env.DATABASE_URL)('database cut', () => {
  let proxy: TcpProxy;
  let sql: postgres.Sql;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    const url = new URL(t.databaseUrl!);
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    sql = postgres(proxy.url(t.databaseUrl!), { ...postgresOptions, max: 4 });
    const db = drizzle(sql, { schema }) as unknown as Database;
    const auth = createAuth({ db, secret: t.deps.secret, baseURL: t.deps.publicUrl, secureCookies: false });
    // Failed requests must not use up the limit: 3 per minute (the buckets are per process: the filing in
    // beforeAll used one), and 4 filings fail during the cut.
    const deps: AppDeps = { ...t.deps, db, auth, rateLimit: { windowMs: 60_000, limit: 3 } };
    app = createApp(deps);
  });
  afterAll(async () => {
    await sql?.end({ timeout: 1 });
    await proxy?.close();
  });

  it('answers 503 (never 401/500) on every route while the database is cut, and recovers', async () => {
    const before = await app.request(`/api/v1/manifestations/${protocol}`, {
      headers: { authorization: `Bearer ${attendant.token}` },
    });
    expect(before.status).toBe(200);

    proxy.sever();
    for (const p of probes()) await expectUnavailable(app, p);
    for (const p of probes()) await expectUnavailable(app, p); // twice: beyond the filing limit of 2
    const health = await json(app.request('/healthz'));
    expect(health).toMatchObject({ status: 503, body: { status: 'error', db: 'error', temporal: 'ok' } });
    expect((await app.request('/readyz')).status).toBe(503);
    expect((await app.request('/livez')).status).toBe(200);

    proxy.restore();
    expect(await json(app.request('/healthz'))).toMatchObject({ status: 200, body: { status: 'ok' } });
    const after = await app.request(`/api/v1/manifestations/${protocol}`, {
      headers: { authorization: `Bearer ${attendant.token}` },
    });
    expect(after.status).toBe(200);
    // The 4 filings that failed on our side were given back: filing works at once, up to the limit.
    for (let i = 0; i < 2; i++) {
      const filed = await app.request('/api/v1/manifestations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(newManifestation()),
      });
      expect(filed.status).toBe(201);
    }
    // …while requests refused for the client's own fault still count.
    const third = await app.request('/api/v1/manifestations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(newManifestation()),
    });
    expect(third.status).toBe(429);
  });
});

describe('Temporal unreachable', () => {
  it('answers 503 for what needs Temporal, serves the read model, and names temporal in /healthz', async () => {
    // Nothing listens on port 1: the same fail-fast client options as server.ts.
    const connection = await Connection.lazy(temporalClientOptions('127.0.0.1:1'));
    const client = new Client({ connection, namespace: t.deps.temporal.namespace });
    const app = createApp({ ...t.deps, temporal: { ...t.deps.temporal, client, connection } });
    try {
      const byName = Object.fromEntries(probes().map((p) => [p.name, p]));
      for (const name of ['case', 'note', 'filing', 'case page']) await expectUnavailable(app, byName[name]!);
      const list = await app.request('/api/v1/manifestations', {
        headers: { authorization: `Bearer ${attendant.token}` },
      });
      expect(list.status).toBe(200); // lists come from PostgreSQL
      const health = await json(app.request('/healthz'));
      expect(health).toMatchObject({ status: 503, body: { status: 'error', db: 'ok', temporal: 'error' } });
    } finally {
      await connection.close();
    }
  });
});
