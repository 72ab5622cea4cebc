// A small set of cases whose report figures are known, driven through the real workflow (REST API):
// on time, late, extended (only on time thanks to the extension), paused for complementation (the
// interruption restarts the count), reopened after a rejection, and open ones of different ages.
import { randomBytes } from 'node:crypto';
import { slaPolicies } from '../../db/schema.ts';
import { json, newManifestation, type TestOuvidor } from '../support/harness.ts';

type View = { protocol: string; status: string; dueAt: string | null; reopenCount: number };

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

export type ReportFixture = Awaited<ReturnType<typeof buildReportFixture>>;

/**
 * Cases (all received within the last 60 days):
 * - A complaint, today: forwarded to SEC-OBRAS (answered by the unit), 90 min logged (estimate 120),
 *   answered on time, rated 5 "resolvida: sim" (final), marked as having produced an improvement.
 * - B complaint, 40 days ago: opening reason "Problema recorrente", answered late (deadline 30 days).
 * - C request, 10 days ago, under a 5-day policy that allows late extensions: extended by 30 days,
 *   then answered — on time only because of the extension.
 * - D information, 35 days ago: request for complementation, the citizen replies (interrupt_once restarts
 *   the count from the reply), answered — on time.
 * - E complaint, today: answered, rejected by the citizen (reopened), answered again.
 * - F suggestion, 15 days ago: open, partial rating 2 "parcialmente".
 * - G complaint, 45 days ago: open and overdue.
 */
export async function buildReportFixture(t: TestOuvidor) {
  const attendant = await t.createStaff('attendant', { name: 'Ana Atendente' });
  const unitUser = await t.createStaff('unit', { unitCode: 'SEC-OBRAS' });
  await t.db.insert(slaPolicies).values({
    id: `short-request-${randomBytes(3).toString('hex')}`,
    name: 'Solicitação: 5 dias, prorrogável por 30 mesmo vencido',
    scope: 'case',
    kind: 'request',
    unit: 'calendar_days',
    amount: 5,
    extensionAmount: 30,
    maxExtensions: 1,
    allowLateExtension: true,
  });
  const file = async (over: Record<string, unknown>) => {
    const res = await json<{ protocol: string; accessCode: string }>(
      t.app.request('/api/v1/manifestations', {
        method: 'POST',
        headers: attendant.headers,
        body: JSON.stringify(newManifestation({ channel: 'phone', ...over })),
      }),
    );
    if (res.status !== 201) throw new Error(`filing failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const act = async (
    protocol: string,
    action: string,
    body: unknown,
    headers: Record<string, string> = attendant.headers,
  ) => {
    const res = await json<View>(
      t.app.request(`/api/v1/manifestations/${protocol}/actions/${action}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      }),
    );
    if (res.status !== 200) throw new Error(`${action} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const citizen = async (protocol: string, code: string, action: string, body: unknown) => {
    const res = await json<View>(
      t.app.request(`/api/v1/manifestations/${protocol}/citizen/${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-access-code': code },
        body: JSON.stringify(body),
      }),
    );
    if (res.status !== 200)
      throw new Error(`citizen ${action} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const assign = (p: string) => act(p, 'assign', { assignee: attendant.email });
  const answer = (p: string) => act(p, 'answer', { text: 'Resposta conclusiva ao cidadão.' });

  const A = await file({ kind: 'complaint' });
  await assign(A.protocol);
  await act(A.protocol, 'forward', { units: ['SEC-OBRAS'], instructions: 'Verificar os postes' });
  await act(
    A.protocol,
    'unit-response',
    { unit: 'SEC-OBRAS', text: 'Postes consertados.' },
    unitUser.headers,
  );
  await act(A.protocol, 'worklog', { minutes: 90, description: 'Análise', estimateMinutes: 120 });
  await answer(A.protocol);
  await citizen(A.protocol, A.accessCode, 'rate', { score: 5, resolved: 'yes' });
  await act(A.protocol, 'improvement', { measure: 'Troca das lâmpadas da rua por LED' });

  const B = await file({ kind: 'complaint', receivedAt: daysAgo(40) });
  await assign(B.protocol);
  await act(B.protocol, 'details', { reasonCode: 'problema-recorrente' });
  await answer(B.protocol);

  const C = await file({ kind: 'request', receivedAt: daysAgo(10) });
  await assign(C.protocol);
  await act(C.protocol, 'extend', { justification: 'Depende de vistoria da obra' });
  await answer(C.protocol);

  const D = await file({ kind: 'information', receivedAt: daysAgo(35) });
  await assign(D.protocol);
  await act(D.protocol, 'request-info', { question: 'Qual o endereço exato?' });
  await citizen(D.protocol, D.accessCode, 'reply', { text: 'Rua das Flores, 100.' });
  await answer(D.protocol);

  const E = await file({ kind: 'complaint' });
  await assign(E.protocol);
  await answer(E.protocol);
  await citizen(E.protocol, E.accessCode, 'reject', { reason: 'Não resolveu o problema' });
  await answer(E.protocol);

  const F = await file({ kind: 'suggestion', receivedAt: daysAgo(15) });
  await assign(F.protocol);
  await citizen(F.protocol, F.accessCode, 'rate', { score: 2, resolved: 'partially' });

  const G = await file({ kind: 'complaint', receivedAt: daysAgo(45) });

  return { attendant, unitUser, cases: { A, B, C, D, E, F, G } };
}
