// Issue 15.5 (and 15.1 for filings and forms): a filing either creates the case or leaves nothing a user
// can see; a number that cannot be used becomes a recorded gap; a filing that timed out is resumed by the
// retry with the same key; forms carry a fresh key per render, so a resubmitted form acts once.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { reconcileIntakes } from '../../api/manifestations/filing.ts';
import { IntakeKeyTaken, reserveIntake } from '../../db/queries/intakes.ts';
import { intakes, manifestations, protocolSequences, timelineEvents } from '../../db/schema.ts';
import { caseViewQuery } from '../../workflows/messages.ts';
import { CaseStatus, DueAt } from '../../workflows/search-attributes.ts';
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

/** Polls `done` until it holds (at most 30 s). */
async function waitFor(done: () => Promise<boolean>): Promise<void> {
  for (let i = 0; !(await done()); i++) {
    if (i >= 300) throw new Error('never happened');
    await new Promise((r) => setTimeout(r, 100));
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

  it('with no worker the filing still answers 201: the case is listed with its due date, and is registered once a worker polls', async () => {
    const key = randomUUID();
    const subject = 'Semáforo piscando no cruzamento';
    const body = newManifestation({ subject });
    type Receipt = { protocol: string; status: string; dueAt: string };
    let filed: { status: number; body: Receipt };
    await t.pauseWorker();
    try {
      filed = await json<Receipt>(
        t.app.request('/api/v1/manifestations', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'Idempotency-Key': key },
          body: JSON.stringify(body),
        }),
      );
      expect(filed.status).toBe(201);
      expect(filed.body.status).toBe('received');
      expect(filed.body.dueAt).toBeTruthy();
      // the list shows it at once, with the receipt's due date, though no workflow task has run
      const rows = await t.db.select().from(manifestations).where(eq(manifestations.subject, subject));
      expect(rows.map((r) => r.protocol)).toEqual([filed.body.protocol]);
      expect(rows[0]?.dueAt?.toISOString()).toBe(filed.body.dueAt);
      expect((await intakeOf(filed.body.protocol))?.state).toBe('created');
      // the retry with the same key answers the same receipt
      const again = await fileJson(t.app, body, key);
      expect(again.body).toEqual(filed.body);
    } finally {
      await t.resumeWorker();
    }
    // the workflow registers the very view the filing wrote (same due date, same `received` instant,
    // revision 1), without planning, projecting or upserting search attributes again (issue 14)
    const view = await json<{
      dueAt: string;
      revision: number;
      timeline: Array<{ type: string; at: string }>;
    }>(t.app.request(`/api/v1/manifestations/${filed.body.protocol}`, { headers: attendant.headers }));
    expect(view.status).toBe(200);
    expect(view.body.dueAt).toBe(filed.body.dueAt);
    expect(view.body.revision).toBe(1);
    const [stored] = await t.db
      .select()
      .from(timelineEvents)
      .where(eq(timelineEvents.protocol, filed.body.protocol));
    expect(view.body.timeline.map((e) => [e.type, e.at])).toEqual([['received', stored?.at.toISOString()]]);
    const handle = t.client.workflow.getHandle(filed.body.protocol);
    // the Query may be answered before the first task's completion is in the history: wait for its timer
    let events: Awaited<ReturnType<typeof handle.fetchHistory>>['events'] = [];
    await waitFor(async () => {
      events = (await handle.fetchHistory()).events ?? [];
      return events.some((e) => e.timerStartedEventAttributes);
    });
    events ??= [];
    expect(events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes)).toEqual([]);
    expect(events.filter((e) => e.markerRecordedEventAttributes)).toHaveLength(1); // the acknowledgement
    const described = await handle.describe();
    expect(described.typedSearchAttributes.get(CaseStatus)).toBe('received');
    expect(described.typedSearchAttributes.get(DueAt)?.toISOString()).toBe(filed.body.dueAt);
    const rows = await t.db.select().from(manifestations).where(eq(manifestations.subject, subject));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.revision).toBe(1);
  });

  it('a case filed now asks no patch at all: staff actions and replies record no patch marker', async () => {
    // the run is born with the code generation (CaseInput.born, workflows/versions.ts): a patch asked where
    // the run first needs it could be asked in another workflow task on replay, and the case would be stuck
    const filed = await fileJson(t.app, newManifestation({ subject: 'Calçada quebrada na escola' }));
    expect(filed.status).toBe(201);
    const protocol = filed.body.protocol;
    for (const [action, body] of [
      ['assign', { assignee: attendant.email }],
      ['note', { text: 'Vistoria marcada.', visibility: 'internal' }],
    ] as const) {
      const res = await t.app.request(`/api/v1/manifestations/${protocol}/actions/${action}`, {
        method: 'POST',
        headers: { ...attendant.headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
    }
    const events = (await t.client.workflow.getHandle(protocol).fetchHistory()).events ?? [];
    expect(events.filter((e) => e.workflowExecutionUpdateCompletedEventAttributes)).toHaveLength(2);
    expect(events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')).toEqual([]);
  });

  it('a staff action sent right after the filing, before its workflow ran, waits and acts once', async () => {
    await t.pauseWorker();
    let protocol: string;
    let assigned: Promise<{
      status: number;
      body: { assignee?: string; timeline?: Array<{ type: string }> };
    }>;
    try {
      const filed = await fileJson(t.app, newManifestation({ subject: 'Buraco na avenida central' }));
      expect(filed.status).toBe(201);
      protocol = filed.body.protocol;
      assigned = json(
        t.app.request(`/api/v1/manifestations/${protocol}/actions/assign`, {
          method: 'POST',
          headers: { ...attendant.headers, 'content-type': 'application/json' },
          body: JSON.stringify({ assignee: attendant.email }),
        }),
      );
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await t.resumeWorker();
    }
    const res = await assigned;
    expect(res.status).toBe(200);
    expect(res.body.assignee).toBe(attendant.email);
    expect(res.body.timeline?.filter((e) => e.type === 'assigned')).toHaveLength(1);
    expect(res.body.timeline?.filter((e) => e.type === 'received')).toHaveLength(1);
  });

  it('a crash between the start and the row: the case is settled and listed by the reconciliation', async () => {
    // The request dies right after the start (its answer lost): no row, the intake stays pending. The run
    // was registered by the filing (CaseInput.registration) and does not project its registration itself.
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    const client = new Client({
      connection,
      namespace: t.deps.temporal.namespace,
      dataConverter: testDataConverter,
      interceptors: {
        workflow: [
          {
            async start(input, next) {
              await next(input);
              throw new Error('the server process died here');
            },
          },
        ],
      },
    });
    const crashing = createApp({ ...t.deps, temporal: { ...t.deps.temporal, client, connection } });
    const subject = 'Poda de árvore na escola';
    try {
      const filed = await fileJson(crashing, newManifestation({ subject }));
      expect(filed.status).toBe(503);
    } finally {
      await connection.close();
    }
    const [pending] = await t.db
      .select()
      .from(intakes)
      .where(eq(intakes.state, 'pending'))
      .orderBy(desc(intakes.createdAt))
      .limit(1);
    const protocol = pending?.protocol ?? '';
    expect(protocol).toMatch(/^OUV-/);
    // the run registers the case (its Query answers) while the list does not show it yet
    const registered = await t.client.workflow.getHandle(protocol).query(caseViewQuery);
    expect(registered.subject).toBe(subject);
    const listed = () => t.db.select().from(manifestations).where(eq(manifestations.protocol, protocol));
    expect(await listed()).toHaveLength(0);
    await reconcileIntakes(t.deps, 0);
    const intake = await intakeOf(protocol);
    expect(intake?.state).toBe('created');
    expect(intake?.receipt?.dueAt).toBeTruthy();
    const [row] = await listed();
    expect(row?.subject).toBe(subject);
    expect(row?.revision).toBeGreaterThanOrEqual(1);
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

describe('the receipt due date is the one the workflow plans', () => {
  it('also right after an admin edits the policy (the request plans with the same rules)', async () => {
    const admin = await t.createStaff('admin');
    const policy = (body: unknown, method = 'POST', path = '') =>
      json(
        t.app.request(`/api/v1/admin/sla-policies${path}`, {
          method,
          headers: { ...admin.headers, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      );
    type Receipt = { protocol: string; dueAt: string };
    const suggestion = async () => {
      const filed = await json<Receipt>(
        t.app.request('/api/v1/manifestations', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(newManifestation({ kind: 'suggestion' })),
        }),
      );
      expect(filed.status).toBe(201);
      const view = await json<{ dueAt: string }>(
        t.app.request(`/api/v1/manifestations/${filed.body.protocol}`, { headers: attendant.headers }),
      );
      expect(view.body.dueAt).toBe(filed.body.dueAt);
      return filed.body.dueAt;
    };
    const law = await suggestion();
    const rule = { id: 'suggestions-10', name: 'Sugestões: 10 dias', scope: 'case', kind: 'suggestion' };
    expect((await policy({ ...rule, unit: 'calendar_days', amount: 10 })).status).toBe(201);
    const ten = await suggestion();
    expect(ten < law).toBe(true);
    expect((await policy({ amount: 12 }, 'PUT', '/suggestions-10')).status).toBe(200);
    const twelve = await suggestion();
    expect(Date.parse(twelve) - Date.parse(ten)).toBeGreaterThanOrEqual(86_400_000);
    await policy({}, 'DELETE', '/suggestions-10');
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
