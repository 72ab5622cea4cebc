// Units, cost centres and the display lists in Chromium (issue 10 items 3, 5, 10), and who may reach the
// catalogue admin pages and REST: an admin creates, renames and deactivates (history kept), invalid input
// is refused with a message and nothing changes; renamed priority and status labels show in the
// workspace; attendant, unit and citizen get 403, signed-out visitors go to the sign-in page.
import { mkdirSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, costCentres, priorityLabels, ratingScales, units } from '../../db/schema.ts';
import { type BrowserApp, hasChromium, noChromiumMessage, startBrowserApp } from '../browser/support.ts';
import { json, newManifestation } from '../support/harness.ts';

const slow = 240_000;
const shots = 'test/.artifacts/admin-catalogue';
const pages = [
  '/painel/admin/grupos',
  '/painel/admin/unidades',
  '/painel/admin/catalogo',
  '/painel/admin/listas',
];

describe.skipIf(!hasChromium)(
  hasChromium ? 'units, cost centres and lists in the browser' : noChromiumMessage,
  () => {
    let b: BrowserApp;
    type Staff = Awaited<ReturnType<BrowserApp['t']['createStaff']>>;
    let admin: Staff;
    let ombudsman: Staff;
    let attendant: Staff;

    beforeAll(async () => {
      mkdirSync(shots, { recursive: true });
      b = await startBrowserApp();
      admin = await b.t.createStaff('admin', { name: 'Alice Admin' });
      ombudsman = await b.t.createStaff('ombudsman', { name: 'Olga Ouvidora' });
      attendant = await b.t.createStaff('attendant', { name: 'Artur Atendente' });
    }, slow);
    afterAll(async () => b?.stop());

    async function signIn(page: Page, who: Staff) {
      await page.goto('/entrar');
      await page.getByLabel('E-mail').fill(who.email);
      await page.getByLabel('Senha').fill(who.password);
      await page.getByRole('button', { name: 'Entrar', exact: true }).click();
      await page.waitForURL('**/painel');
    }
    const saved = (page: Page, path: string) => page.waitForURL(`**${path}?salvo=1`);

    it('attendant, unit and citizen get 403; signed-out visitors are sent to sign in; the ombudsman only reads', async () => {
      const unitUser = await b.t.createStaff('unit', { unitCode: 'SEC-OBRAS' });
      const citizen = await b.t.createStaff('citizen');
      for (const path of pages) {
        const out = await b.t.app.request(path);
        expect(out.status, path).toBe(303);
        expect(out.headers.get('location')).toBe('/entrar');
        for (const who of [attendant, unitUser, citizen]) {
          const got = await b.t.app.request(path, { headers: who.headers });
          // a citizen's page request is sent to their own account (/conta) instead
          if (who === citizen) expect([303, 403], path).toContain(got.status);
          else expect(got.status, path).toBe(403);
          if (got.status === 303) expect(got.headers.get('location')).not.toContain('/painel');
          const post = await b.t.app.request(`${path}/x/y`, { method: 'POST', headers: who.headers });
          if (who === citizen) expect([303, 403], `POST ${path}`).toContain(post.status);
          else expect(post.status, `POST ${path}`).toBe(403);
        }
        expect((await b.t.app.request(path, { headers: ombudsman.headers })).status, path).toBe(200);
      }
      for (const rest of [
        'topics',
        'items',
        'groups',
        'units',
        'cost-centres',
        'opening-reasons',
        'priorities',
      ]) {
        for (const who of [attendant, unitUser, citizen])
          expect((await b.t.app.request(`/api/v1/admin/${rest}`, { headers: who.headers })).status).toBe(403);
        expect((await b.t.app.request(`/api/v1/admin/${rest}`, { headers: ombudsman.headers })).status).toBe(
          200,
        );
      }
      const denied = await b.t.app.request('/api/v1/admin/topics', {
        method: 'POST',
        headers: ombudsman.headers,
        body: JSON.stringify({ code: 'x', kind: 'complaint', labelPt: 'Xx', labelEn: 'Xx' }),
      });
      expect(denied.status).toBe(403);
      // the public catalogue: what POST /api/v1/manifestations accepts as topic and item
      const cat = await json<{
        kinds: { kind: string; topics: { code: string; items: { code: string }[] }[] }[];
      }>(b.t.app.request('/api/v1/catalogue'));
      expect(cat.status).toBe(200);
      const complaint = cat.body.kinds.find((k) => k.kind === 'complaint');
      expect(complaint?.topics.find((t) => t.code === 'obras-vias')?.items.map((i) => i.code)).toEqual([
        'buraco-via',
        'calcada',
      ]);
      // REST writes: created, refused, audited
      const created = await json(
        b.t.app.request('/api/v1/admin/opening-reasons', {
          method: 'POST',
          headers: admin.headers,
          body: JSON.stringify({ code: 'imprensa', labelPt: 'Matéria na imprensa', labelEn: 'Press report' }),
        }),
      );
      expect(created.status).toBe(201);
      const bad = await json<{ error: { fields: Record<string, string[]> } }>(
        b.t.app.request('/api/v1/admin/priorities/urgent', {
          method: 'PATCH',
          headers: admin.headers,
          body: JSON.stringify({ colour: 'vermelho' }),
        }),
      );
      expect(bad.status).toBe(422);
      expect(bad.body.error.fields.colour).toEqual(['Cor: formato #rrggbb']);
      expect(
        (await b.t.app.request('/api/v1/admin/priorities', { method: 'POST', headers: admin.headers }))
          .status,
      ).toBe(404);
    });

    it(
      'units and cost centres: create, refuse a taken code, rename, deactivate; unit staff listed read-only',
      async () => {
        await b.t.createStaff('unit', { unitCode: 'SEC-TRANSITO', name: 'Ursula Unidade' });
        const { page } = await b.newPage();
        await signIn(page, admin);
        await page.goto('/painel/admin/unidades');
        await page.getByText('Novo centro de custo').click();
        const cc = page.locator('#create-cost-centres');
        await cc.getByLabel('Código').fill('CC-MOB');
        await cc.getByLabel('Nome').fill('Mobilidade urbana');
        await cc.getByRole('button', { name: 'Criar' }).click();
        await saved(page, '/painel/admin/unidades');
        await page.getByText('Nova unidade').click();
        const unit = page.locator('#create-units');
        await unit.getByLabel('Código').fill('SEC-TRANSITO');
        await unit.getByLabel('Nome').fill('Secretaria de Trânsito');
        await unit.getByLabel('E-mail').fill('transito@org.test');
        await unit.getByLabel('Centro de custo').selectOption({ label: 'Mobilidade urbana' });
        await unit.getByRole('button', { name: 'Criar' }).click();
        await saved(page, '/painel/admin/unidades');
        // the same code again: refused, nothing changed
        await page.getByText('Nova unidade').click();
        await page.locator('#create-units').getByLabel('Código').fill('SEC-TRANSITO');
        await page.locator('#create-units').getByLabel('Nome').fill('Outra secretaria');
        await page.locator('#create-units').getByRole('button', { name: 'Criar' }).click();
        await page.waitForLoadState('load');
        expect(await page.locator('#form-errors').textContent()).toContain(
          'Já existe um registro com este código',
        );
        // rename
        const row = page.locator('#row-units-SEC-TRANSITO + tr');
        await row.getByText('Editar SEC-TRANSITO').click();
        await row.getByLabel('Nome').fill('Secretaria de Mobilidade');
        await row.getByRole('button', { name: 'Salvar alterações' }).click();
        await saved(page, '/painel/admin/unidades');
        const [u] = await b.t.db.select().from(units).where(eq(units.code, 'SEC-TRANSITO'));
        expect(u).toMatchObject({ name: 'Secretaria de Mobilidade', costCentreCode: 'CC-MOB', active: true });
        expect(await page.locator('#unit-staff-SEC-TRANSITO').textContent()).toContain('Ursula Unidade');
        // deactivate the cost centre: kept, marked, no longer accepted for a unit
        const ccRow = page.locator('#row-cost-centres-CC-MOB + tr');
        await ccRow.getByText('Editar CC-MOB').click();
        await ccRow.getByLabel('Ativo').uncheck();
        await ccRow.getByRole('button', { name: 'Salvar alterações' }).click();
        await saved(page, '/painel/admin/unidades');
        const [c] = await b.t.db.select().from(costCentres).where(eq(costCentres.code, 'CC-MOB'));
        expect(c?.active).toBe(false);
        await page.screenshot({ path: `${shots}/units.png`, fullPage: true });
        const again = await json<{ error: { fields: Record<string, string[]> } }>(
          b.t.app.request('/api/v1/admin/units', {
            method: 'POST',
            headers: admin.headers,
            body: JSON.stringify({ code: 'SEC-X', name: 'Secretaria X', costCentreCode: 'CC-MOB' }),
          }),
        );
        expect(again.body.error.fields.costCentreCode).toEqual(['Este centro de custo está desativado']);
        const renamed = await b.t.db.select().from(auditLog).where(eq(auditLog.action, 'admin.unit.update'));
        expect(renamed[0]?.data).toMatchObject({
          entity: 'unit',
          id: 'SEC-TRANSITO',
          before: { name: 'Secretaria de Trânsito' },
          after: { name: 'Secretaria de Mobilidade' },
        });
      },
      slow,
    );

    it(
      'lists: a renamed priority and status show in the workspace; empty labels are refused',
      async () => {
        const filed = await json<{ protocol: string }>(
          b.t.app.request('/api/v1/manifestations', {
            method: 'POST',
            headers: attendant.headers,
            body: JSON.stringify(newManifestation({ subject: 'Semáforo quebrado' })),
          }),
        );
        const act = await b.t.app.request(`/api/v1/manifestations/${filed.body.protocol}/actions/priority`, {
          method: 'POST',
          headers: attendant.headers,
          body: JSON.stringify({ priority: 'urgent' }),
        });
        expect(act.status).toBe(200);
        const { page } = await b.newPage();
        await signIn(page, admin);
        await page.goto('/painel/admin/listas');
        const urgent = page.locator('#row-priorities-urgent + tr');
        await urgent.getByText('Editar urgent').click();
        // the colour picker only gives #rrggbb (a bad colour is refused by the REST, above); an empty label here
        await urgent.getByLabel('Rótulo (português)').fill('');
        await urgent.getByRole('button', { name: 'Salvar alterações' }).click();
        await page.waitForLoadState('load');
        expect(await page.locator('#form-errors').textContent()).toContain(
          'Rótulo em português: mínimo de 2',
        );
        const [still] = await b.t.db.select().from(priorityLabels).where(eq(priorityLabels.code, 'urgent'));
        expect(still?.labelPt).toBe('Urgente');
        const again = page.locator('#row-priorities-urgent + tr');
        await again.getByLabel('Rótulo (português)').fill('Crítica');
        await again.getByLabel('Cor').fill('#7a0000');
        await again.getByRole('button', { name: 'Salvar alterações' }).click();
        await saved(page, '/painel/admin/listas');
        const received = page.locator('#row-statuses-received + tr');
        await received.getByText('Editar received').click();
        await received.getByLabel('Rótulo (português)').fill('Recebida');
        await received.getByRole('button', { name: 'Salvar alterações' }).click();
        await saved(page, '/painel/admin/listas');
        // the rating scale: an empty score label is refused
        const partial = page.locator('#row-rating-scales-partial + tr');
        await partial.getByText('Editar partial').click();
        await partial.locator('#rating-scales-partial-labelsPt-3').fill('');
        await partial.getByRole('button', { name: 'Salvar alterações' }).click();
        await page.waitForLoadState('load');
        expect(await page.locator('#form-errors').textContent()).toContain('Rótulo (português)');
        const [scale] = await b.t.db.select().from(ratingScales).where(eq(ratingScales.stage, 'partial'));
        expect(scale?.labelsPt[2]).toBe('Regular');
        await page.screenshot({ path: `${shots}/lists.png`, fullPage: true });

        await page.goto('/painel');
        const row = page.locator(`#case-rows tr[data-protocol="${filed.body.protocol}"]`);
        await expect.poll(() => row.locator('.prio').textContent()).toBe('Crítica');
        expect(await row.locator('.badge').textContent()).toBe('Recebida');
        const css = await (await b.t.app.request('/painel/prioridades.css')).text();
        expect(css).toContain('.prio-urgent{color:#7a0000');
      },
      slow,
    );
  },
);
