// Administração → E-mails in Chromium: the admin edits the receipt (refused first for an unknown
// placeholder), previews it in the sandboxed frame, saves it, resets it; ticks a notification rule; the
// ombudsman reads the page without a save button; a unit user is refused.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listNotificationRules } from '../../db/queries/email.ts';
import { getEmailTemplateText } from '../../db/queries/email-templates.ts';
import { type BrowserApp, hasChromium, noChromiumMessage, signIn, startBrowserApp } from './support.ts';

const slow = 180_000;
const shots = 'test/.artifacts';

describe.skipIf(!hasChromium)(hasChromium ? 'E-mails page in the browser' : noChromiumMessage, () => {
  let b: BrowserApp;
  type Staff = Awaited<ReturnType<BrowserApp['t']['createStaff']>>;
  let admin: Staff;
  let ombudsman: Staff;
  let unit: Staff;

  beforeAll(async () => {
    b = await startBrowserApp();
    admin = await b.t.createStaff('admin');
    ombudsman = await b.t.createStaff('ombudsman');
    unit = await b.t.createStaff('unit', { unitCode: 'SEC-OBRAS' });
    mkdirSync(shots, { recursive: true });
  }, slow);
  afterAll(async () => b?.stop());

  it(
    'edits, previews, saves and resets the receipt; ticks a notification rule',
    async () => {
      const { page } = await b.newPage();
      await signIn(page, admin);
      await page.goto('/painel/admin');
      await page.getByRole('link', { name: 'E-mails e notificações' }).first().click();
      await page.getByRole('link', { name: 'Recibo do registro (cidadão) (pt-BR)' }).click();
      expect(await page.getByLabel('Assunto').inputValue()).toBe('Manifestação registrada');

      await page.getByLabel('Assunto').fill('Protocolo {{protocolo}} recebido');
      await page.getByLabel('Texto').fill('Olá, {{nome}}. Seu CPF é {{cpf}}.\n\n{{link}}');
      await page.getByRole('button', { name: 'Salvar' }).click();
      await page.locator('#template-body-error').waitFor();
      expect(await page.locator('#template-body-error').textContent()).toContain(
        'Marcador desconhecido: {{cpf}}',
      );
      expect(await getEmailTemplateText(b.t.db, 'receipt', 'pt-BR')).toBeNull();

      await page
        .getByLabel('Texto')
        .fill('Olá, {{nome}}! Guarde o protocolo {{protocolo}} e o código {{codigo}}.\n\n{{link}}');
      await page.getByRole('button', { name: 'Pré-visualizar' }).click();
      const frame = page.frameLocator('#email-preview');
      await frame.getByText('Olá, Maria Souza! Guarde o protocolo OUV-2026-000123').waitFor();
      expect(await getEmailTemplateText(b.t.db, 'receipt', 'pt-BR')).toBeNull(); // a preview saves nothing

      await page.getByRole('button', { name: 'Salvar' }).click();
      await page.locator('#template-saved').waitFor();
      expect(await getEmailTemplateText(b.t.db, 'receipt', 'pt-BR')).toMatchObject({
        subject: 'Protocolo {{protocolo}} recebido',
      });
      await frame.getByText('Guarde o protocolo OUV-2026-000123').waitFor();
      await page.screenshot({ path: `${shots}/admin-email-template.png`, fullPage: true });

      await page.getByRole('button', { name: 'Restaurar o padrão' }).click();
      await page.locator('#template-saved').waitFor();
      expect(await page.getByLabel('Assunto').inputValue()).toBe('Manifestação registrada');
      expect(await getEmailTemplateText(b.t.db, 'receipt', 'pt-BR')).toBeNull();

      await page.goto('/painel/admin/emails');
      const box = page.getByLabel('Manifestação reaberta → Responsável');
      const before = await box.isChecked();
      await box.setChecked(!before);
      await page.getByRole('button', { name: 'Salvar regras' }).click();
      await page.locator('#emails-saved').waitFor();
      const rules = await listNotificationRules(b.t.db);
      expect(
        rules.find((r) => r.eventType === 'reopened' && r.recipient === 'assignee')?.enabled ?? false,
      ).toBe(!before);
      expect(b.cspViolations).toEqual([]);
    },
    slow,
  );

  it(
    'the ombudsman reads without saving; a unit user gets 403',
    async () => {
      const { page } = await b.newPage();
      await signIn(page, ombudsman);
      await page.goto('/painel/admin/emails/modelos/answer/en');
      await page.getByRole('heading', { name: 'Resposta conclusiva (cidadão) (en)' }).waitFor();
      expect(await page.getByRole('button', { name: 'Salvar' }).count()).toBe(0);
      const other = (await b.newPage()).page;
      await signIn(other, unit);
      expect((await other.goto('/painel/admin/emails'))?.status()).toBe(403);
    },
    slow,
  );
});
