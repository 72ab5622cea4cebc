// Issue 11 item 4: case details set by staff as an Update with a timeline entry — OS number, opening reason
// from the administered list (unknown → 422, nothing changed), estimate of minutes on its own; units may
// not set them; the case page shows them and offers the form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOpeningReasons } from '../../db/queries/catalogue.ts';
import { json, newManifestation, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';
import { pageClient, pngBytes, useTestUploads } from '../ui/support.ts';

let t: TestOuvidor;
let attendant: Awaited<ReturnType<TestOuvidor['createStaff']>>;
let unit: Awaited<ReturnType<TestOuvidor['createStaff']>>;

beforeAll(async () => {
  t = await startTestOuvidor();
  attendant = await t.createStaff('attendant');
  unit = await t.createStaff('unit', { unitCode: 'SEC-OBRAS' });
});
afterAll(async () => t?.stop());

type View = {
  serviceOrder?: string | null;
  reasonCode?: string | null;
  estimateMinutes: number | null;
  timeline: { type: string; data: Record<string, unknown> }[];
  error?: { code: string; fields?: Record<string, string[]> };
};
const act = (protocol: string, body: unknown, headers = attendant.headers) =>
  json<View>(
    t.app.request(`/api/v1/manifestations/${protocol}/actions/details`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    }),
  );

describe('case details', () => {
  it('sets the OS number, the reason and the estimate, each change one internal timeline entry', async () => {
    const filed = await json<{ protocol: string }>(
      t.app.request('/api/v1/manifestations', {
        method: 'POST',
        headers: attendant.headers,
        body: JSON.stringify(newManifestation({ channel: 'phone' })),
      }),
    );
    const protocol = filed.body.protocol;
    const [reason] = await listOpeningReasons(t.db, { activeOnly: true });
    expect(reason).toBeTruthy();
    const unknown = await act(protocol, { reasonCode: 'nao-existe' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error?.fields?.reasonCode?.[0]).toMatch(/Motivo/);
    const empty = await act(protocol, {});
    expect(empty.status).toBe(422);
    const set = await act(protocol, {
      serviceOrder: 'OS-2026-0042',
      reasonCode: reason!.code,
      estimateMinutes: 150,
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      serviceOrder: 'OS-2026-0042',
      reasonCode: reason!.code,
      estimateMinutes: 150,
    });
    const entries = set.body.timeline.filter((e) => e.type === 'details_updated');
    expect(entries).toHaveLength(1);
    expect(entries[0]!.data).toEqual({
      serviceOrder: 'OS-2026-0042',
      reasonCode: reason!.code,
      estimateMinutes: 150,
    });
    const same = await act(protocol, { serviceOrder: 'OS-2026-0042' });
    expect(same.body.timeline.filter((e) => e.type === 'details_updated')).toHaveLength(1); // nothing changed
    const byUnit = await act(protocol, { serviceOrder: 'X' }, unit.headers);
    expect([403, 404]).toContain(byUnit.status);

    // the staff page shows them and re-renders the form with the error for a bad estimate
    const pages = pageClient(t);
    const cookie = await pages.signIn(attendant.email, attendant.password);
    const page = await (await pages.get(`/painel/casos/${protocol}`, { cookie })).text();
    expect(page).toContain('OS-2026-0042');
    expect(page).toContain(reason!.labelPt);
    // the timeline entry names the reason by its label, never by its code
    const timeline = page.slice(page.indexOf('Detalhes do atendimento alterados'));
    expect(timeline).toContain(`Motivo de abertura: ${reason!.labelPt}`);
    expect(timeline).not.toContain(`Motivo de abertura: ${reason!.code}`);
    const bad = await pages.post(
      `/painel/casos/${protocol}/details`,
      { serviceOrder: 'OS-2026-0042', reasonCode: reason!.code, estimateMinutes: '-5' },
      { cookie },
    );
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('Estimativa: ao menos 1 minuto');
  });

  it('attaches staff files to an answer on the case page (checked like every upload)', async () => {
    useTestUploads(t);
    const filed = await json<{ protocol: string }>(
      t.app.request('/api/v1/manifestations', {
        method: 'POST',
        headers: attendant.headers,
        body: JSON.stringify(newManifestation()),
      }),
    );
    const protocol = filed.body.protocol;
    await t.app.request(`/api/v1/manifestations/${protocol}/actions/assign`, {
      method: 'POST',
      headers: attendant.headers,
      body: JSON.stringify({ assignee: attendant.email }),
    });
    const pages = pageClient(t);
    const cookie = await pages.signIn(attendant.email, attendant.password);
    const text = 'Os postes foram religados em 02/12; segue o laudo da equipe.';
    const refused = await pages.postMultipart(
      `/painel/casos/${protocol}/answer`,
      { text },
      [new File([new Uint8Array([0x4d, 0x5a, 0x90, 0x00])], 'programa.exe')],
      { cookie },
    );
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('programa.exe');
    const sent = await pages.postMultipart(
      `/painel/casos/${protocol}/answer`,
      { text },
      [new File([pngBytes], 'laudo.png', { type: 'image/png' })],
      { cookie },
    );
    expect(sent.status).toBe(303);
    const page = await (await pages.get(`/painel/casos/${protocol}`, { cookie })).text();
    expect(page).toContain('laudo.png');
    const citizen = await json<{
      attachmentIds: string[];
      timeline: { type: string; data: { attachmentIds?: string[] } }[];
    }>(t.app.request(`/api/v1/manifestations/${protocol}`, { headers: attendant.headers }));
    const answered = citizen.body.timeline.find((e) => e.type === 'answered');
    expect(answered?.data.attachmentIds).toHaveLength(1);
  });
});
