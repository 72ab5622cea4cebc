// Screenshots of every page for a human look (not an assertion): run with
//   SCREENSHOTS_DIR=/tmp/shots npx vitest run test/browser/screenshots.test.ts
// Desktop (1280px) and phone (390px) widths, pt-BR; files are NAME-desktop.png / NAME-phone.png.
// caret: 'initial' because Playwright's caret hiding leaves style="" on the focused field, which htmx
// then copies during a swap and the strict CSP (style-src 'self') reports.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertUnit } from '../../db/queries/units.ts';
import { newManifestation } from '../support/harness.ts';
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
        const fileByApi = async (subject: string) => {
          const res = await b.t.app.request('/api/v1/manifestations', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(newManifestation({ subject })),
          });
          return (await res.json()) as { protocol: string; accessCode: string };
        };
        const staffApi = async (protocol: string, action: string, body: Record<string, unknown>) => {
          const res = await b.t.app.request(`/api/v1/manifestations/${protocol}/actions/${action}`, {
            method: 'POST',
            headers: staff.headers,
            body: JSON.stringify(body),
          });
          expect(res.status, action).toBe(200);
        };
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
        await sp
          .locator('#act-answer-text')
          .fill('A equipe religou os postes em 02/12. Obrigado pelo aviso.');
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

        // Staff intake: the form, then the receipt to read to the citizen
        await sp.goto('/painel/registrar');
        await shot(sp, 'intake');
        await sp.getByLabel('Como chegou').selectOption('letter');
        await sp.getByLabel('Tipo de manifestação').selectOption('request');
        await sp.getByLabel('Assunto').fill('Carta pedindo poda de árvore');
        await sp.getByLabel('Relato do manifestante').fill('A árvore da Rua B encosta na fiação elétrica.');
        await sp.getByLabel('Nome').fill('José Pereira');
        await sp.getByLabel('Telefone').fill('+55 11 3333-4444');
        await sp.getByRole('button', { name: 'Registrar atendimento' }).click();
        await sp.waitForSelector('#access-code');
        await shot(sp, 'intake-receipt');

        // A forwarded case offers the fullest set of actions; then every form open, and the mail log
        await upsertUnit(b.t.db, { code: 'obras', name: 'Secretaria de Obras' });
        await upsertUnit(b.t.db, { code: 'saude', name: 'Secretaria de Saúde' });
        const fwd = await fileByApi('Árvore encostando na fiação');
        await staffApi(fwd.protocol, 'assign', { assignee: staff.email });
        await staffApi(fwd.protocol, 'forward', { units: ['obras'], instructions: 'Avaliar a poda.' });
        await sp.goto(`/painel/casos/${fwd.protocol}`);
        await sp.locator('details.mail-log > summary').click();
        await sp.waitForSelector('.mail-log-body .mail-list, .mail-log-body p.muted');
        await shot(sp, 'case-forwarded');
        await sp
          .locator('.case-side')
          .screenshot({ path: path.join(dir!, `case-side-${size}.png`), caret: 'initial' });
        await sp.evaluate(() => {
          for (const d of document.querySelectorAll('details.action')) (d as HTMLDetailsElement).open = true;
        });
        await shot(sp, 'case-all-actions');

        // The citizen portal with something to do: a question to answer, then an answer to accept and rate
        const asked = await fileByApi('Poste apagado na esquina');
        await staffApi(asked.protocol, 'assign', { assignee: staff.email });
        await staffApi(asked.protocol, 'request-info', { question: 'Qual é o número pintado no poste?' });
        const answered = await fileByApi('Praça sem iluminação');
        await staffApi(answered.protocol, 'assign', { assignee: staff.email });
        await staffApi(answered.protocol, 'extend', {
          justification: 'Aguardamos a concessionária de energia.',
        });
        await staffApi(answered.protocol, 'answer', {
          text: 'Trocamos as lâmpadas da praça na terça-feira.',
        });
        for (const [name, k] of [
          ['follow-awaiting', asked],
          ['follow-answered', answered],
        ] as const) {
          await page.goto(`/acompanhar?protocolo=${k.protocol}`);
          await page.getByLabel('Código de acesso').fill(k.accessCode);
          await page.getByRole('button', { name: 'Consultar' }).click();
          await page.waitForURL(`**/acompanhar/${k.protocol}`);
          await shot(page, name);
        }
        await page.getByRole('button', { name: 'Enviar avaliação' }).click();
        await page.waitForSelector('#rate-score-error');
        await shot(page, 'follow-rate-error');
        expect(b.cspViolations).toEqual([]);
      }, 180_000);
    }
  },
);
