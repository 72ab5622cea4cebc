// Administração → Prazos e calendários in Chromium: the admin creates a 5-business-day policy on one
// catalogue item (refused first with an invalid period), adds a municipal holiday (refused first without
// a description), applies the year's pontos facultativos, and previews a deadline; a case filed on that
// item then gets the policy. An attendant is refused the pages.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPolicy, listOverrides, listPolicies } from '../../db/queries/sla.ts';
import { auditLog } from '../../db/schema.ts';
import { caseViewQuery } from '../../workflows/messages.ts';
import { json, newManifestation } from '../support/harness.ts';
import { type BrowserApp, hasChromium, noChromiumMessage, signIn, startBrowserApp } from './support.ts';

const slow = 180_000;
const shots = 'test/.artifacts';

describe.skipIf(!hasChromium)(hasChromium ? 'Prazos e calendários in the browser' : noChromiumMessage, () => {
  let b: BrowserApp;
  type Staff = Awaited<ReturnType<BrowserApp['t']['createStaff']>>;
  let admin: Staff;
  let attendant: Staff;

  beforeAll(async () => {
    b = await startBrowserApp();
    admin = await b.t.createStaff('admin');
    attendant = await b.t.createStaff('attendant');
    mkdirSync(shots, { recursive: true });
  }, slow);
  afterAll(async () => b?.stop());

  it(
    'creates a policy on an item, refuses bad input with messages, and a new case on that item gets it',
    async () => {
      const { page } = await b.newPage();
      await signIn(page, admin);
      await page.goto('/painel/admin');
      await page.getByRole('link', { name: 'Prazos e calendários' }).first().click();
      await page.getByRole('link', { name: 'Nova política' }).click();
      await page.getByLabel('Nome').fill('Buraco na via: 5 dias úteis');
      await page
        .getByLabel('Assunto › serviço')
        .selectOption({ label: 'Obras e vias públicas › Buraco na via' });
      await page.getByLabel('Prazo', { exact: true }).fill('0');
      await page.getByLabel('Contado em').selectOption({ label: 'dias úteis' });
      await page.getByRole('button', { name: 'Salvar' }).click();
      await page.locator('#policy-amount-error').waitFor();
      expect(await page.locator('#policy-amount-error').textContent()).toContain(
        'O prazo deve ser maior que zero',
      );
      expect((await listPolicies(b.t.db)).some((p) => p.item === 'buraco-via')).toBe(false);
      await page.getByLabel('Prazo', { exact: true }).fill('5');
      await page.getByRole('button', { name: 'Salvar' }).click();
      await page.locator('#deadlines-saved').waitFor();
      const policy = (await listPolicies(b.t.db)).find((p) => p.item === 'buraco-via');
      expect(policy).toMatchObject({ amount: 5, unit: 'business_days', scope: 'case', active: true });

      // edit: 6 days, then back to 5 (the edit form shows the stored values)
      await page.getByRole('link', { name: 'Buraco na via: 5 dias úteis' }).click();
      expect(await page.getByLabel('Prazo', { exact: true }).inputValue()).toBe('5');
      await page.getByLabel('Prazo', { exact: true }).fill('6');
      await page.getByRole('button', { name: 'Salvar' }).click();
      await page.locator('#deadlines-saved').waitFor();
      expect((await getPolicy(b.t.db, policy!.id))?.amount).toBe(6);
      await page.getByRole('link', { name: 'Buraco na via: 5 dias úteis' }).click();
      await page.getByLabel('Prazo', { exact: true }).fill('5');
      await page.getByRole('button', { name: 'Salvar' }).click();
      await page.locator('#deadlines-saved').waitFor();

      // the preview says which policy and why
      await page.getByLabel('Recebida em').fill('2026-10-05T10:00');
      await page
        .getByLabel('Assunto › serviço', { exact: true })
        .selectOption({ label: 'Obras e vias públicas › Buraco na via' });
      await page.getByRole('button', { name: 'Calcular o prazo' }).click();
      await page.locator('#preview-result').waitFor();
      const preview = (await page.locator('#preview-result').textContent()) ?? '';
      expect(preview).toContain('Buraco na via: 5 dias úteis');
      // 5 business days from Mon 05/10: Sat 10, Sun 11 and Mon 12/10 (Nossa Senhora Aparecida) do not count
      expect(preview).toContain('Vence em: 13/10/2026');
      expect(preview).toContain('12/10/2026 (feriado');
      await page.screenshot({ path: `${shots}/admin-deadlines.png`, fullPage: true });

      // a new case on that item gets the policy
      const filed = await json<{ protocol: string }>(
        b.t.app.request('/api/v1/manifestations', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(newManifestation({ topic: 'obras-vias', item: 'buraco-via' })),
        }),
      );
      expect(filed.status).toBe(201);
      const view = await b.t.client.workflow.getHandle(filed.body.protocol).query(caseViewQuery);
      expect(view.deadline?.policy.id).toBe(policy!.id);
      expect(view.deadline?.policy.amount).toBe(5);
      const audited = await b.t.db.select().from(auditLog);
      expect(audited.find((a) => a.action === 'sla.policy.updated')?.data).toMatchObject({
        entity: 'sla_policy',
        before: { amount: 5 },
        after: { amount: 6 },
      });
    },
    slow,
  );

  it(
    'adds a municipal holiday (refused without a description), removes it, and applies the pontos facultativos',
    async () => {
      const { page } = await b.newPage();
      await signIn(page, admin);
      await page.goto('/painel/admin/prazos');
      await page.getByRole('link', { name: 'Expediente padrão' }).click();
      await page.getByLabel('Data').fill('2026-01-25');
      await page.getByRole('button', { name: 'Adicionar exceção' }).click();
      await page.locator('#override-name-error').waitFor();
      expect(await listOverrides(b.t.db, 'default', '2026-01-25')).not.toContainEqual(
        expect.objectContaining({ date: '2026-01-25' }),
      );
      await page.getByLabel('Descrição').fill('Aniversário da cidade');
      await page.getByRole('button', { name: 'Adicionar exceção' }).click();
      await page.locator('#calendar-saved').waitFor();
      expect(await page.locator('#overrides').textContent()).toContain('Aniversário da cidade');
      expect((await listOverrides(b.t.db, 'default', '2026-01-25'))[0]).toMatchObject({
        date: '2026-01-25',
        kind: 'holiday',
      });

      await page.getByLabel('Ano').fill('2027');
      await page.getByRole('button', { name: 'Adicionar os pontos facultativos do ano' }).click();
      await page.locator('#calendar-saved').waitFor();
      expect(await page.locator('#calendar-saved').textContent()).toMatch(
        /\d+ ponto\(s\) facultativo\(s\) de 2027/,
      );
      expect(await page.locator('#overrides').textContent()).toContain('Carnaval');

      await page.getByRole('button', { name: 'Remover 2026-01-25' }).click();
      await page.locator('#calendar-saved').waitFor();
      expect(await page.locator('#overrides').textContent()).not.toContain('Aniversário da cidade');

      // weekly hours: a malformed range is refused with a message
      await page.getByLabel('Sábado').first().fill('9h às 12h');
      await page.getByRole('button', { name: 'Salvar calendário' }).click();
      await page.locator('#cal-workingHours-6-error').waitFor();
      expect(await page.locator('#cal-workingHours-6-error').textContent()).toContain('HH:MM-HH:MM');
      await page.screenshot({ path: `${shots}/admin-calendar.png`, fullPage: true });
      expect(b.cspViolations).toEqual([]);
    },
    slow,
  );

  it(
    'an attendant gets 403 on the deadline pages',
    async () => {
      const { page } = await b.newPage();
      await signIn(page, attendant);
      expect((await page.goto('/painel/admin/prazos'))?.status()).toBe(403);
      expect((await page.goto('/painel/admin/prazos/calendarios/default'))?.status()).toBe(403);
    },
    slow,
  );
});
