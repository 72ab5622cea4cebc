// Administração → Regras gerais in Chromium: the admin turns anonymous filing off, is told that 0 days is
// not a valid automatic close, fixes it and saves; a citizen then finds no anonymous choice on the public
// form and the organisation's name in the header; the ombudsman and an attendant are refused the page.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSettings } from '../../db/queries/settings.ts';
import { type BrowserApp, hasChromium, noChromiumMessage, signIn, startBrowserApp } from './support.ts';

const slow = 120_000;
const shots = 'test/.artifacts';

describe.skipIf(!hasChromium)(hasChromium ? 'Regras gerais in the browser' : noChromiumMessage, () => {
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
    'admin switches anonymous filing off, is refused 0 days, fixes it; the public form follows',
    async () => {
      const { page } = await b.newPage();
      await signIn(page, admin);
      await page
        .getByRole('navigation', { name: 'Navegação principal' })
        .getByRole('link', { name: 'Administração', exact: true })
        .click();
      await page.getByRole('link', { name: 'Regras gerais' }).first().click();
      await page.getByRole('heading', { name: 'Regras gerais' }).waitFor();
      await page.getByLabel('Nome da organização').fill('Ouvidoria de Vila Serena');
      await page.getByLabel('Aceitar manifestações anônimas').uncheck();
      await page.getByLabel('Encerramento automático após a resposta (dias corridos)').fill('0');
      await page.getByRole('button', { name: 'Salvar' }).click();
      await page.locator('#cases-autoCloseDays-error').waitFor();
      expect(await page.locator('#cases-autoCloseDays-error').textContent()).toContain('O mínimo é 1 dia.');
      expect(await page.getByLabel('Aceitar manifestações anônimas').isChecked()).toBe(false);
      expect((await readSettings(b.t.db))['features.anonymousFiling']).toBe(true); // nothing saved
      await page.getByLabel('Encerramento automático após a resposta (dias corridos)').fill('10');
      await page.getByRole('button', { name: 'Salvar' }).click();
      await page.locator('#general-saved').waitFor();
      await page.screenshot({ path: `${shots}/admin-general.png`, fullPage: true });
      const s = await readSettings(b.t.db);
      expect(s['features.anonymousFiling']).toBe(false);
      expect(s['cases.autoCloseDays']).toBe(10);
      expect(s['org.name']).toBe('Ouvidoria de Vila Serena');

      const citizen = (await b.newPage()).page;
      await citizen.goto('/registrar');
      await citizen.waitForLoadState('load');
      expect(await citizen.getByLabel('Identidade preservada').count()).toBe(1);
      expect(await citizen.getByLabel('Anônima').count()).toBe(0);
      expect(await citizen.locator('#site-org-name').textContent()).toBe('Ouvidoria de Vila Serena');
      expect(b.cspViolations).toEqual([]);
    },
    slow,
  );

  it(
    'an attendant is refused the page (403)',
    async () => {
      const { page } = await b.newPage();
      await signIn(page, attendant);
      const res = await page.goto('/painel/admin/geral');
      expect(res?.status()).toBe(403);
    },
    slow,
  );
});
