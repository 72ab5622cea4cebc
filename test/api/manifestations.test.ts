// The REST contract of DESIGN §4 for the first slice, through app.request() against a real worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStoredMessage } from '../../activities/email/sealed-secrets.ts';
import { listOutboundForCase } from '../../db/queries/email.ts';
import { json, newManifestation, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';

let t: TestOuvidor;
let admin: Awaited<ReturnType<TestOuvidor['createStaff']>>;
let attendant: Awaited<ReturnType<TestOuvidor['createStaff']>>;

beforeAll(async () => {
  t = await startTestOuvidor();
  admin = await t.createStaff('admin');
  attendant = await t.createStaff('attendant');
});
afterAll(async () => t?.stop());

async function file(over: Record<string, unknown> = {}) {
  const res = await json<{
    protocol: string;
    accessCode: string;
    status: string;
    dueAt: string;
    kind: string;
  }>(
    t.app.request('/api/v1/manifestations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(newManifestation(over)),
    }),
  );
  expect(res.status).toBe(201);
  return res.body;
}

const act = (protocol: string, action: string, body: unknown, headers = attendant.headers) =>
  json<Record<string, unknown>>(
    t.app.request(`/api/v1/manifestations/${protocol}/actions/${action}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    }),
  );

describe('filing a manifestation', () => {
  it('returns a protocol, an access code and the legal due date', async () => {
    const body = await file();
    expect(body.protocol).toMatch(/^OUV-\d{4}-\d{6}$/);
    expect(body.accessCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(body.status).toBe('received');
    const days = (new Date(body.dueAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThan(35);
  });

  it('mails the citizen a receipt carrying the same access code, which opens the case', async () => {
    const { protocol, accessCode } = await file();
    type Mail = { template: string; recipientRole: string; text: string; subject: string };
    let receipt: Mail | undefined;
    for (let i = 0; i < 60 && !receipt; i++) {
      const log = await json<{ outbound: Mail[] }>(
        t.app.request(`/api/v1/manifestations/${protocol}/emails`, { headers: admin.headers }),
      );
      receipt = log.body.outbound.find((m) => m.template === 'receipt' && m.recipientRole === 'citizen');
      if (!receipt) await new Promise((r) => setTimeout(r, 100));
    }
    expect(receipt?.subject).toContain(protocol);
    // Staff read the receipt with the code redacted; the message sent carries the same code.
    expect(receipt?.text).not.toContain(accessCode);
    expect(receipt?.text).toContain('[código de acesso oculto]');
    const [stored] = (await listOutboundForCase(t.db, protocol)).filter((m) => m.template === 'receipt');
    expect(openStoredMessage(stored!, t.deps.secret).text).toContain(accessCode);
    const res = await t.app.request(`/api/v1/manifestations/${protocol}`, {
      headers: { 'x-access-code': accessCode },
    });
    expect(res.status).toBe(200);
  });

  it('numbers protocols in sequence', async () => {
    const a = await file();
    const b = await file();
    expect(Number(b.protocol.slice(-6))).toBe(Number(a.protocol.slice(-6)) + 1);
  });

  it('rejects an invalid body with field errors and creates nothing', async () => {
    const before = await json<{ items: unknown[] }>(
      t.app.request('/api/v1/manifestations?limit=100', { headers: admin.headers }),
    );
    const res = await json<{ error: { code: string; fields: Record<string, string[]> }; requestId: string }>(
      t.app.request('/api/v1/manifestations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'rumour', subject: '', description: 'curta', identity: 'identified' }),
      }),
    );
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_body');
    expect(Object.keys(res.body.error.fields)).toEqual(
      expect.arrayContaining(['kind', 'subject', 'description']),
    );
    expect(res.body.requestId).toBeTruthy();
    const after = await json<{ items: unknown[] }>(
      t.app.request('/api/v1/manifestations?limit=100', { headers: admin.headers }),
    );
    expect(after.body.items.length).toBe(before.body.items.length);
  });

  it('does not let the public set receivedAt', async () => {
    const res = await t.app.request('/api/v1/manifestations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(newManifestation({ receivedAt: '2026-01-05T10:00:00-03:00' })),
    });
    expect(res.status).toBe(422);
  });

  it('counts the deadline from receivedAt when staff register a letter', async () => {
    const res = await json<{ protocol: string; dueAt: string }>(
      t.app.request('/api/v1/manifestations', {
        method: 'POST',
        headers: attendant.headers,
        body: JSON.stringify(
          newManifestation({ channel: 'letter', receivedAt: '2026-10-02T10:00:00-03:00' }),
        ),
      }),
    );
    expect(res.status).toBe(201);
    // 2 Oct + 30 days = 1 Nov (Sunday) → 2 Nov is Finados → due end of Tue 3 Nov, São Paulo time.
    expect(res.body.dueAt).toBe('2026-11-04T02:59:59.999Z');
  });
});

describe('reading a case', () => {
  it('lets the citizen read it with the access code, without internal events', async () => {
    const { protocol, accessCode } = await file();
    await act(protocol, 'assign', { assignee: attendant.email });
    const res = await json<{ status: string; timeline: Array<{ type: string; actor: string }> }>(
      t.app.request(`/api/v1/manifestations/${protocol}`, {
        headers: { 'x-access-code': accessCode.toLowerCase() },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('in_progress');
    expect(res.body.timeline.map((e) => e.type)).toEqual(['received']);
  });

  it('answers 404 for a wrong access code and 401 without credentials', async () => {
    const { protocol } = await file();
    const wrong = await t.app.request(`/api/v1/manifestations/${protocol}`, {
      headers: { 'x-access-code': 'AAAA-BBBB-CCCC' },
    });
    expect(wrong.status).toBe(404);
    const none = await t.app.request(`/api/v1/manifestations/${protocol}`);
    expect(none.status).toBe(401);
  });

  it('never shows one citizen another citizen’s case', async () => {
    const mine = await file();
    const theirs = await file();
    const res = await t.app.request(`/api/v1/manifestations/${theirs.protocol}`, {
      headers: { 'x-access-code': mine.accessCode },
    });
    expect(res.status).toBe(404);
  });

  it('answers 404 for an unknown protocol', async () => {
    const res = await json<{ error: { code: string } }>(
      t.app.request('/api/v1/manifestations/OUV-2026-999999', { headers: admin.headers }),
    );
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('hides an anonymous reporter even from staff, and a preserved one from unit staff', async () => {
    const anon = await file({
      identity: 'anonymous',
      citizen: { name: 'Não deveria aparecer', email: 'x@example.org' },
    });
    const view = await json<{ citizen: unknown }>(
      t.app.request(`/api/v1/manifestations/${anon.protocol}`, { headers: admin.headers }),
    );
    expect(view.body.citizen).toBeNull();
    const preserved = await file({ identity: 'preserved' });
    const staffView = await json<{ citizen: { name: string } | null; reporterAccess: string }>(
      t.app.request(`/api/v1/manifestations/${preserved.protocol}`, { headers: admin.headers }),
    );
    // Even the ouvidoria reads a preserved identity only through an explicit, logged reveal.
    expect(staffView.body.citizen).toBeNull();
    expect(staffView.body.reporterAccess).toBe('reveal');
    const unit = await t.createStaff('unit', { unitCode: 'SEC-OBRAS' });
    const unitView = await t.app.request(`/api/v1/manifestations/${preserved.protocol}`, {
      headers: unit.headers,
    });
    expect(unitView.status).toBe(404); // not forwarded to that unit
  });
});

describe('listing', () => {
  it('requires staff', async () => {
    expect((await t.app.request('/api/v1/manifestations')).status).toBe(401);
  });

  it('filters by status and finds text without accents', async () => {
    const a = await file({
      subject: 'Buraco na avenida',
      description: 'Há um buraco enorme em frente à escola municipal.',
    });
    const b = await file({
      subject: 'Iluminação da praça',
      description: 'A iluminação da praça central não funciona.',
    });
    await act(b.protocol, 'assign', { assignee: attendant.email });
    const search = await json<{ items: Array<{ protocol: string }> }>(
      t.app.request('/api/v1/manifestations?q=iluminacao%20praca', { headers: admin.headers }),
    );
    expect(search.body.items.map((i) => i.protocol)).toContain(b.protocol);
    expect(search.body.items.map((i) => i.protocol)).not.toContain(a.protocol);
    const inProgress = await json<{ items: Array<{ protocol: string; status: string }> }>(
      t.app.request('/api/v1/manifestations?status=in_progress&limit=100', { headers: admin.headers }),
    );
    expect(inProgress.body.items.map((i) => i.protocol)).toContain(b.protocol);
    expect(inProgress.body.items.every((i) => i.status === 'in_progress')).toBe(true);
    const byProtocol = await json<{ items: Array<{ protocol: string }> }>(
      t.app.request(`/api/v1/manifestations?q=${a.protocol}`, { headers: admin.headers }),
    );
    expect(byProtocol.body.items.map((i) => i.protocol)).toEqual([a.protocol]);
  });

  it('pages with a cursor without repeating rows', async () => {
    for (let i = 0; i < 3; i++) await file();
    const first = await json<{ items: Array<{ protocol: string }>; nextCursor: string }>(
      t.app.request('/api/v1/manifestations?limit=2', { headers: admin.headers }),
    );
    expect(first.body.items).toHaveLength(2);
    const second = await json<{ items: Array<{ protocol: string }> }>(
      t.app.request(`/api/v1/manifestations?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`, {
        headers: admin.headers,
      }),
    );
    const firstIds = first.body.items.map((i) => i.protocol);
    expect(second.body.items.some((i) => firstIds.includes(i.protocol))).toBe(false);
  });
});

describe('staff actions', () => {
  it('assign → answer → close, each in the timeline with its actor', async () => {
    const { protocol, accessCode } = await file();
    const assigned = await act(protocol, 'assign', { assignee: attendant.email });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ status: 'in_progress', assignee: attendant.email });
    const answered = await act(protocol, 'answer', { text: 'A equipe religou os postes em 02/12.' });
    expect(answered.body).toMatchObject({
      status: 'answered',
      answer: 'A equipe religou os postes em 02/12.',
    });
    const closed = await act(protocol, 'close', { reason: 'Respondida' });
    expect(closed.body.status).toBe('closed');
    const timeline = closed.body.timeline as Array<{ type: string; actor: string }>;
    expect(timeline.map((e) => e.type)).toEqual(['received', 'assigned', 'answered', 'closed']);
    expect(timeline[1]?.actor).toBe(attendant.email);
    // the citizen sees the answer
    const citizen = await json<{ answer: string; status: string }>(
      t.app.request(`/api/v1/manifestations/${protocol}`, { headers: { 'x-access-code': accessCode } }),
    );
    expect(citizen.body).toMatchObject({ status: 'closed', answer: 'A equipe religou os postes em 02/12.' });
    // and the list (read model) follows
    const list = await json<{ items: Array<{ protocol: string; status: string }> }>(
      t.app.request(`/api/v1/manifestations?q=${protocol}`, { headers: admin.headers }),
    );
    expect(list.body.items[0]?.status).toBe('closed');
  });

  it('answers 409 for an action not allowed now and changes nothing', async () => {
    const { protocol } = await file();
    const res = await act(protocol, 'answer', { text: 'Resposta antes de assumir o caso.' });
    expect(res.status).toBe(409);
    expect((res.body.error as { code: string }).code).toBe('transition_not_allowed');
    const view = await json<{ status: string; timeline: unknown[] }>(
      t.app.request(`/api/v1/manifestations/${protocol}`, { headers: admin.headers }),
    );
    expect(view.body.status).toBe('received');
    expect(view.body.timeline).toHaveLength(1);
  });

  it('answers 422 with field errors for an invalid body', async () => {
    const { protocol } = await file();
    const res = await act(protocol, 'assign', { assignee: 'not-an-email' });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'invalid_body', fields: { assignee: expect.any(Array) } });
  });

  it('rejects actions without a staff token, and from unit staff', async () => {
    const { protocol } = await file();
    const anon = await t.app.request(`/api/v1/manifestations/${protocol}/actions/assign`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ assignee: 'a@b.c' }),
    });
    expect(anon.status).toBe(401);
    const unit = await t.createStaff('unit', { unitCode: 'SEC-OBRAS' });
    // a case not forwarded to the unit does not exist for its staff
    expect((await act(protocol, 'assign', { assignee: unit.email }, unit.headers)).status).toBe(404);
  });
});

describe('auth, units, health, openapi', () => {
  it('issues a token only for the right password', async () => {
    const bad = await t.app.request('/api/v1/auth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: admin.email, password: 'wrong-password' }),
    });
    expect(bad.status).toBe(401);
  });

  it('lists units for staff only', async () => {
    const { upsertUnit } = await import('../../db/queries/units.ts');
    await upsertUnit(t.db, { code: 'SEC-OBRAS', name: 'Secretaria de Obras' });
    expect((await t.app.request('/api/v1/units')).status).toBe(401);
    const res = await json<Array<{ code: string; name: string }>>(
      t.app.request('/api/v1/units', { headers: admin.headers }),
    );
    expect(res.body).toContainEqual(
      expect.objectContaining({ code: 'SEC-OBRAS', name: 'Secretaria de Obras' }),
    );
  });

  it('reports health of db and temporal', async () => {
    const res = await json(t.app.request('/healthz'));
    expect(res).toMatchObject({ status: 200, body: { status: 'ok', db: 'ok', temporal: 'ok' } });
  });

  it('documents every route in openapi.json', async () => {
    const res = await json<{ paths: Record<string, unknown> }>(t.app.request('/api/v1/openapi.json'));
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/healthz',
        '/api/v1/auth/token',
        '/api/v1/manifestations',
        '/api/v1/manifestations/{protocol}',
        '/api/v1/manifestations/{protocol}/actions/assign',
        '/api/v1/manifestations/{protocol}/actions/answer',
        '/api/v1/manifestations/{protocol}/actions/close',
        '/api/v1/manifestations/{protocol}/actions/forward',
        '/api/v1/manifestations/{protocol}/actions/request-info',
        '/api/v1/manifestations/{protocol}/actions/reopen',
        '/api/v1/manifestations/{protocol}/citizen/reply',
        '/api/v1/manifestations/{protocol}/citizen/rate',
        '/api/v1/units',
      ]),
    );
  });
});
