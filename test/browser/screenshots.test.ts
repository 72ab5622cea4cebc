// Screenshots of every page for a human look (not an assertion): run with
//   SCREENSHOTS_DIR=/tmp/shots npx vitest run test/browser/screenshots.test.ts
// Desktop (1280px) and phone (390px) widths, pt-BR; files are NAME-desktop.png / NAME-phone.png.
// caret: 'initial' because Playwright's caret hiding leaves style="" on the focused field, which htmx
// then copies during a swap and the strict CSP (style-src 'self') reports.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserApp, hasChromium, noChromiumMessage, startBrowserApp } from './support.ts';

const dir = process.env.SCREENSHOTS_DIR;

describe.skipIf(!hasChromium || !dir)(
  hasChromium ? 'screenshots (set SCREENSHOTS_DIR)' : noChromiumMessage,
  () => {
    let b: BrowserApp;
    beforeAll(async () => {
      b = await startBrowserApp();
      mkdirSync(dir!, { recursive: true });
    });
    afterAll(async () => b?.stop());

    for (const [size, width] of [
      ['desktop', 1280],
      ['phone', 390],
    ] as const) {
      it(`captures the pages at ${size} width`, async () => {
        const shot = (page: Page, name: string) =>
          page.screenshot({ path: path.join(dir!, `${name}-${size}.png`), fullPage: true, caret: 'initial' });
        const staff = await b.t.createStaff('attendant');
        const { page } = await b.newPage({ width });
        await page.goto('/');
        await shot(page, 'home');
        await page.goto('/registrar');
        await shot(page, 'form');
        await page.getByRole('button', { name: 'Enviar manifestação' }).click();
        await page.waitForSelector('.field-error');
        await shot(page, 'form-errors');
        await page.getByLabel('Tipo de manifestação').selectOption('complaint');
        await page.getByLabel('Assunto').fill('Iluminação pública apagada <b>urgente</b>');
        await page
          .getByLabel('Descreva sua manifestação')
          .fill('Os postes da Rua das Flores estão apagados há uma semana.\nPerto da escola.');
        await page.getByLabel('Nome').fill('Maria Souza');
        await page.getByLabel('E-mail').fill('maria@example.org');
        await page.getByRole('button', { name: 'Enviar manifestação' }).click();
        await page.waitForSelector('#access-code');
        await shot(page, 'receipt');
        const protocol = (await page.locator('#protocol').textContent())!.trim();
        const code = (await page.locator('#access-code').textContent())!.trim();

        await page.goto('/acompanhar');
        await page.getByLabel('Código de acesso').fill('AAAA-BBBB-CCCC');
        await page.getByLabel('Protocolo').fill(protocol);
        await page.getByRole('button', { name: 'Consultar' }).click();
        await page.waitForSelector('[role=alert]');
        await shot(page, 'follow-error');

        const { page: sp } = await b.newPage({ width });
        await sp.goto('/entrar');
        await shot(sp, 'signin');
        await sp.getByLabel('E-mail').fill(staff.email);
        await sp.getByLabel('Senha').fill(staff.password);
        await sp.getByRole('button', { name: 'Entrar', exact: true }).click();
        await sp.waitForURL('**/painel');
        await shot(sp, 'list');
        await sp.goto('/painel?q=nada-encontrado-aqui');
        await shot(sp, 'list-empty');
        await sp.goto(`/painel/casos/${protocol}`);
        await shot(sp, 'case-new');
        await sp.locator('form[action$="/assign"] button').click();
        await sp.waitForSelector('#case-status.status-in_progress');
        await sp.locator('form[action$="/answer"] button').click();
        await sp.waitForTimeout(300);
        await shot(sp, 'case-answer-empty');
        await sp.locator('#answer-text').fill('A equipe religou os postes em 02/12. Obrigado pelo aviso.');
        await sp.locator('form[action$="/answer"] button').click();
        await sp.waitForSelector('#case-status.status-answered');
        await shot(sp, 'case-answered');
        await sp.locator('form[action$="/close"] button').click();
        await sp.waitForSelector('#case-status.status-closed');
        await shot(sp, 'case-closed');

        await page.goto('/acompanhar');
        await page.getByLabel('Protocolo').fill(protocol);
        await page.getByLabel('Código de acesso').fill(code);
        await page.getByRole('button', { name: 'Consultar' }).click();
        await page.waitForURL(`**/acompanhar/${protocol}`);
        await shot(page, 'follow-case');
        await page.goto('/naoexiste');
        await shot(page, 'not-found');
        expect(b.cspViolations).toEqual([]);
      }, 180_000);
    }
  },
);
