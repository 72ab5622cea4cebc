// Issue 15.1/15.2: a retried write with the same Idempotency-Key acts once and answers the first result,
// also on a new app instance (server restart); a keyless duplicate forward is refused; with no worker
// polling, a request answers 503 `pending` + Retry-After within the budget and the retry gets the result.
import { randomUUID } from 'node:crypto';
import { Client, Connection, type WorkflowClientInterceptor } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { intakes, manifestations } from '../../db/schema.ts';
import { json, newManifestation, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';
import { testDataConverter } from '../support/payload-codec.ts';

let t: TestOuvidor;
let attendant: Awaited<ReturnType<TestOuvidor['createStaff']>>;

beforeAll(async () => {
  t = await startTestOuvidor();
  attendant = await t.createStaff('attendant');
});
afterAll(async () => t?.stop());

type View = {
  protocol: string;
  status: string;
  revision: number;
  timeline: Array<{ type: string; data: Record<string, unknown> }>;
  error?: { code: string; message: string };
  requestId?: string;
};

const post = (
  app: ReturnType<typeof createApp>,
  path: string,
  body: unknown,
  headers: Record<string, string>,
) =>
  app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

async function fileCase(key?: string) {
  const res = await json<{ protocol: string; accessCode: string }>(
    post(t.app, '/api/v1/manifestations', newManifestation(), key ? { 'Idempotency-Key': key } : {}),
  );
  expect(res.status).toBe(201);
  return res.body;
}

const act = (protocol: string, action: string, body: unknown, key?: string, app = t.app) =>
  json<View>(
    post(app, `/api/v1/manifestations/${protocol}/actions/${action}`, body, {
      ...attendant.headers,
      ...(key ? { 'Idempotency-Key': key } : {}),
    }),
  );

async function timeline(protocol: string) {
  const res = await json<View>(
    t.app.request(`/api/v1/manifestations/${protocol}`, { headers: attendant.headers }),
  );
  return res.body.timeline;
}

/** What a client does with 503 `pending`: retry with the same key after Retry-After (here: briefly). */
async function settled<R extends { status: number; body: unknown }>(send: () => Promise<R>): Promise<R> {
  for (let i = 0; ; i++) {
    const res = await send();
    const code = (res.body as { error?: { code?: string } } | null)?.error?.code;
    if (res.status !== 503 || code !== 'pending' || i >= 30) return res;
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** A second app on its own Temporal connection: what a restarted (or another) server process sees. */
async function restartedApp(over: { updateWaitMs?: number } = {}, interceptor?: WorkflowClientInterceptor) {
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  const client = new Client({
    connection,
    namespace: t.deps.temporal.namespace,
    dataConverter: testDataConverter,
    ...(interceptor ? { interceptors: { workflow: [interceptor] } } : {}),
  });
  const app = createApp({ ...t.deps, ...over, temporal: { ...t.deps.temporal, client, connection } });
  return { app, close: () => connection.close() };
}

describe('Idempotency-Key on case actions', () => {
  it('the same note twice acts once and answers the same body, also after a restart', async () => {
    const { protocol } = await fileCase();
    expect((await act(protocol, 'assign', { assignee: attendant.email })).status).toBe(200);
    const key = randomUUID();
    const note = { text: 'Liguei para a secretaria de obras.', visibility: 'internal' };
    const first = await act(protocol, 'note', note, key);
    const second = await act(protocol, 'note', note, key);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);

    const restarted = await restartedApp();
    try {
      const third = await act(protocol, 'note', note, key, restarted.app);
      expect(third.status).toBe(200);
      expect(third.body).toEqual(first.body);
    } finally {
      await restarted.close();
    }
    const notes = (await timeline(protocol)).filter((e) => e.type === 'note_added');
    expect(notes).toHaveLength(1);
    // a new key is a new note: only the key dedupes notes
    expect((await act(protocol, 'note', note, randomUUID())).status).toBe(200);
    expect((await timeline(protocol)).filter((e) => e.type === 'note_added')).toHaveLength(2);
  });

  it('a retried close answers the first result, not 409, though the case is closed now', async () => {
    const { protocol } = await fileCase();
    await act(protocol, 'assign', { assignee: attendant.email });
    const key = randomUUID();
    const first = await act(protocol, 'close', { reason: 'Resolvido por telefone' }, key);
    expect(first.body.status).toBe('closed');
    const retry = await act(protocol, 'close', { reason: 'Resolvido por telefone' }, key);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    const keyless = await act(protocol, 'close', { reason: 'Resolvido por telefone' });
    expect(keyless.status).toBe(409);
  });

  it('a citizen action with a key acts once', async () => {
    const { protocol, accessCode } = await fileCase();
    const key = randomUUID();
    const reply = (k: string) =>
      json<View>(
        post(
          t.app,
          `/api/v1/manifestations/${protocol}/citizen/reply`,
          { text: 'Esqueci de dizer: o poste 12 também.' },
          { 'x-access-code': accessCode, 'Idempotency-Key': k },
        ),
      );
    const first = await reply(key);
    const second = await reply(key);
    expect(first.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect((await timeline(protocol)).filter((e) => e.type === 'citizen_replied')).toHaveLength(1);
  });

  it('refuses a malformed key with 422 and does nothing', async () => {
    const { protocol } = await fileCase();
    const res = await act(protocol, 'assign', { assignee: attendant.email }, 'short');
    expect(res.status).toBe(422);
    expect(res.body.error?.code).toBe('invalid_idempotency_key');
    expect((await timeline(protocol)).map((e) => e.type)).toEqual(['received']);
  });
});

describe('state guards', () => {
  it('a keyless duplicate forward is refused with 409 and the case keeps moving', async () => {
    const { protocol } = await fileCase();
    await act(protocol, 'assign', { assignee: attendant.email });
    const forward = { units: ['SEC-OBRAS'], instructions: 'Verificar os postes da Rua das Flores.' };
    expect((await act(protocol, 'forward', forward)).status).toBe(200);
    const again = await act(protocol, 'forward', forward);
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('already_pending');
    expect(again.body.error?.message).toContain('SEC-OBRAS');
    const answered = await act(protocol, 'unit-response', { unit: 'SEC-OBRAS', text: 'Postes religados.' });
    expect(answered.body.status).toBe('in_progress');
    expect((await act(protocol, 'answer', { text: 'Os postes foram religados ontem.' })).body.status).toBe(
      'answered',
    );
  });

  it('assigning the case again to its assignee is refused with 409', async () => {
    const { protocol } = await fileCase();
    await act(protocol, 'assign', { assignee: attendant.email });
    const again = await act(protocol, 'assign', { assignee: attendant.email });
    expect(again.status).toBe(409);
    expect((await timeline(protocol)).filter((e) => e.type === 'assigned')).toHaveLength(1);
  });
});

describe('Idempotency-Key on filings', () => {
  it('the same filing twice creates one case and answers the same body, also after a restart', async () => {
    const key = randomUUID();
    const body = newManifestation({ subject: 'Calçada quebrada na praça' });
    const first = await json(post(t.app, '/api/v1/manifestations', body, { 'Idempotency-Key': key }));
    const second = await json(post(t.app, '/api/v1/manifestations', body, { 'Idempotency-Key': key }));
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    const restarted = await restartedApp();
    try {
      const third = await json(
        post(restarted.app, '/api/v1/manifestations', body, { 'Idempotency-Key': key }),
      );
      expect(third.body).toEqual(first.body);
    } finally {
      await restarted.close();
    }
    const rows = await t.db
      .select()
      .from(manifestations)
      .where(eq(manifestations.subject, 'Calçada quebrada na praça'));
    expect(rows).toHaveLength(1);
    const [intake] = await t.db.select().from(intakes).where(eq(intakes.protocol, rows[0]!.protocol));
    expect(intake?.state).toBe('created');
  });

  it('the same key with another body is refused with 422', async () => {
    const key = randomUUID();
    await json(post(t.app, '/api/v1/manifestations', newManifestation(), { 'Idempotency-Key': key }));
    const other = await json<View>(
      post(t.app, '/api/v1/manifestations', newManifestation({ subject: 'Outro assunto qualquer' }), {
        'Idempotency-Key': key,
      }),
    );
    expect(other.status).toBe(422);
    expect(other.body.error?.code).toBe('idempotency_key_reused');
  });
});

describe('bounded waits', () => {
  it('with no worker polling: 503 pending + Retry-After; after the worker is back the retry acts once', async () => {
    const { protocol } = await fileCase();
    await act(protocol, 'assign', { assignee: attendant.email });
    const small = await restartedApp({ updateWaitMs: 1500 });
    const key = randomUUID();
    const note = { text: 'Nota enviada com o worker parado.', visibility: 'internal' };
    try {
      await t.pauseWorker();
      const stalled = await act(protocol, 'note', note, key, small.app);
      expect(stalled.status).toBe(503);
      expect(stalled.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(stalled.body.error?.code).toBe('pending');
      expect(stalled.body.requestId).toBeTruthy();
    } finally {
      await t.resumeWorker();
    }
    try {
      const retried = await settled(() => act(protocol, 'note', note, key, small.app));
      expect(retried.status).toBe(200);
      expect(retried.body.timeline.filter((e) => e.type === 'note_added')).toHaveLength(1);
      const again = await settled(() => act(protocol, 'note', note, key, small.app));
      expect(again.body).toEqual(retried.body);
    } finally {
      await small.close();
    }
    expect((await timeline(protocol)).filter((e) => e.type === 'note_added')).toHaveLength(1);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_ADMIN_URL && !process.env.DATABASE_URL)(
  'bounded waits on real PostgreSQL',
  () => {
    it('a note held by a locked row: 503 pending, then the retry with the same key gets the one note', async () => {
      const { protocol } = await fileCase();
      await act(protocol, 'assign', { assignee: attendant.email });
      const small = await restartedApp({ updateWaitMs: 1500 });
      const key = randomUUID();
      const note = { text: 'Nota enquanto o banco segura a linha.', visibility: 'internal' };
      // another session holds the case's row: the projection (and so the Update) waits for it
      const locker = postgres(t.databaseUrl!, { max: 1, onnotice: () => {} });
      let release!: () => void;
      const released = new Promise<void>((r) => {
        release = r;
      });
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => {
        locked = r;
      });
      const holding = locker.begin(async (tx) => {
        await tx`select 1 from manifestations where protocol = ${protocol} for update`;
        locked();
        await released;
      });
      try {
        await isLocked;
        const stalled = await act(protocol, 'note', note, key, small.app);
        expect(stalled.status).toBe(503);
        expect(stalled.body.error?.code).toBe('pending');
        expect(stalled.headers.get('retry-after')).toMatch(/^\d+$/);
      } finally {
        release();
        await holding;
        await locker.end();
      }
      try {
        const retried = await settled(() => act(protocol, 'note', note, key, small.app));
        expect(retried.status).toBe(200);
        expect(retried.body.timeline.filter((e) => e.type === 'note_added')).toHaveLength(1);
      } finally {
        await small.close();
      }
      expect((await timeline(protocol)).filter((e) => e.type === 'note_added')).toHaveLength(1);
    });
  },
);

describe('a filing whose start answer is lost after the server started the case', () => {
  it('answers 503 pending, not 500, and the retry with the same key gets the one case', async () => {
    // What a dropped connection causes: the case workflow starts, and its answer never reaches the
    // server process. Here the real start happens and its answer is replaced by an UNAVAILABLE, once.
    let calls = 0;
    const refused = await restartedApp(
      {},
      {
        async start(input, next) {
          const out = await next(input);
          if (calls++ > 0) return out;
          throw Object.assign(new Error('14 UNAVAILABLE: connection dropped'), {
            code: 14,
            details: 'connection dropped',
          });
        },
      },
    );
    const key = randomUUID();
    const body = newManifestation({ subject: 'Início sem resposta' });
    try {
      const first = await json<View>(
        post(refused.app, '/api/v1/manifestations', body, { 'Idempotency-Key': key }),
      );
      expect(first.status).toBe(503);
      expect(first.body.error?.code).toBe('pending');
      expect(first.headers.get('retry-after')).toMatch(/^\d+$/);
      const retried = await settled(() =>
        json<View>(post(refused.app, '/api/v1/manifestations', body, { 'Idempotency-Key': key })),
      );
      expect(retried.status).toBe(201);
    } finally {
      await refused.close();
    }
    const rows = await t.db
      .select()
      .from(manifestations)
      .where(eq(manifestations.subject, 'Início sem resposta'));
    expect(rows).toHaveLength(1);
    const [intake] = await t.db.select().from(intakes).where(eq(intakes.protocol, rows[0]!.protocol));
    expect(intake?.state).toBe('created');
  });
});
