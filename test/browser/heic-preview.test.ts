// Issue 13 item 14 in a real browser: a citizen attaches an iPhone photo (HEIC, which Chromium cannot show)
// on the public form; staff open the case and see a JPEG preview of it on the case page, while the file
// itself downloads as the original HEIC, under the name the disclosure rules let this attendant see.
import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserApp, hasChromium, noChromiumMessage, startBrowserApp } from './support.ts';

const slow = 180_000;
const heic = readFileSync(new URL('../fixtures/mail/foto-buraco.heic', import.meta.url));

describe.skipIf(!hasChromium)(hasChromium ? 'a HEIC photo on the case page' : noChromiumMessage, () => {
  let b: BrowserApp;
  let staff: Awaited<ReturnType<BrowserApp['t']['createStaff']>>;

  beforeAll(async () => {
    b = await startBrowserApp();
    staff = await b.t.createStaff('attendant', { name: 'Ana Atendente' });
  });
  afterAll(async () => b?.stop());

  async function signIn(page: Page) {
    await page.goto('/entrar');
    await page.getByLabel('E-mail').fill(staff.email);
    await page.getByLabel('Senha').fill(staff.password);
    await page.getByRole('button', { name: 'Entrar', exact: true }).click();
    await page.waitForURL('**/painel');
  }

  it(
    'staff see a JPEG preview of a HEIC photo a citizen attached, and download the original',
    async () => {
      const { page: citizen } = await b.newPage();
      await citizen.goto('/registrar');
      await citizen.getByLabel('Tipo de manifestação').selectOption({ label: 'Reclamação' });
      await citizen.getByLabel('Assunto', { exact: true }).fill('Buraco na Rua das Flores');
      await citizen
        .getByLabel('Descreva sua manifestação')
        .fill('Há um buraco enorme em frente ao número 120; segue a foto tirada com o celular.');
      await citizen.getByLabel('Identidade preservada').check();
      await citizen.getByLabel('Nome').fill('Maria Souza');
      await citizen.getByLabel('E-mail').fill('maria@example.org');
      await citizen
        .getByLabel('Anexos (opcional)')
        .setInputFiles({ name: 'IMG_5001.HEIC', mimeType: 'image/heic', buffer: heic });
      await citizen.getByRole('button', { name: 'Enviar manifestação' }).click();
      await citizen.getByRole('heading', { name: 'Manifestação registrada' }).waitFor();
      const protocol = (await citizen.locator('#protocol').textContent())?.trim() ?? '';

      const { page } = await b.newPage({ width: 1280, height: 900 });
      await signIn(page);
      await page.goto(`/painel/casos/${protocol}`);
      const preview = page.getByRole('img', { name: 'Prévia: anexo-1.heic' });
      await preview.scrollIntoViewIfNeeded();
      await expect
        .poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), {
          timeout: 30_000,
        })
        .toBe(96);
      mkdirSync('test/.artifacts', { recursive: true });
      await page.locator('.case-files').screenshot({ path: 'test/.artifacts/heic-preview.png' });
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('.case-files').getByRole('link', { name: 'anexo-1.heic', exact: true }).click(),
      ]);
      // the original bytes, under the name this viewer may see (a preserved reporter's file names are hidden)
      expect(download.suggestedFilename()).toBe('anexo-1.heic');
      expect(readFileSync((await download.path())!)).toEqual(heic);
      expect(b.cspViolations).toEqual([]);
    },
    slow,
  );
});
