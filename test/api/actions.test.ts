// Every staff and citizen action through the REST API, with its 409 (wrong state) and 422 (bad body).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, newManifestation, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';

let t: TestOuvidor;
let attendant: Awaited<ReturnType<TestOuvidor['createStaff']>>;
let unitUser: Awaited<ReturnType<TestOuvidor['createStaff']>>;

beforeAll(async () => {
  t = await startTestOuvidor();
  attendant = await t.createStaff('attendant');
  unitUser = await t.createStaff('unit', { unitCode: 'SEC-OBRAS' });
});
afterAll(async () => t?.stop());

type View = {
  status: string;
  dueAt: string | null;
  slaState: string;
  reopenCount: number;
  workMinutes: number;
  kind: string;
  originalKind: string;
  priority: string;
  citizen: unknown;
  timeline: Array<{ type: string; visibility: string; data: Record<string, unknown> }>;
  error?: { code: string; fields?: Record<string, string[]> };
};

async function file(over: Record<string, unknown> = {}) {
  const res = await json<{ protocol: string; accessCode: string }>(
    t.app.request('/api/v1/manifestations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(newManifestation(over)),
    }),
  );
  return res.body;
}

const act = (
  protocol: string,
  action: string,
  body: unknown,
  headers: Record<string, string> = attendant.headers,
) =>
  json<View>(
    t.app.request(`/api/v1/manifestations/${protocol}/actions/${action}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    }),
  );

const citizen = (protocol: string, code: string, action: string, body: unknown) =>
  json<View>(
    t.app.request(`/api/v1/manifestations/${protocol}/citizen/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-access-code': code },
      body: JSON.stringify(body),
    }),
  );

async function assumed(over: Record<string, unknown> = {}) {
  const c = await file(over);
  await act(c.protocol, 'assign', { assignee: attendant.email });
  return c;
}

describe('staff actions', () => {
  it('auxiliary, priority, reclassify, note and worklog', async () => {
    const { protocol } = await assumed();
    expect((await act(protocol, 'auxiliary', { attendant: 'bia@test.local' })).status).toBe(200);
    expect((await act(protocol, 'auxiliary', { attendant: 'nope' })).status).toBe(422);
    const p = await act(protocol, 'priority', { priority: 'urgent', reason: 'Risco à segurança' });
    expect(p.body.priority).toBe('urgent');
    expect((await act(protocol, 'priority', { priority: 'whenever' })).status).toBe(422);
    const r = await act(protocol, 'reclassify', {
      kind: 'request',
      topic: 'iluminacao',
      item: 'lampada-apagada',
      reason: 'É pedido de providência',
    });
    expect(r.body).toMatchObject({ kind: 'request', originalKind: 'complaint', item: 'lampada-apagada' });
    // topics and items come from the catalogue: free text and a topic of another kind are refused
    const free = await act(protocol, 'reclassify', { item: 'Iluminação pública', reason: 'Texto livre' });
    expect(free.status).toBe(422);
    expect(free.body.error?.fields?.item).toBeDefined();
    const other = await act(protocol, 'reclassify', { topic: 'saude', reason: 'Assunto de outro tipo' });
    expect(other.body.error?.fields?.topic).toEqual(['Este assunto não pertence ao tipo escolhido']);
    expect((await act(protocol, 'reclassify', { reason: 'Sem mudança nenhuma' })).status).toBe(422);
    const n = await act(protocol, 'note', { text: 'Contato telefônico feito', visibility: 'public' });
    expect(n.body.timeline.at(-1)).toMatchObject({ type: 'note_added', visibility: 'public' });
    const w = await act(protocol, 'worklog', { minutes: 40, description: 'Análise do caso' });
    expect(w.body.workMinutes).toBe(40);
    expect((await act(protocol, 'worklog', { minutes: 0, description: 'nada' })).status).toBe(422);
  });

  it('forward, unit-response (by the unit), unit-extend once', async () => {
    const { protocol } = await assumed();
    expect((await act(protocol, 'forward', { units: [], instructions: 'x' })).status).toBe(422);
    const f = await act(protocol, 'forward', { units: ['SEC-OBRAS'], instructions: 'Verificar o buraco' });
    expect(f.body.status).toBe('forwarded');
    // the unit now sees the case and answers for itself, not for another unit
    expect(
      (await t.app.request(`/api/v1/manifestations/${protocol}`, { headers: unitUser.headers })).status,
    ).toBe(200);
    expect(
      (await act(protocol, 'unit-response', { unit: 'SEC-SAUDE', text: 'Resposta alheia' }, unitUser.headers))
        .status,
    ).toBe(403);
    expect(
      (await act(protocol, 'answer', { text: 'A unidade não responde ao cidadão' }, unitUser.headers)).status,
    ).toBe(403);
    const ext = await act(
      protocol,
      'unit-extend',
      { unit: 'SEC-OBRAS', justification: 'Precisamos de vistoria técnica' },
      unitUser.headers,
    );
    expect(ext.status).toBe(200);
    const again = await act(
      protocol,
      'unit-extend',
      { unit: 'SEC-OBRAS', justification: 'Mais prazo para a vistoria' },
      unitUser.headers,
    );
    expect(again.status).toBe(409);
    const resp = await act(
      protocol,
      'unit-response',
      { unit: 'SEC-OBRAS', text: 'Buraco tapado em 03/12.' },
      unitUser.headers,
    );
    expect(resp.body.status).toBe('in_progress');
    expect(
      (await act(protocol, 'unit-response', { unit: 'SEC-OBRAS', text: 'De novo' }, unitUser.headers)).status,
    ).toBe(409);
  });

  it('extend once with justification; refuses without one and a second time', async () => {
    const { protocol } = await assumed();
    expect((await act(protocol, 'extend', {})).status).toBe(422);
    const first = await act(protocol, 'extend', { justification: 'Aguardando laudo da Defesa Civil' });
    expect(first.status).toBe(200);
    const second = await act(protocol, 'extend', { justification: 'Ainda aguardando o laudo técnico' });
    expect(second.status).toBe(409);
    expect(second.body.error?.code).toBe('transition_not_allowed');
  });

  it('refuses to extend a deadline that has already passed (409 with the reason) and changes nothing', async () => {
    const receivedAt = new Date(Date.now() - 45 * 86_400_000).toISOString();
    const filed = await json<{ protocol: string; dueAt: string }>(
      t.app.request('/api/v1/manifestations', {
        method: 'POST',
        headers: { ...attendant.headers, 'content-type': 'application/json' },
        body: JSON.stringify(newManifestation({ channel: 'letter', receivedAt })),
      }),
    );
    expect(filed.status).toBe(201);
    const { protocol } = filed.body;
    expect(Date.parse(filed.body.dueAt)).toBeLessThan(Date.now());
    await act(protocol, 'assign', { assignee: attendant.email });
    const late = await act(protocol, 'extend', { justification: 'Aguardando laudo da Defesa Civil' });
    expect(late.status).toBe(409);
    expect(late.body.error?.code).toBe('transition_not_allowed');
    expect(JSON.stringify(late.body.error)).toContain('can no longer be extended');
    const after = await json<View>(
      t.app.request(`/api/v1/manifestations/${protocol}`, { headers: attendant.headers }),
    );
    expect(after.body.dueAt).toBe(filed.body.dueAt);
    expect(after.body.timeline.some((e) => e.type === 'deadline_extended')).toBe(false);
  });

  it('archive with justification; refuses a praise not yet forwarded', async () => {
    const praise = await assumed({ kind: 'praise' });
    expect(
      (await act(praise.protocol, 'archive', { justification: 'Elogio sem destinatário definido' })).status,
    ).toBe(409);
    const c = await assumed();
    expect((await act(c.protocol, 'archive', { justification: 'curta' })).status).toBe(422);
    const a = await act(c.protocol, 'archive', { justification: 'Fora da competência da ouvidoria' });
    expect(a.body.status).toBe('archived');
    expect((await act(c.protocol, 'answer', { text: 'Resposta depois de arquivar' })).status).toBe(409);
  });

  it('close and reopen with justification', async () => {
    const { protocol } = await assumed();
    await act(protocol, 'answer', { text: 'Resposta conclusiva ao cidadão.' });
    expect((await act(protocol, 'reopen', { justification: 'Fato novo relevante' })).status).toBe(409);
    expect((await act(protocol, 'close', { reason: 'Respondida' })).body.status).toBe('closed');
    expect((await act(protocol, 'reopen', {})).status).toBe(422);
    const r = await act(protocol, 'reopen', { justification: 'Fato novo relevante trazido pelo cidadão' });
    expect(r.body).toMatchObject({ status: 'in_progress', reopenCount: 1 });
  });

  it('answers 404 for an unknown action', async () => {
    const { protocol } = await assumed();
    expect((await act(protocol, 'teleport', {})).status).toBe(404);
  });
});

describe('citizen actions', () => {
  it('replies to a request for complementation, which resumes the case', async () => {
    const { protocol, accessCode } = await assumed();
    const asked = await act(protocol, 'request-info', { question: 'Informe o número do poste, por favor.' });
    expect(asked.body).toMatchObject({ status: 'awaiting_citizen', slaState: 'paused' });
    expect((await citizen(protocol, accessCode, 'reply', { text: '' })).status).toBe(422);
    expect((await citizen(protocol, 'AAAA-BBBB-CCCC', 'reply', { text: 'Poste 1234' })).status).toBe(404);
    const foreign = await citizen(protocol, accessCode, 'reply', {
      text: 'Com anexo',
      attachmentIds: ['not-this-case'],
    });
    expect(foreign.status).toBe(422);
    expect(foreign.body.error?.fields).toHaveProperty('attachmentIds');
    const r = await citizen(protocol, accessCode, 'reply', { text: 'É o poste 1234.' });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('in_progress');
  });

  it('accepts, rejects and rates the answer', async () => {
    const a = await assumed();
    expect((await citizen(a.protocol, a.accessCode, 'accept', {})).status).toBe(409);
    await act(a.protocol, 'answer', { text: 'Poste consertado em 02/12.' });
    expect((await citizen(a.protocol, a.accessCode, 'rate', { score: 9 })).status).toBe(422);
    const rated = await citizen(a.protocol, a.accessCode, 'rate', {
      score: 5,
      resolved: 'yes',
      comment: 'Rápido',
    });
    expect(rated.status).toBe(200);
    expect((await citizen(a.protocol, a.accessCode, 'accept', {})).body.status).toBe('approved');

    const b = await assumed();
    await act(b.protocol, 'answer', { text: 'Poste consertado em 02/12.' });
    expect((await citizen(b.protocol, b.accessCode, 'reject', {})).status).toBe(422);
    const rejected = await citizen(b.protocol, b.accessCode, 'reject', {
      reason: 'O poste continua apagado',
    });
    expect(rejected.body).toMatchObject({ status: 'in_progress', reopenCount: 1 });
    // the citizen view hides internal events
    expect(rejected.body.timeline.every((e) => e.visibility === 'public')).toBe(true);
  });
});
