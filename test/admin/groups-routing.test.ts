// Attendant groups in Chromium (issue 10 item 2): an admin creates a group with an e-mail, a member and a
// routing rule; a case filed on the public form on that topic lands in the group's queue (the member sees
// it under "Filas dos meus grupos") and the group's e-mail gets the notification; a rule change followed
// by a reclassification on the case page moves the case to the other group. Bad input is refused.
import { mkdirSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendantGroups, auditLog, manifestations, outboundEmails, routingRules } from '../../db/schema.ts';
import { type BrowserApp, hasChromium, noChromiumMessage, startBrowserApp } from '../browser/support.ts';

const slow = 240_000;
const shots = 'test/.artifacts/admin-catalogue';

describe.skipIf(!hasChromium)(
  hasChromium ? 'attendant groups and routing in the browser' : noChromiumMessage,
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

    async function createGroup(page: Page, code: string, name: string, email: string) {
      await page.getByText('Novo grupo').click();
      const f = page.locator('#create-groups');
      await f.getByLabel('Código').fill(code);
      await f.getByLabel('Nome').fill(name);
      await f.getByLabel('E-mail do grupo (notificações)').fill(email);
      await f.getByRole('button', { name: 'Criar' }).click();
      await page.waitForLoadState('load');
    }

    /** Adds a rule choosing the given fields (label of the select → option label). */
    async function addRule(page: Page, group: string, fields: Record<string, string>) {
      const box = page.locator(`#group-${group}`);
      if (!(await box.locator(`#rule-${group}`).isVisible()))
        await box.getByText('Nova regra de roteamento').click();
      for (const [field, label] of Object.entries(fields))
        await box.locator(`#rule-${group}`).getByLabel(field).selectOption({ label });
      await box.getByRole('button', { name: 'Salvar regra' }).click();
      await page.waitForURL('**/painel/admin/grupos?salvo=1');
    }

    const groupOf = async (protocol: string) =>
      (await b.t.db.select().from(manifestations).where(eq(manifestations.protocol, protocol)))[0]?.groupCode;

    it(
      'a routed case lands in the group queue, mails the group, and re-routes after a rule change and reclassification',
      async () => {
        const { page } = await b.newPage();
        await signIn(page, admin);
        await page.goto('/painel/admin/grupos');
        // refused: a bad e-mail; nothing created
        await createGroup(page, 'vias', 'Vias públicas', 'não é e-mail');
        expect(await page.locator('#form-errors').textContent()).toContain('E-mail inválido');
        expect(await b.t.db.select().from(attendantGroups)).toHaveLength(0);
        // two groups
        await page.locator('#new-groups-email').fill('vias@org.test');
        await page.locator('#create-groups').getByRole('button', { name: 'Criar' }).click();
        await page.waitForURL('**/painel/admin/grupos?salvo=1');
        await createGroup(page, 'calcadas', 'Calçadas', 'calcadas@org.test');
        await page.waitForURL('**/painel/admin/grupos?salvo=1');
        // the attendant joins "vias"; its rule: topic Obras e vias públicas
        const vias = page.locator('#group-vias');
        await vias
          .getByLabel('Adicionar membro')
          .selectOption({ label: `Artur Atendente (${attendant.email})` });
        await vias.getByRole('button', { name: 'Adicionar', exact: true }).click();
        await page.waitForURL('**/painel/admin/grupos?salvo=1');
        expect(await page.locator('#group-vias .members').textContent()).toContain('Artur Atendente');
        // a rule with an item of another topic is refused
        await page.locator('#group-vias').getByText('Nova regra de roteamento').click();
        const ruleForm = page.locator('#rule-vias');
        await ruleForm.getByLabel('Assunto').selectOption({ label: 'Reclamação — Saúde' });
        await ruleForm
          .getByLabel('Item / serviço')
          .selectOption({ label: 'Obras e vias públicas — Buraco na via' });
        await ruleForm.getByRole('button', { name: 'Salvar regra' }).click();
        await page.waitForLoadState('load');
        expect(await page.locator('#form-errors').textContent()).toContain(
          'Este item não pertence ao assunto escolhido',
        );
        expect(await b.t.db.select().from(routingRules)).toHaveLength(0);
        // the refused form comes back with what was chosen: the item goes back to "(qualquer)"
        await page.locator('#rule-vias-itemCode').selectOption('');
        await addRule(page, 'vias', { Assunto: 'Reclamação — Obras e vias públicas' });
        await page.screenshot({ path: `${shots}/groups.png`, fullPage: true });

        // a citizen files on that topic from the public form
        const citizen = (await b.newPage()).page;
        await citizen.goto('/registrar');
        await citizen.getByLabel('Tipo').selectOption({ label: 'Reclamação' });
        await citizen.getByLabel('Tema (opcional)').selectOption({ label: 'Obras e vias públicas' });
        await citizen.getByLabel('Item ou serviço (opcional)').selectOption({ label: 'Buraco na via' });
        await citizen.locator('#subject').fill('Buraco enorme na Avenida Brasil');
        await citizen
          .locator('#description')
          .fill('Há um buraco enorme na Avenida Brasil, em frente ao número 100.');
        await citizen.locator('#identity-anonymous').check();
        await citizen.locator('#file-card button[type=submit]').click();
        await citizen.locator('#protocol').waitFor();
        const protocol = (await citizen.locator('#protocol').textContent())?.trim() ?? '';
        expect(protocol).toMatch(/^OUV-\d{4}-\d{6}$/);
        await expect.poll(() => groupOf(protocol), { timeout: 15_000 }).toBe('vias');
        // the group's e-mail is told of the new case (notification recipient "group")
        await expect
          .poll(
            async () =>
              (
                await b.t.db
                  .select()
                  .from(outboundEmails)
                  .where(
                    and(eq(outboundEmails.protocol, protocol), eq(outboundEmails.recipient, 'vias@org.test')),
                  )
              ).length,
            { timeout: 20_000 },
          )
          .toBe(1);

        // the member sees it in the group's queue
        const work = (await b.newPage()).page;
        await signIn(work, attendant);
        const queue = work.locator('#group-queues a[data-group="vias"]');
        expect(await queue.textContent()).toContain('1');
        await queue.click();
        await work.waitForURL('**/painel?group=vias');
        await expect
          .poll(() =>
            work
              .locator('#case-rows tr[data-protocol]')
              .evaluateAll((r) => r.map((x) => x.getAttribute('data-protocol'))),
          )
          .toEqual([protocol]);
        await work.screenshot({ path: `${shots}/group-queue.png`, fullPage: true });

        // a rule change alone does not move open cases (routing runs on registration and reclassification) …
        await page.goto('/painel/admin/grupos');
        await addRule(page, 'calcadas', {
          Assunto: 'Reclamação — Obras e vias públicas',
          'Item / serviço': 'Obras e vias públicas — Calçada danificada',
        });
        expect(await groupOf(protocol)).toBe('vias');
        // … reclassified to "Calçada danificada", the more specific rule of "calcadas" wins
        await work.goto(`/painel/casos/${protocol}`);
        expect(await work.locator('#case-group').textContent()).toBe('Vias públicas');
        await work.getByText('Reclassificar', { exact: true }).first().click();
        const form = work.locator('form[action$="/reclassify"]');
        await form.getByLabel('Item / serviço').selectOption({ label: 'Calçada danificada' });
        await form.getByLabel('Por que reclassificar?').fill('O buraco é na calçada');
        await form.getByRole('button', { name: 'Reclassificar' }).click();
        await expect.poll(() => groupOf(protocol), { timeout: 15_000 }).toBe('calcadas');
        const rules = await b.t.db
          .select()
          .from(auditLog)
          .where(eq(auditLog.action, 'admin.routing_rule.create'));
        expect(rules).toHaveLength(2);

        // removing that rule: the groups page signals the open case the rules now send elsewhere, and one
        // click re-routes it (a reclassification on its timeline)
        await page.goto('/painel/admin/grupos');
        await page.locator('#group-calcadas').getByRole('button', { name: 'Remover regra' }).click();
        await page.waitForURL('**/painel/admin/grupos?salvo=1');
        expect(await page.locator('#reroute').textContent()).toContain('1 manifestação(ões) aberta(s)');
        expect(await groupOf(protocol)).toBe('calcadas');
        await page.getByRole('button', { name: 'Reencaminhar os casos abertos pelas regras atuais' }).click();
        await page.waitForURL('**/painel/admin/grupos?reencaminhadas=1');
        await expect.poll(() => groupOf(protocol), { timeout: 15_000 }).toBe('vias');
        expect(await page.locator('#reroute-done').textContent()).toContain(
          '1 manifestação(ões) reencaminhada(s)',
        );
        await page.reload();
        expect(await page.locator('#reroute').count()).toBe(0);
      },
      slow,
    );
  },
);
