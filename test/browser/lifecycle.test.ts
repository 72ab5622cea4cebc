// A case's life in a real browser (Debian Chromium via playwright-core): the citizen files, staff find,
// assume, answer and close it through the htmx forms (in place, no page load), and the citizen follows it.
// Also: axe on the main pages, the same staff actions without JavaScript, and no CSP violation anywhere.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserApp, hasChromium, noChromiumMessage, startBrowserApp } from './support.ts';

/** A browser, axe and a few Temporal round trips: more than the default 60 s on a busy machine. */
const slow = 180_000;

/** Fails with the list of serious/critical axe violations on the page as it is now. */
async function expectAccessible(page: Page, name: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} → ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad, `axe on ${name}`).toEqual([]);
}

/** Marks the current document; if a full page load happens, the mark is gone. */
const markDocument = (page: Page) =>
  page.evaluate(() => {
    Object.assign(window, { ouvidorMark: true });
  });
const documentIsMarked = (page: Page) => page.evaluate(() => 'ouvidorMark' in window);

// Without Chromium the suite is reported as skipped under a name that says why.
describe.skipIf(!hasChromium)(hasChromium ? 'case lifecycle in the browser' : noChromiumMessage, () => {
  let b: BrowserApp;
  let staff: { email: string; password: string };

  beforeAll(async () => {
    b = await startBrowserApp();
    staff = await b.t.createStaff('attendant');
  });
  afterAll(async () => b?.stop());

  async function signIn(page: Page) {
    await page.goto('/entrar');
    await page.getByLabel('E-mail').fill(staff.email);
    await page.getByLabel('Senha').fill(staff.password);
    await page.getByRole('button', { name: 'Entrar', exact: true }).click();
    await page.waitForURL('**/painel');
  }

  async function fileAsCitizen(page: Page, subject: string) {
    await page.goto('/');
    await page.getByRole('main').getByRole('link', { name: 'Registrar manifestação' }).click();
    await page.waitForURL('**/registrar');
    await page.getByLabel('Tipo de manifestação').selectOption({ label: 'Reclamação' });
    await page.getByLabel('Assunto').fill(subject);
    await page
      .getByLabel('Descreva sua manifestação')
      .fill('Os postes da Rua das Flores estão apagados há uma semana, perto da escola.');
    await page.getByLabel('Identidade preservada').check();
    await page.getByLabel('Nome').fill('Maria Souza');
    await page.getByLabel('E-mail').fill('maria@example.org');
    await page.getByRole('button', { name: 'Enviar manifestação' }).click();
    await page.getByRole('heading', { name: 'Manifestação registrada' }).waitFor();
    const protocol = (await page.locator('#protocol').textContent())?.trim() ?? '';
    const accessCode = (await page.locator('#access-code').textContent())?.trim() ?? '';
    expect(protocol).toMatch(/^OUV-\d{4}-\d{6}$/);
    expect(accessCode).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    return { protocol, accessCode };
  }

  it(
    'citizen files, staff assume/answer/close in place, citizen reads the answer',
    async () => {
      const answer = 'A equipe religou os postes em 02/12. Obrigado pelo aviso.';

      // Citizen: home → form (with an error first) → receipt
      const { page: citizen } = await b.newPage();
      await citizen.goto('/registrar');
      await expectAccessible(citizen, 'public form');
      await citizen.getByRole('button', { name: 'Enviar manifestação' }).click();
      await citizen.getByRole('alert').waitFor();
      expect(await citizen.getByLabel('Assunto').getAttribute('aria-invalid')).toBe('true');
      await expectAccessible(citizen, 'public form with errors');
      const { protocol, accessCode } = await fileAsCitizen(citizen, 'Iluminação pública apagada');
      await expectAccessible(citizen, 'receipt');

      // Staff: sign in → search the list by protocol (htmx, in place) → open the case
      const { page } = await b.newPage();
      await signIn(page);
      await expectAccessible(page, 'staff list');
      await markDocument(page);
      await page.getByLabel('Buscar').fill(protocol);
      const rows = page.locator('#results tbody tr');
      await page.waitForFunction((p) => {
        const trs = document.querySelectorAll('#results tbody tr');
        return trs.length === 1 && trs[0]?.textContent?.includes(p);
      }, protocol);
      expect(await rows.count()).toBe(1);
      expect(await documentIsMarked(page)).toBe(true);
      // the filtered list has its own URL (hx-push-url), so reload and back keep the search
      await page.waitForFunction((p) => new URLSearchParams(location.search).get('q') === p, protocol);
      await page.getByRole('link', { name: protocol }).click();
      await page.waitForURL(`**/painel/casos/${protocol}`);
      await expectAccessible(page, 'case page (new)');
      const status = page.locator('#case-status');
      expect((await status.textContent())?.trim()).toBe('Nova');

      // Assume → answer → close, each swapped in place by htmx
      await markDocument(page);
      await page.getByRole('button', { name: 'Assumir' }).click();
      await page.locator('#case-status', { hasText: 'Em atendimento' }).waitFor();
      expect(await documentIsMarked(page)).toBe(true);
      expect((await page.locator('#case-assignee').textContent())?.trim()).toMatch(/^você \(/);

      // a too-short answer comes back as 422 and htmx 4 swaps it in place, with the error on the field
      await page.getByLabel('Resposta conclusiva ao manifestante').fill('curta');
      await page.getByRole('button', { name: 'Enviar resposta' }).click();
      await page.locator('form[action$="/answer"] .field-error').waitFor();
      expect(await page.getByLabel('Resposta conclusiva ao manifestante').getAttribute('aria-invalid')).toBe(
        'true',
      );
      expect((await status.textContent())?.trim()).toBe('Em atendimento');
      expect(await documentIsMarked(page)).toBe(true);
      await expectAccessible(page, 'case page (answer error)');

      await page.getByLabel('Resposta conclusiva ao manifestante').fill(answer);
      await page.getByRole('button', { name: 'Enviar resposta' }).click();
      await page.locator('#case-status', { hasText: 'Respondida' }).waitFor();
      expect(await documentIsMarked(page)).toBe(true);
      expect((await page.locator('#case-answer').textContent())?.trim()).toBe(answer);

      await page.getByLabel('Motivo do encerramento (opcional)').fill('Resolvido pela equipe de obras');
      await page.getByRole('button', { name: 'Encerrar' }).click();
      await page.locator('#case-status', { hasText: 'Encerrada' }).waitFor();
      expect(await documentIsMarked(page)).toBe(true);
      // a closed case offers only reopening (and notes/work), collapsed
      expect(await page.locator('form[action$="/answer"]').count()).toBe(0);
      expect(await page.locator('summary', { hasText: 'Reabrir' }).isVisible()).toBe(true);
      expect(await page.locator('.timeline li').count()).toBe(4);
      await expectAccessible(page, 'case page (closed)');
      // the mail log loads when its section opens (the receipt e-mail to the citizen is there)
      await page.locator('summary', { hasText: 'E-mails do caso' }).click();
      await page
        .locator('.mail-log-body .mail-list li', { hasText: 'Manifestante (identidade preservada)' })
        .first()
        .waitFor();
      expect(await page.locator('.mail-log-body').textContent()).not.toContain('maria@example.org');
      expect(await documentIsMarked(page)).toBe(true);

      // The list (read model) follows, in place too
      await page.goto('/painel');
      await markDocument(page);
      await page.getByLabel('Situação').selectOption({ label: 'Encerrada' });
      await page.waitForFunction(
        (p) => [...document.querySelectorAll('#results tbody tr')].some((tr) => tr.textContent?.includes(p)),
        protocol,
      );
      expect(await documentIsMarked(page)).toBe(true);

      // Citizen: Acompanhar → protocol + code → status and the answer
      await citizen.goto('/');
      await citizen.getByRole('main').getByRole('link', { name: 'Acompanhar manifestação' }).click();
      await citizen.getByLabel('Protocolo').fill(protocol);
      await citizen.getByLabel('Código de acesso').fill(accessCode.toLowerCase());
      await citizen.getByRole('button', { name: 'Consultar' }).click();
      await citizen.waitForURL(`**/acompanhar/${protocol}`);
      expect((await citizen.locator('#case-status').textContent())?.trim()).toBe('Encerrada');
      expect((await citizen.locator('#answer-text').textContent())?.trim()).toBe(answer);
      expect(await citizen.getByText(staff.email).count()).toBe(0);
      await expectAccessible(citizen, 'follow page');

      expect(b.cspViolations).toEqual([]);
    },
    slow,
  );

  /** Staff steps through the REST API: these tests are about the citizen's side. */
  async function staffActs(protocol: string, steps: Array<[string, Record<string, unknown>]>) {
    const office = await b.t.createStaff('attendant');
    for (const [action, body] of steps) {
      const res = await b.t.app.request(`/api/v1/manifestations/${protocol}/actions/${action}`, {
        method: 'POST',
        headers: office.headers,
        body: JSON.stringify(action === 'assign' ? { assignee: office.email } : body),
      });
      expect(res.status, action).toBe(200);
    }
  }

  async function openPortal(page: Page, protocol: string, accessCode: string) {
    await page.goto(`/acompanhar?protocolo=${protocol}`);
    await page.getByLabel('Código de acesso').fill(accessCode);
    await page.getByRole('button', { name: 'Consultar' }).click();
    await page.waitForURL(`**/acompanhar/${protocol}`);
  }

  it(
    'after the answer, the citizen accepts it and rates the service on the portal, in place',
    async () => {
      const { page } = await b.newPage();
      const { protocol, accessCode } = await fileAsCitizen(page, 'Praça sem iluminação');
      await staffActs(protocol, [
        ['assign', {}],
        ['answer', { text: 'Trocamos as lâmpadas da praça na terça-feira.' }],
      ]);
      await openPortal(page, protocol, accessCode);
      expect((await page.locator('#case-status').textContent())?.trim()).toBe('Respondida');
      await page.getByRole('heading', { name: 'A resposta atendeu ao seu pedido?' }).waitFor();
      await expectAccessible(page, 'follow page (answered, with actions)');

      await markDocument(page);
      await page.getByRole('button', { name: 'Aceitar a resposta' }).click();
      await page.locator('#case-status', { hasText: 'Aprovada' }).waitFor();
      expect(await documentIsMarked(page)).toBe(true);
      await page.getByRole('status').filter({ hasText: 'Você aceitou a resposta' }).waitFor();
      expect(await page.getByRole('button', { name: 'Aceitar a resposta' }).count()).toBe(0);

      // a score is required: the error comes back in place, then the rating goes through
      await page.getByRole('button', { name: 'Enviar avaliação' }).click();
      await page.locator('#rate-score-error').waitFor();
      expect(await documentIsMarked(page)).toBe(true);
      await page.getByLabel('Parcialmente').check();
      await page.getByRole('radio', { name: /^4(\s|$)/ }).check();
      await page.getByLabel('Comentário (opcional)').fill('Demorou, mas resolveram.');
      await page.getByRole('button', { name: 'Enviar avaliação' }).click();
      await page.locator('#last-rating', { hasText: '4/5' }).waitFor();
      expect(await page.locator('#last-rating').textContent()).toContain('parcialmente resolvida');
      expect(await documentIsMarked(page)).toBe(true);
      await expectAccessible(page, 'follow page (approved, rated)');
      expect(b.cspViolations).toEqual([]);
    },
    slow,
  );

  it(
    'the citizen answers a request for complementation with a photo, in place',
    async () => {
      const { page } = await b.newPage();
      const { protocol, accessCode } = await fileAsCitizen(page, 'Poste apagado na esquina');
      await staffActs(protocol, [
        ['assign', {}],
        ['request-info', { question: 'Qual é o número pintado no poste?' }],
      ]);
      await openPortal(page, protocol, accessCode);
      await page.getByRole('heading', { name: 'A ouvidoria precisa de mais informações' }).waitFor();
      expect(await page.locator('#pending-question').textContent()).toBe('Qual é o número pintado no poste?');
      await expectAccessible(page, 'follow page (awaiting the citizen)');
      await markDocument(page);
      await page.getByLabel('Sua resposta').fill('É o poste 1234.');
      await page.getByLabel('Anexos (opcional)').setInputFiles({
        name: 'poste.png',
        mimeType: 'image/png',
        buffer: Buffer.from(
          'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
          'base64',
        ),
      });
      await page.getByRole('button', { name: 'Enviar resposta' }).click();
      await page.locator('#case-status', { hasText: 'Em atendimento' }).waitFor();
      expect(await documentIsMarked(page)).toBe(true);
      await page.getByRole('link', { name: 'poste.png' }).first().waitFor();
      expect(await page.getByText('É o poste 1234.').count()).toBe(1);
      expect(b.cspViolations).toEqual([]);
    },
    slow,
  );

  it(
    'a wrong access code shows the error and keeps the protocol',
    async () => {
      const { page } = await b.newPage();
      const { protocol } = await fileAsCitizen(page, 'Buraco na calçada');
      await page.goto(`/acompanhar?protocolo=${protocol}`);
      await page.getByLabel('Código de acesso').fill('AAAA-BBBB-CCCC');
      await page.getByRole('button', { name: 'Consultar' }).click();
      await page.getByText('Protocolo ou código de acesso não conferem.').waitFor();
      expect(await page.getByLabel('Protocolo').inputValue()).toBe(protocol);
      await expectAccessible(page, 'follow form with error');
      expect(b.cspViolations).toEqual([]);
    },
    slow,
  );

  it(
    'staff actions also work without JavaScript (plain forms, full page loads)',
    async () => {
      const { page: citizen } = await b.newPage();
      const { protocol } = await fileAsCitizen(citizen, 'Pedido sem JavaScript');
      const context = await b.browser.newContext({
        baseURL: b.baseUrl,
        locale: 'pt-BR',
        javaScriptEnabled: false,
      });
      try {
        const page = await context.newPage();
        await signIn(page);
        await page.getByLabel('Buscar').fill(protocol);
        await page.getByRole('button', { name: 'Filtrar' }).click();
        await page.waitForURL(`**/painel?*q=${protocol}*`);
        await page.getByRole('link', { name: protocol }).click();
        await page.waitForURL(`**/painel/casos/${protocol}`);
        await page.getByRole('button', { name: 'Assumir' }).click();
        await page.locator('#case-status', { hasText: 'Em atendimento' }).waitFor();
        await page.locator('summary', { hasText: 'Encerrar' }).click(); // <details> opens without JavaScript
        await page.getByRole('button', { name: 'Encerrar' }).click();
        await page.locator('#case-status', { hasText: 'Encerrada' }).waitFor();
        expect(page.url()).toBe(`${b.baseUrl}/painel/casos/${protocol}`);
      } finally {
        await context.close();
      }
    },
    slow,
  );
});
