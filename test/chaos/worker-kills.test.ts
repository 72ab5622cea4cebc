// Chaos, part a (issue 15.6): the production shape with TWO worker processes, one SIGKILLed again and again
// while a driver files cases and runs their lives (assign, forward, unit-response, note, answer, close) as a
// retrying client would: every write carries an Idempotency-Key, and a timeout, a network error or a 503 is
// retried with the same key after Retry-After. Afterwards: 0 lost, 0 duplicated timeline entries, 0
// projection mismatches (read model vs Query), 0 duplicate e-mails (mail log and the fake Resend API).
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOutboundForCase } from '../../db/queries/email.ts';
import { upsertUnit } from '../../db/queries/units.ts';
import { manifestations } from '../../db/schema.ts';
import { type FakeResend, startFakeResend } from '../email/support.ts';
import { adminToken, type Cluster, hasPostgres, startCluster, waitUntil } from './cluster.ts';

const CASES = 4;
const CONCURRENCY = 4;
/** Bounded chaos (CI time): at most this many kills, one every 1–2 s while the lives run. */
const MAX_KILLS = 12;
/** On a fast machine four lives end before a kill: keep starting lives until this many kills happened. */
const MIN_KILLS = 3;
const MAX_CASES = 40;

let c: Cluster;
let fake: FakeResend;
let token: string;
const stats = { requests: 0, retries: 0, kills: 0 };

type View = {
  protocol: string;
  status: string;
  revision: number;
  timeline: Array<{ type: string; data: Record<string, unknown> }>;
};

/** A retrying client: same key on every attempt; retries 503 (after Retry-After), timeouts, network errors. */
async function send(path: string, body: unknown, key = randomUUID()): Promise<View & { protocol: string }> {
  for (let attempt = 1; ; attempt++) {
    stats.requests++;
    let status = 0;
    let text = '';
    let wait = 1;
    try {
      const res = await fetch(`${c.url}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'Idempotency-Key': key,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      status = res.status;
      text = await res.text();
      wait = Number(res.headers.get('retry-after') ?? 1);
    } catch {
      status = 0; // client timeout or connection error: the outcome is unknown, retry with the same key
    }
    if (status === 200 || status === 201) return JSON.parse(text);
    if ((status !== 503 && status !== 0) || attempt >= 30) throw new Error(`${path}: ${status} ${text}`);
    stats.retries++;
    await new Promise((r) => setTimeout(r, Math.min(wait, 3) * 1000));
  }
}

async function live(i: number): Promise<string> {
  const filed = await send('/api/v1/manifestations', {
    kind: 'complaint',
    subject: `Caso ${i}: iluminação apagada`,
    description: `Os postes da rua ${i} estão apagados há uma semana.`,
    identity: 'identified',
    citizen: { name: `Cidadã ${i}`, email: `cidada-${i}@example.org` },
  });
  const p = filed.protocol;
  const act = async (action: string, body: unknown) => {
    const t0 = Date.now();
    const v = await send(`/api/v1/manifestations/${p}/actions/${action}`, body);
    if (process.env.CHAOS_TRACE) console.log(`${p} ${action} ${Date.now() - t0} ms`);
    return v;
  };
  await act('assign', { assignee: c.admin.email });
  await act('forward', { units: ['SEC-CHAOS'], instructions: 'Verificar e responder.' });
  await act('unit-response', { unit: 'SEC-CHAOS', text: 'Equipe enviada; postes religados.' });
  await act('note', { text: `Nota do caso ${i}`, visibility: 'internal' });
  await act('answer', { text: 'Os postes foram religados pela equipe de manutenção.' });
  await act('close', { reason: 'Respondida' });
  return p;
}

async function getView(protocol: string): Promise<View> {
  const res = await fetch(`${c.url}/api/v1/manifestations/${protocol}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return (await res.json()) as View;
}

describe.skipIf(!hasPostgres)('worker processes killed during case lives', () => {
  beforeAll(async () => {
    fake = await startFakeResend();
    c = await startCluster({
      workers: 2,
      env: { RESEND_API_KEY: 're_test_key', RESEND_BASE_URL: fake.baseUrl },
    });
    await upsertUnit(c.database.db, {
      code: 'SEC-CHAOS',
      name: 'Secretaria do Caos',
      email: 'caos@chaos.test',
    });
    token = await adminToken(c);
  }, 180_000);
  afterAll(async () => {
    await c?.stop();
    await fake?.close();
  });

  it('loses nothing, duplicates nothing, and projects every case as its workflow sees it', async () => {
    // The killer: SIGKILL worker 0 every few seconds and start it again (MAX_KILLS); worker 1 stays up.
    let stop = false;
    let victim = c.workers[0]!;
    const killer = (async () => {
      while (!stop && stats.kills < MAX_KILLS) {
        await new Promise((r) => setTimeout(r, 1000 + Math.random() * 1000));
        if (stop) break;
        victim.kill('SIGKILL');
        stats.kills++;
        victim = c.startWorker(`worker-0-${stats.kills}`);
      }
    })();

    const protocols: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < CASES || (stats.kills < MIN_KILLS && next < MAX_CASES)) {
          const i = next++;
          protocols.push(await live(i));
        }
      }),
    );
    stop = true;
    await killer;
    console.log(
      `chaos: ${next} cases, ${stats.requests} requests, ${stats.retries} retries, ${stats.kills} kills`,
    );
    expect(stats.kills).toBeGreaterThanOrEqual(MIN_KILLS);

    // 0 lost, 0 duplicated transitions or timeline entries.
    expect(new Set(protocols).size).toBe(next);
    const once = ['received', 'assigned', 'forwarded', 'unit_responded', 'note_added', 'answered', 'closed'];
    for (const p of protocols) {
      const view = await getView(p);
      expect(view.status, p).toBe('closed');
      for (const type of once)
        expect(view.timeline.filter((e) => e.type === type).length, `${p} ${type}`).toBe(1);
    }

    if (process.env.CHAOS_TRACE) console.log('chaos: timelines checked');
    // 0 projection mismatches: the read model catches up with every workflow (its outbox drains).
    await waitUntil(async () => {
      for (const p of protocols) {
        const view = await getView(p);
        const [row] = await c.database.db.select().from(manifestations).where(eq(manifestations.protocol, p));
        if (!row || row.revision !== view.revision || row.status !== view.status) return false;
      }
      return true;
    }, 60_000);

    if (process.env.CHAOS_TRACE) console.log('chaos: projections checked');
    // 0 duplicate e-mails: one stored message per event and recipient, each accepted once by the provider.
    await waitUntil(async () => {
      for (const p of protocols)
        if ((await listOutboundForCase(c.database.db, p)).some((m) => m.status === 'sending')) return false;
      return true;
    }, 60_000);
    const sentKeys = new Set<string>();
    for (const p of protocols) {
      const mails = await listOutboundForCase(c.database.db, p);
      const perEvent = new Map<string, number>();
      for (const m of mails) {
        const k = `${m.eventType}:${m.recipient}`;
        perEvent.set(k, (perEvent.get(k) ?? 0) + 1);
        expect(m.status, `${p} ${k}`).toBe('sent');
        sentKeys.add(m.idempotencyKey);
      }
      for (const [k, n] of perEvent) expect(n, `${p} ${k}`).toBe(1);
    }
    const accepted = new Set(fake.sends.map((s) => s.idempotencyKey));
    expect(accepted).toEqual(sentKeys);
    expect(fake.acceptedCount()).toBe(sentKeys.size);
  }, 200_000);
});
