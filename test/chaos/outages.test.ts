// Chaos, part b (issue 15.3/15.6): outages in the production shape (tsx server.ts + a worker process, real
// PostgreSQL behind a TCP proxy, the test's own Temporal dev server). While the database is cut, or Temporal
// is stopped, every answer is 503 (never 401/500) with Retry-After, /healthz answers 503 within a second
// naming the part, and once the part is back everything works again within seconds — and the requests
// retried with their Idempotency-Key acted exactly once.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, type Cluster, hasPostgres, startCluster, waitUntil } from './cluster.ts';

let c: Cluster;
let token: string;
let protocol: string;
let cookie: string;

const newCase = () => ({
  kind: 'complaint',
  subject: 'Buraco na Rua das Flores',
  description: 'Há um buraco grande na Rua das Flores, em frente ao número 100.',
  identity: 'identified',
  citizen: { name: 'Maria Souza', email: 'maria@example.org' },
});

async function call(path: string, init: RequestInit = {}) {
  const res = await fetch(`${c.url}${path}`, { ...init, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), text };
}

const staff = () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
const note = (text: string, key: string) =>
  call(`/api/v1/manifestations/${protocol}/actions/note`, {
    method: 'POST',
    headers: { ...staff(), 'Idempotency-Key': key },
    body: JSON.stringify({ text, visibility: 'internal' }),
  });

/** One round of what users do: read the list and the case, add a note, file a case, open the panel. */
async function round(keys: string[]) {
  const key = randomUUID();
  keys.push(key);
  return Promise.all([
    call('/api/v1/manifestations', { headers: staff() }),
    call(`/api/v1/manifestations/${protocol}`, { headers: staff() }),
    note(`nota ${key}`, key),
    call('/api/v1/manifestations', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Idempotency-Key': randomUUID() },
      body: JSON.stringify(newCase()),
    }),
    call('/painel', { headers: { cookie } }),
  ]);
}

/** /healthz, which must answer within a second whatever is down. */
async function health() {
  const res = await fetch(`${c.url}/healthz`, { signal: AbortSignal.timeout(1000) });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

async function notesOnCase(): Promise<string[]> {
  const res = await call(`/api/v1/manifestations/${protocol}`, { headers: staff() });
  const view = JSON.parse(res.text) as { timeline: Array<{ type: string; data: { text?: string } }> };
  return view.timeline.filter((e) => e.type === 'note_added').map((e) => e.data.text ?? '');
}

describe.skipIf(!hasPostgres)('outages in the production shape', () => {
  beforeAll(async () => {
    c = await startCluster({ workers: 1 });
    token = await adminToken(c);
    const filed = await call('/api/v1/manifestations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(newCase()),
    });
    protocol = (JSON.parse(filed.text) as { protocol: string }).protocol;
    const signIn = await fetch(`${c.url}/entrar`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: c.url },
      body: new URLSearchParams(c.admin).toString(),
    });
    cookie = signIn.headers
      .getSetCookie()
      .map((s) => s.split(';')[0])
      .join('; ');
    expect((await call('/painel', { headers: { cookie } })).status).toBe(200);
  }, 180_000);
  afterAll(async () => c?.stop());

  it('database cut: only 503s, /healthz says db, and the retried notes land once after it is back', async () => {
    const keys: string[] = [];
    c.proxy.sever();
    for (let i = 0; i < 3; i++) {
      for (const r of await round(keys)) {
        expect(r.status, r.text).toBe(503);
        expect(Number(r.retryAfter)).toBeGreaterThan(0);
      }
      expect(await health()).toMatchObject({ status: 503, body: { db: 'error', temporal: 'ok' } });
    }
    c.proxy.restore();
    // Recovery within seconds: the clients retry their notes with the same keys.
    await waitUntil(async () => (await note(`nota ${keys[0]}`, keys[0]!)).status === 200, 15_000);
    for (const key of keys) expect((await note(`nota ${key}`, key)).status).toBe(200);
    expect(await health()).toMatchObject({ status: 200, body: { status: 'ok' } });
    const notes = await notesOnCase();
    for (const key of keys) expect(notes.filter((n) => n === `nota ${key}`)).toHaveLength(1);
  });

  it('Temporal stopped: never 401/500, /healthz says temporal, and everything works after the restart', async () => {
    const keys: string[] = [];
    await c.stopTemporal();
    for (let i = 0; i < 3; i++) {
      const [list, one, added, filed, panel] = await round(keys);
      // The list and the panel read PostgreSQL: they may still answer; nothing answers 401 or 500.
      for (const r of [list!, panel!]) expect([200, 503], r.text).toContain(r.status);
      for (const r of [one!, added!, filed!]) {
        expect(r.status, r.text).toBe(503);
        expect(Number(r.retryAfter)).toBeGreaterThan(0);
      }
      expect(await health()).toMatchObject({ status: 503, body: { db: 'ok', temporal: 'error' } });
    }
    await c.restartTemporal();
    await waitUntil(async () => (await note(`nota ${keys[0]}`, keys[0]!)).status === 200, 30_000);
    for (const key of keys) expect((await note(`nota ${key}`, key)).status).toBe(200);
    expect(await health()).toMatchObject({ status: 200, body: { status: 'ok' } });
    const notes = await notesOnCase();
    for (const key of keys) expect(notes.filter((n) => n === `nota ${key}`)).toHaveLength(1);
  });
});
