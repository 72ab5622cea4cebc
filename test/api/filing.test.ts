// Issue 15.5 (and 15.1 for filings and forms): a filing either creates the case or leaves nothing a user
// can see; a number that cannot be used becomes a recorded gap; a filing that timed out is resumed by the
// retry with the same key; forms carry a fresh key per render, so a resubmitted form acts once.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { reconcileIntakes } from '../../api/manifestations/filing.ts';
import { IntakeKeyTaken, reserveIntake } from '../../db/queries/intakes.ts';
import { intakes, manifestations, protocolSequences } from '../../db/schema.ts';
import { json, newManifestation, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';
import { testDataConverter } from '../support/payload-codec.ts';
import { pageClient } from '../ui/support.ts';

let t: TestOuvidor;
let attendant: Awaited<ReturnType<TestOuvidor['createStaff']>>;
let pages: ReturnType<typeof pageClient>;

beforeAll(async () => {
  t = await startTestOuvidor();
  attendant = await t.createStaff('attendant');
  pages = pageClient(t);
});
afterAll(async () => t?.stop());

const fileJson = (app: ReturnType<typeof createApp>, body: unknown, key?: string) =>
  json<{ protocol: string; accessCode: string; error?: { code: string } }>(
    app.request('/api/v1/manifestations', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}) },
      body: JSON.stringify(body),
    }),
  );

/** What a client does with 503 `pending`: retry with the same key after Retry-After (here: briefly). */
async function settled<R extends { status: number; body: unknown }>(send: () => Promise<R>): Promise<R> {
  for (let i = 0; ; i++) {
    const res = await send();
    const code = (res.body as { error?: { code?: string } } | null)?.error?.code;
    if (res.status !== 503 || code !== 'pending' || i >= 30) return res;
    await new Promise((r) => setTimeout(r, 300));
  }
}

const intakeOf = async (protocol: string) =>
  (await t.db.select().from(intakes).where(eq(intakes.protocol, protocol)))[0];

async function nextProtocol(): Promise<string> {
  const year = new Date().getFullYear();
  const [row] = await t.db.select().from(protocolSequences).where(eq(protocolSequences.year, year));
  return `OUV-${year}-${String((row?.last ?? 0) + 1).padStart(6, '0')}`;
}

describe('no burnt numbers, nothing half-created', () => {
  it('a number already taken in Temporal is voided (a recorded gap) and the case gets the next', async () => {
    const taken = await nextProtocol();
    const squatter = await t.client.workflow.start('placeholder', {
      workflowId: taken,
      taskQueue: `nobody-polls-${randomUUID()}`,
    });
    try {
      const filed = await fileJson(t.app, newManifestation({ subject: 'Vazamento na rua Sete' }));
      expect(filed.status).toBe(201);
      expect(filed.body.protocol).not.toBe(taken);
      expect(filed.body.protocol > taken).toBe(true);
      const gap = await intakeOf(taken);
      expect(gap?.state).toBe('void');
      expect(gap?.voidReason).toBeTruthy();
      expect((await intakeOf(filed.body.protocol))?.state).toBe('created');

      // staff see the gap on "Falhas"
      const cookie = await pages.signIn(attendant.email, attendant.password);
      const page = await pages.get('/painel/falhas', { cookie });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('Protocolos anulados');
      expect(html.slice(html.indexOf('id="void-protocols"'))).toContain(taken);
    } finally {
      await squatter.terminate();
    }
  });

  it('with no worker the filing answers 503 pending; the retry with the same key gets that case, once', async () => {
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    const client = new Client({
      connection,
      namespace: t.deps.temporal.namespace,
      dataConverter: testDataConverter,
    });
    const small = createApp({
      ...t.deps,
      updateWaitMs: 1500,
      temporal: { ...t.deps.temporal, client, connection },
    });
    const key = randomUUID();
    const body = newManifestation({ subject: 'Semáforo piscando no cruzamento' });
    try {
      await t.pauseWorker();
      let stalled: Awaited<ReturnType<typeof fileJson>>;
      try {
        stalled = await fileJson(small, body, key);
      } finally {
        await t.resumeWorker();
      }
      expect(stalled.status).toBe(503);
      expect(stalled.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(stalled.body.error?.code).toBe('pending');

      const retried = await settled(() => fileJson(small, body, key));
      expect(retried.status).toBe(201);
      const again = await settled(() => fileJson(small, body, key));
      expect(again.body).toEqual(retried.body);
      const rows = await t.db
        .select()
        .from(manifestations)
        .where(eq(manifestations.subject, 'Semáforo piscando no cruzamento'));
      expect(rows.map((r) => r.protocol)).toEqual([retried.body.protocol]);
      expect((await intakeOf(retried.body.protocol))?.state).toBe('created');
    } finally {
      await connection.close();
    }
  });

  it('a reservation refused because its key is taken consumes no number (no gap, no duplicate)', async () => {
    const year = new Date().getFullYear();
    const key = `reserve-${Date.now()}`;
    const first = await reserveIntake(t.db, { year, idempotencyKey: key, fingerprint: 'a' });
    await expect(reserveIntake(t.db, { year, idempotencyKey: key, fingerprint: 'a' })).rejects.toBeInstanceOf(
      IntakeKeyTaken,
    );
    const next = await reserveIntake(t.db, { year, idempotencyKey: null, fingerprint: null });
    const seq = (p: string) => Number(p.split('-')[2]);
    expect(seq(next)).toBe(seq(first) + 1);
    expect((await intakeOf(first))?.state).toBe('pending');
    await reconcileIntakes(t.deps, 0); // settle both (gaps): they never started a workflow
  });

  it('a reservation whose start never happened (a crash) is settled as a gap', async () => {
    const protocol = await reserveIntake(t.db, {
      year: new Date().getFullYear(),
      idempotencyKey: null,
      fingerprint: null,
    });
    expect((await intakeOf(protocol))?.state).toBe('pending');
    const settled = await reconcileIntakes(t.deps, 0);
    expect(settled.voided).toBeGreaterThanOrEqual(1);
    expect((await intakeOf(protocol))?.state).toBe('void');
    // the citizen-facing read of that number finds nothing
    const read = await json(
      t.app.request(`/api/v1/manifestations/${protocol}`, { headers: attendant.headers }),
    );
    expect(read.status).toBe(404);
  });
});

describe('forms send a fresh Idempotency-Key per render', () => {
  it('a resubmitted staff form adds one note; the next render has another key', async () => {
    const { protocol } = (await fileJson(t.app, newManifestation())).body;
    const cookie = await pages.signIn(attendant.email, attendant.password);
    const page = await (await pages.get(`/painel/casos/${protocol}`, { cookie })).text();
    const keys = [...page.matchAll(/name="idempotencyKey" value="([^"]+)"/g)].map((m) => m[1]);
    expect(keys.length).toBeGreaterThan(1);
    expect(new Set(keys).size).toBe(keys.length); // one fresh key per form
    const form = {
      text: 'Nota enviada duas vezes pelo navegador.',
      visibility: 'internal',
      idempotencyKey: keys[0]!,
    };
    expect((await pages.post(`/painel/casos/${protocol}/note`, form, { cookie })).status).toBe(303);
    expect((await pages.post(`/painel/casos/${protocol}/note`, form, { cookie })).status).toBe(303);
    const view = await json<{ timeline: Array<{ type: string }> }>(
      t.app.request(`/api/v1/manifestations/${protocol}`, { headers: attendant.headers }),
    );
    expect(view.body.timeline.filter((e) => e.type === 'note_added')).toHaveLength(1);
  });

  it('a resubmitted public form shows the same receipt and files one case', async () => {
    const form = await (await pages.get('/registrar')).text();
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(form)?.[1];
    expect(key).toBeTruthy();
    const data = {
      kind: 'complaint',
      subject: 'Lixo acumulado na esquina',
      description: 'O lixo não é recolhido há duas semanas na esquina da escola.',
      identity: 'anonymous',
      idempotencyKey: key!,
    };
    const first = await (await pages.postMultipart('/registrar', data)).text();
    const second = await (await pages.postMultipart('/registrar', data)).text();
    const protocolOf = (html: string) => /id="protocol"[^>]*>([^<]+)</.exec(html)?.[1];
    expect(protocolOf(first)).toMatch(/^OUV-/);
    expect(protocolOf(second)).toBe(protocolOf(first));
    const rows = await t.db
      .select()
      .from(manifestations)
      .where(eq(manifestations.subject, 'Lixo acumulado na esquina'));
    expect(rows).toHaveLength(1);
  });
});
