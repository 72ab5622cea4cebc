// A concluded case outlives its workflow: the projection keeps its last view (case_archives), and once
// Temporal no longer has the workflow (past the namespace's retention) the case still opens — for staff,
// for the citizen with the access code — and can still be reopened with a justification.
import { WorkflowNotFoundError } from '@temporalio/client';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectView } from '../../activities/projection.ts';
import { archiveConcluded } from '../../api/manifestations/archive-backfill.ts';
import { deriveAccessCode } from '../../config/access-code.ts';
import { caseArchives } from '../../db/schema.ts';
import { appendEvent, initialView } from '../../workflows/case-state.ts';
import type { CaseInput, CaseView } from '../../workflows/messages.ts';
import { json, newManifestation, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';

let t: TestOuvidor;
let attendant: Awaited<ReturnType<TestOuvidor['createStaff']>>;

beforeAll(async () => {
  t = await startTestOuvidor();
  attendant = await t.createStaff('attendant');
});
afterAll(async () => t?.stop());

const act = (protocol: string, action: string, body: unknown) =>
  json<CaseView>(
    t.app.request(`/api/v1/manifestations/${protocol}/actions/${action}`, {
      method: 'POST',
      headers: attendant.headers,
      body: JSON.stringify(body),
    }),
  );

const archived = async (protocol: string) =>
  (await t.db.select().from(caseArchives).where(eq(caseArchives.protocol, protocol)))[0];

/** A case filed, assumed and answered through the API (still open): its protocol. */
async function answeredCase(): Promise<string> {
  const filed = await json<{ protocol: string }>(
    t.app.request('/api/v1/manifestations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(newManifestation({})),
    }),
  );
  const { protocol } = filed.body;
  await act(protocol, 'assign', { assignee: attendant.email });
  await act(protocol, 'answer', { text: 'Resposta conclusiva ao cidadão.' });
  return protocol;
}

/** An answered case closed through the API; resolves once its view is archived. */
async function closedCase(): Promise<string> {
  const protocol = await answeredCase();
  await act(protocol, 'close', { reason: 'Respondida' });
  await expect.poll(async () => (await archived(protocol))?.view.status).toBe('closed');
  return protocol;
}

/** The filing of an old case, for one the read model has and Temporal does not. */
const input = (protocol: string): CaseInput => ({
  protocol,
  kind: 'complaint',
  subject: 'Buraco na Rua das Palmeiras',
  description: 'Buraco grande na Rua das Palmeiras, perto do número 40.',
  identity: 'identified',
  channel: 'web',
  citizen: { name: 'Rosa Amaral', email: 'rosa.amaral@example.org' },
  receivedAt: '2019-05-06T13:00:00.000Z',
  registeredBy: 'citizen',
});

describe('concluded cases in the archive', () => {
  it('the projection keeps the last view of a closed case, and only of concluded ones', async () => {
    const protocol = await answeredCase();
    expect(await archived(protocol)).toBeUndefined();
    const closed = await act(protocol, 'close', { reason: 'Respondida' });
    expect(closed.body.status).toBe('closed');
    await expect
      .poll(async () => (await archived(protocol))?.view.status, { timeout: 15_000 })
      .toBe('closed');
    const row = await archived(protocol);
    expect(row?.view.timeline.map((e) => e.type)).toEqual(closed.body.timeline.map((e) => e.type));
  });

  it('archives, at start, cases concluded before the archive existed, while Temporal still has them', async () => {
    const kept = await closedCase();
    const gone = `OUV-2019-${String(100000 + Math.floor(Math.random() * 800000))}`;
    await projectView(t.db, { ...initialView(input(gone)), status: 'closed', revision: 3 });
    // as before case_archives: no archived view for either
    await t.db.delete(caseArchives).where(inArray(caseArchives.protocol, [kept, gone]));
    expect(await archiveConcluded(t.deps)).toBeGreaterThanOrEqual(1);
    expect((await archived(kept))?.view.status).toBe('closed');
    expect(await archived(gone)).toBeUndefined(); // nothing left in Temporal to archive
    expect(await archiveConcluded(t.deps)).toBe(0);
  });

  it('opens and reopens a concluded case that Temporal no longer keeps', async () => {
    // What the retention period leaves: the read model and the archive, no workflow.
    const protocol = `OUV-2019-${String(100000 + Math.floor(Math.random() * 800000))}`;
    const v = initialView(input(protocol));
    appendEvent(v, 'received', 'citizen', { channel: 'web' });
    appendEvent(v, 'answered', attendant.email, { text: 'O buraco foi tapado em 10/05/2019.' });
    appendEvent(v, 'closed', attendant.email, { reason: 'Respondida' });
    await projectView(t.db, { ...v, status: 'closed', revision: 7 });
    await expect(t.client.workflow.getHandle(protocol).describe()).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );

    const staffView = await json<CaseView>(
      t.app.request(`/api/v1/manifestations/${protocol}`, { headers: attendant.headers }),
    );
    expect(staffView.status).toBe(200);
    expect(staffView.body).toMatchObject({ status: 'closed', subject: 'Buraco na Rua das Palmeiras' });

    const citizenView = await json<{ status: string }>(
      t.app.request(`/api/v1/manifestations/${protocol}`, {
        headers: { 'x-access-code': deriveAccessCode(t.deps.secret, protocol) },
      }),
    );
    expect(citizenView.body.status).toBe('closed');

    const note = await act(protocol, 'note', { text: 'Nota num caso arquivado.', visibility: 'internal' });
    expect(note.status).toBe(409);
    expect(JSON.stringify(note.body)).toContain('reabra');

    const reopened = await act(protocol, 'reopen', { justification: 'Fato novo: o buraco voltou a abrir.' });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ status: 'in_progress', reopenCount: 1 });
    expect(reopened.body.timeline.map((e) => e.type)).toEqual(['received', 'answered', 'closed', 'reopened']);
    const live = await t.client.workflow.getHandle(protocol).describe();
    expect(live.status.name).toBe('RUNNING');
  });
});
