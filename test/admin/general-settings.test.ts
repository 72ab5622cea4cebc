// Regras gerais through HTTP (REST /api/v1/admin/settings and the /painel/admin/geral form): roles,
// validation (422 with fields, nothing changed), audit, and the effect of each switch on the doors that
// honour it: anonymous filing, public attachments, partial ratings, automatic close, reopen window.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { settingsDefaults } from '../../config/settings.ts';
import { forgetSettings, writeSettings } from '../../db/queries/settings.ts';
import { auditLog, settings } from '../../db/schema.ts';
import { caseViewQuery } from '../../workflows/messages.ts';
import { INBOUND_SECRET, message } from '../email/support.ts';
import { json, newManifestation, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';

type Staff = Awaited<ReturnType<TestOuvidor['createStaff']>>;
type ErrorBody = { error: { code: string; message: string; fields: Record<string, string[]> } };

let t: TestOuvidor;
let admin: Staff;
let ombudsman: Staff;
let attendant: Staff;
let unit: Staff;
let citizen: Staff;

beforeAll(async () => {
  t = await startTestOuvidor();
  [admin, ombudsman, attendant, unit, citizen] = await Promise.all([
    t.createStaff('admin'),
    t.createStaff('ombudsman'),
    t.createStaff('attendant'),
    t.createStaff('unit', { unitCode: 'SEC-OBRAS' }),
    t.createStaff('citizen'),
  ]);
});
afterAll(async () => t?.stop());
beforeEach(async () => {
  await t.db.delete(settings);
  forgetSettings(t.db);
});

const patch = (who: Staff | null, body: unknown) =>
  t.app.request('/api/v1/admin/settings', {
    method: 'PATCH',
    headers: who ? who.headers : { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const file = (over: Record<string, unknown> = {}) =>
  json<{ protocol: string; accessCode: string } & ErrorBody>(
    t.app.request('/api/v1/manifestations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(newManifestation(over)),
    }),
  );
const act = (who: Staff, protocol: string, action: string, body: unknown) =>
  json(
    t.app.request(`/api/v1/manifestations/${protocol}/actions/${action}`, {
      method: 'POST',
      headers: who.headers,
      body: JSON.stringify(body),
    }),
  );
const view = (protocol: string) => t.client.workflow.getHandle(protocol).query(caseViewQuery);
async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await fn();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  return fn();
}

describe('REST /api/v1/admin/settings', () => {
  it('admin and ombudsman read; attendant, unit and citizen get 403; no credentials 401', async () => {
    for (const who of [admin, ombudsman]) {
      const r = await json<{ settings: typeof settingsDefaults }>(
        t.app.request('/api/v1/admin/settings', { headers: who.headers }),
      );
      expect(r.status).toBe(200);
      expect(r.body.settings).toEqual(settingsDefaults);
    }
    for (const who of [attendant, unit, citizen]) {
      expect((await t.app.request('/api/v1/admin/settings', { headers: who.headers })).status).toBe(403);
      expect((await patch(who, { 'features.anonymousFiling': false })).status).toBe(403);
    }
    expect((await patch(ombudsman, { 'features.anonymousFiling': false })).status).toBe(403);
    expect((await t.app.request('/api/v1/admin/settings')).status).toBe(401);
    expect((await patch(null, { 'features.anonymousFiling': false })).status).toBe(401);
  });

  it('refuses invalid values with field errors and changes nothing', async () => {
    const r = await json<ErrorBody>(
      patch(admin, { 'cases.autoCloseDays': -3, 'org.intakeAddress': 'x', 'features.partialRatings': false }),
    );
    expect(r.status).toBe(422);
    expect(r.body.error.fields['cases.autoCloseDays']).toEqual(['O mínimo é 1 dia.']);
    expect(r.body.error.fields['org.intakeAddress']).toEqual(['Endereço de e-mail inválido.']);
    expect(await t.db.select().from(settings)).toEqual([]);
    const unknown = await json<ErrorBody>(patch(admin, { 'features.chat': true }));
    expect(unknown.status).toBe(422);
  });

  it('saves a change, answers the new settings and audits before → after', async () => {
    const r = await json<{ settings: typeof settingsDefaults }>(
      patch(admin, { 'org.name': 'Ouvidoria Municipal' }),
    );
    expect(r.status).toBe(200);
    expect(r.body.settings['org.name']).toBe('Ouvidoria Municipal');
    const [row] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'settings.update'));
    expect(row?.actor).toBe(admin.email);
    expect(row?.data).toMatchObject({
      before: { 'org.name': '' },
      after: { 'org.name': 'Ouvidoria Municipal' },
    });
  });
});

describe('the effect of each switch', () => {
  it('anonymous filing off: the API refuses anonymous filings with a clear message; the form offers no anonymous choice', async () => {
    expect((await file({ identity: 'anonymous', citizen: undefined })).status).toBe(201);
    await patch(admin, { 'features.anonymousFiling': false });
    const refused = await file({ identity: 'anonymous', citizen: undefined });
    expect(refused.status).toBe(422);
    expect(refused.body.error.fields.identity?.[0]).toContain('não recebe manifestações anônimas');
    expect((await file({ identity: 'preserved' })).status).toBe(201);
    const form = await (await t.app.request('/registrar')).text();
    expect(form).toContain('value="preserved"');
    expect(form).not.toContain('value="anonymous"');
    // staff still register an anonymous phone call
    const staff = await json(
      t.app.request('/api/v1/manifestations', {
        method: 'POST',
        headers: attendant.headers,
        body: JSON.stringify(
          newManifestation({ identity: 'anonymous', citizen: undefined, channel: 'phone' }),
        ),
      }),
    );
    expect(staff.status).toBe(201);
  });

  it('public attachments off: no file field on the public form, and a file sent anyway is refused', async () => {
    expect(await (await t.app.request('/registrar')).text()).toContain('type="file"');
    await patch(admin, { 'features.publicAttachments': false });
    expect(await (await t.app.request('/registrar')).text()).not.toContain('type="file"');
    const form = new FormData();
    for (const [k, v] of Object.entries({
      kind: 'complaint',
      subject: 'Buraco na rua',
      description: 'Um buraco enorme na Rua das Flores, 10.',
      identity: 'identified',
      name: 'Maria',
      email: 'maria@example.org',
    }))
      form.set(k, v);
    form.set('attachments', new File([new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d])], 'foto.pdf'));
    const res = await t.app.request('/registrar', {
      method: 'POST',
      headers: { origin: 'http://localhost' },
      body: form,
    });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('não recebe anexos pelo site');
  });

  it('partial ratings off: refused while the case is open, still offered after the answer', async () => {
    const { body } = await file();
    const rate = () =>
      json<ErrorBody>(
        t.app.request(`/api/v1/manifestations/${body.protocol}/citizen/rate`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-access-code': body.accessCode },
          body: JSON.stringify({ score: 4 }),
        }),
      );
    await act(attendant, body.protocol, 'assign', { assignee: attendant.email });
    expect((await rate()).status).toBe(200); // a partial rating, while the switch is on
    await patch(admin, { 'features.partialRatings': false });
    const refused = await rate();
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('avaliação parcial está desativada');
    await act(attendant, body.protocol, 'answer', { text: 'Buraco tapado em 02/12.' });
    expect((await rate()).status).toBe(200);
  });

  it('automatic close days: a new answer gets them, and an answered case re-plans when they change', async () => {
    const { body } = await file();
    await act(attendant, body.protocol, 'assign', { assignee: attendant.email });
    await act(attendant, body.protocol, 'answer', { text: 'Resposta conclusiva.' });
    const before = await until(
      () => view(body.protocol),
      (v) => v.autoCloseDeadline !== null,
    );
    expect(before.autoCloseDeadline?.policy.amount).toBe(20);
    const r = await json<{ signalled: number }>(patch(admin, { 'cases.autoCloseDays': 5 }));
    expect(r.status).toBe(200);
    expect(r.body.signalled).toBeGreaterThanOrEqual(1);
    const after = await until(
      () => view(body.protocol),
      (v) => v.autoCloseDeadline?.policy.amount === 5,
    );
    expect(after.autoCloseDeadline?.policy.amount).toBe(5);
    expect(Date.parse(after.autoCloseDeadline!.dueAt!)).toBeLessThan(
      Date.parse(before.autoCloseDeadline!.dueAt!),
    );
  });

  it('intake address: mail to it opens a case once set (before, it is a dead letter)', async () => {
    const post = (to: string) =>
      json<{ status: string; protocol: string | null }>(
        t.app.request('/inbound/mime', {
          method: 'POST',
          headers: { 'content-type': 'message/rfc822', 'x-inbound-secret': INBOUND_SECRET },
          body: message({
            from: `Rita <rita.${Date.now()}@example.org>`,
            to,
            subject: 'Reclamação sobre a coleta de lixo',
            body: 'A coleta não passa na Rua B há duas semanas.',
          }),
        }),
      );
    expect((await post('sac@prefeitura.example')).body.status).toBe('dead_letter');
    await patch(admin, { 'org.intakeAddress': 'SAC@prefeitura.example' });
    const opened = await post('sac@prefeitura.example');
    expect(opened.body.status).toBe('created');
    expect(opened.body.protocol).toMatch(/^OUV-/);
  });

  it('public site texts and the organisation appear on the public pages, per language', async () => {
    await patch(admin, {
      'org.name': 'Ouvidoria de Vila Serena',
      'org.contact': 'Praça Central, 1 — (11) 4000-0000',
      'site.texts': {
        'pt-BR': { 'home.title': 'Fale com a Prefeitura' },
        en: { 'home.title': 'Talk to the city' },
      },
    });
    const pt = await (await t.app.request('/')).text();
    expect(pt).toContain('Fale com a Prefeitura');
    expect(pt).toContain('Ouvidoria de Vila Serena');
    expect(pt).toContain('Praça Central, 1 — (11) 4000-0000');
    expect(await (await t.app.request('/?lang=en')).text()).toContain('Talk to the city');
    const bad = await json<ErrorBody>(patch(admin, { 'org.logoUrl': 'javascript:alert(1)' }));
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields['org.logoUrl']).toBeDefined();
  });

  it('reopen window days: stored and read by the case activity (the workflow test checks the timing)', async () => {
    await writeSettings(t.db, { id: 'test' }, { 'cases.reopenWindowDays': 7 });
    const r = await json<{ settings: typeof settingsDefaults }>(
      t.app.request('/api/v1/admin/settings', { headers: admin.headers }),
    );
    expect(r.body.settings['cases.reopenWindowDays']).toBe(7);
  });
});

describe('/painel/admin/geral (form)', () => {
  const post = (who: Staff | null, fields: Record<string, string>) =>
    t.app.request('/painel/admin/geral', {
      method: 'POST',
      headers: who
        ? { authorization: who.headers.authorization, origin: 'http://localhost' }
        : { origin: 'http://localhost' },
      body: new URLSearchParams(fields),
    });
  const full = {
    'org.name': 'Ouvidoria Geral',
    'org.logoUrl': '',
    'org.contact': 'Rua A, 1',
    'org.intakeAddress': '',
    'features.anonymousFiling': 'on',
    'features.citizenAccounts': 'on',
    'features.publicAttachments': 'on',
    'cases.autoCloseDays': '20',
    'cases.reopenWindowDays': '30',
  };

  it('admin saves (303), an unchecked switch turns off; invalid days re-render 422 with the message', async () => {
    const ok = await post(admin, full);
    expect(ok.status).toBe(303);
    const page = await (await t.app.request('/painel/admin/geral', { headers: admin.headers })).text();
    expect(page).toContain('value="Ouvidoria Geral"');
    const r = await json<{ settings: typeof settingsDefaults }>(
      t.app.request('/api/v1/admin/settings', { headers: admin.headers }),
    );
    expect(r.body.settings['features.partialRatings']).toBe(false);
    expect(r.body.settings['org.contact']).toBe('Rua A, 1');
    const bad = await post(admin, { ...full, 'cases.autoCloseDays': 'dez' });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('Informe um número de dias.');
  });

  it('the ombudsman reads but cannot save; attendant, unit and citizen get 403; signed out → /entrar', async () => {
    const read = await t.app.request('/painel/admin/geral', { headers: ombudsman.headers });
    expect(read.status).toBe(403); // Regras gerais is admin-only (not flagged ombudsmanReads)
    expect((await post(ombudsman, full)).status).toBe(403);
    for (const who of [attendant, unit])
      expect((await t.app.request('/painel/admin/geral', { headers: who.headers })).status).toBe(403);
    // a citizen is sent to their own account (/conta), never shown the page
    const asCitizen = await t.app.request('/painel/admin/geral', { headers: citizen.headers });
    expect([403, 303]).toContain(asCitizen.status);
    if (asCitizen.status === 303) expect(asCitizen.headers.get('location')).toBe('/conta');
    const anon = await t.app.request('/painel/admin/geral');
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toBe('/entrar');
  });
});
