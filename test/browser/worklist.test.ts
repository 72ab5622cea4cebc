// The attendant's workspace in a real browser (Debian Chromium via playwright-core): every filter typed
// and chosen as a person does narrows the list (and lands in the URL), queues, bulk actions, live updates
// over SSE on the list and on the case page, and a 1366×768 screen that shows at least 15 cases.
import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { units } from '../../db/schema.ts';
import { json, newManifestation } from '../support/harness.ts';
import { type BrowserApp, hasChromium, noChromiumMessage, startBrowserApp } from './support.ts';

const slow = 180_000;

describe.skipIf(!hasChromium)(hasChromium ? 'the workspace in the browser' : noChromiumMessage, () => {
  let b: BrowserApp;
  type Staff = Awaited<ReturnType<BrowserApp['t']['createStaff']>>;
  let me: Staff;
  let colleague: Staff;
  type Filed = { protocol: string; accessCode: string };
  const cases = {} as Record<'semaforo' | 'onibus' | 'buraco', Filed>;

  async function file(over: Record<string, unknown>) {
    const r = await json<{ protocol: string; accessCode: string }>(
      b.t.app.request('/api/v1/manifestations', {
        method: 'POST',
        headers: me.headers,
        body: JSON.stringify(newManifestation(over)),
      }),
    );
    expect(r.status).toBe(201);
    return r.body;
  }
  async function act(protocol: string, action: string, body: Record<string, unknown>, who = me) {
    const res = await b.t.app.request(`/api/v1/manifestations/${protocol}/actions/${action}`, {
      method: 'POST',
      headers: who.headers,
      body: JSON.stringify(body),
    });
    expect(res.status, `${action} ${protocol}`).toBe(200);
  }

  beforeAll(async () => {
    b = await startBrowserApp();
    me = await b.t.createStaff('attendant', { name: 'Ana Atendente' });
    colleague = await b.t.createStaff('attendant', { name: 'Beatriz Fontes' });
    await b.t.db
      .insert(units)
      .values({ code: 'SEC-OBRAS', name: 'Secretaria de Obras' })
      .onConflictDoNothing();
    cases.semaforo = await file({
      subject: 'Semáforo apagado na BR-116',
      description: 'O semáforo do km 20 da BR-116 está apagado desde ontem.',
      channel: 'phone',
    });
    cases.onibus = await file({
      kind: 'report',
      subject: 'Ônibus ABC-1234 não para no ponto',
      description: 'O ônibus passa direto pelo ponto da escola todos os dias.',
    });
    cases.buraco = await file({
      subject: 'Buraco na calçada',
      description: 'Buraco grande na calçada da Rua Sete.',
      topic: 'obras-vias',
      item: 'calcada',
    });
    for (let i = 0; i < 16; i++)
      await file({
        subject: `Poda de árvore ${i + 1}`,
        description: `Árvore alta na praça ${i + 1}, galhos na fiação.`,
      });
    await act(cases.semaforo.protocol, 'assign', { assignee: me.email });
    await act(cases.semaforo.protocol, 'priority', { priority: 'urgent' });
    await act(cases.onibus.protocol, 'assign', { assignee: colleague.email });
    await act(cases.buraco.protocol, 'assign', { assignee: me.email });
    await act(cases.buraco.protocol, 'forward', { units: ['SEC-OBRAS'], instructions: 'Verificar o buraco' });
  }, slow);
  afterAll(async () => b?.stop());

  async function signIn(page: Page, who: Staff = me) {
    await page.goto('/entrar');
    await page.getByLabel('E-mail').fill(who.email);
    await page.getByLabel('Senha').fill(who.password);
    await page.getByRole('button', { name: 'Entrar', exact: true }).click();
    await page.waitForURL('**/painel');
  }

  const rows = (page: Page) => page.locator('#case-rows tr[data-protocol]');
  /** Waits until the list shows exactly these protocols (in any order). */
  async function expectList(page: Page, protocols: string[]) {
    await expect
      .poll(
        async () =>
          (await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-protocol')))).sort(),
        {
          timeout: 15_000,
        },
      )
      .toEqual([...protocols].sort());
  }

  it(
    'each filter, typed or chosen, narrows the list and lands in the URL',
    async () => {
      const { page } = await b.newPage({ width: 1366, height: 900 });
      await signIn(page);
      await page.evaluate(() => Object.assign(window, { ouvidorMark: true }));
      await expect.poll(() => rows(page).count()).toBeGreaterThanOrEqual(19);

      // search: a word prefix without accent, then a number inside a code, then a person
      await page.getByLabel('Buscar').fill('semaf');
      await expectList(page, [cases.semaforo.protocol]);
      await expect.poll(() => page.url()).toContain('q=semaf');
      // the bookmarkable URL carries only what was set, not every blank field of the form
      await expect.poll(() => new URL(page.url()).search).toBe('?q=semaf&sort=received');
      await page.getByLabel('Buscar').fill('1234');
      await expectList(page, [cases.onibus.protocol]);
      await page.getByLabel('Buscar').fill('beatriz');
      await expectList(page, [cases.onibus.protocol]);
      await page.getByLabel('Buscar').fill('');
      await expect.poll(() => rows(page).count()).toBeGreaterThanOrEqual(19);

      // selects: situação, tipo, prioridade, responsável ("Eu", "Sem responsável", a colleague)
      await page.getByLabel('Situação', { exact: true }).selectOption({ label: 'Encaminhada' });
      await expectList(page, [cases.buraco.protocol]);
      await expect.poll(() => page.url()).toContain('status=forwarded');
      await page.getByLabel('Situação', { exact: true }).selectOption({ label: 'Todas' });
      await page.getByLabel('Tipo', { exact: true }).selectOption({ label: 'Denúncia' });
      await expectList(page, [cases.onibus.protocol]);
      await page.getByLabel('Tipo', { exact: true }).selectOption({ label: 'Todos' });
      await page.getByLabel('Prioridade', { exact: true }).selectOption({ label: 'Urgente' });
      await expectList(page, [cases.semaforo.protocol]);
      await page.getByLabel('Prioridade', { exact: true }).selectOption({ label: 'Qualquer' });
      await page.getByLabel('Responsável', { exact: true }).selectOption({ label: 'Eu' });
      await expectList(page, [cases.semaforo.protocol, cases.buraco.protocol]);
      await page.getByLabel('Responsável', { exact: true }).selectOption({ label: 'Beatriz Fontes' });
      await expectList(page, [cases.onibus.protocol]);
      await page.getByLabel('Responsável', { exact: true }).selectOption({ label: 'Sem responsável' });
      await expect.poll(() => rows(page).count()).toBe(16);
      await page.getByLabel('Responsável', { exact: true }).selectOption({ label: 'Qualquer' });

      // more filters: unidade, origem, prazo, dates
      await page.getByText('Mais filtros').click();
      await page.getByLabel('Unidade', { exact: true }).selectOption({ label: 'Secretaria de Obras' });
      await expectList(page, [cases.buraco.protocol]);
      await page.getByLabel('Unidade', { exact: true }).selectOption({ label: 'Qualquer' });
      // the whole list back first: otherwise the unit's answer (the same one case) passes for the topic's
      await expect.poll(() => rows(page).count()).toBeGreaterThanOrEqual(19);
      // topic and item are chosen from the catalogue, by their names
      await page.getByLabel('Assunto (catálogo)').selectOption({ label: 'Obras e vias públicas' });
      await expectList(page, [cases.buraco.protocol]);
      await expect.poll(() => page.url()).toContain('topic=obras-vias');
      await page.getByLabel('Assunto (catálogo)').selectOption({ label: 'Saúde' });
      await page.getByText('Nenhuma manifestação encontrada com esses filtros.').waitFor();
      await page.getByLabel('Assunto (catálogo)').selectOption({ label: 'Qualquer' });
      await page.getByLabel('Item/serviço').selectOption({ label: 'Calçada danificada' });
      await expectList(page, [cases.buraco.protocol]);
      await page.getByLabel('Item/serviço').selectOption({ label: 'Buraco na via' });
      await page.getByText('Nenhuma manifestação encontrada com esses filtros.').waitFor();
      await page.getByLabel('Item/serviço').selectOption({ label: 'Qualquer' });
      await page.getByLabel('Origem').selectOption({ label: 'Telefone' });
      await expectList(page, [cases.semaforo.protocol]);
      await page.getByLabel('Origem').selectOption({ label: 'Qualquer' });
      await page.getByLabel('Prazo', { exact: true }).selectOption({ label: 'Prazo vencido' });
      await page.getByText('Nenhuma manifestação encontrada com esses filtros.').waitFor();
      await page.getByLabel('Prazo', { exact: true }).selectOption({ label: 'Qualquer' });
      await page.getByLabel('Aberta até').fill('2001-01-31');
      await expect.poll(() => rows(page).count()).toBe(0);
      await page.getByLabel('Aberta até').fill('');
      const inAMonth = new Date(Date.now() + 45 * 86_400_000).toISOString().slice(0, 10);
      await page.getByLabel('Vence até').fill(inAMonth);
      await expect.poll(() => rows(page).count()).toBeGreaterThanOrEqual(19);
      await page.getByLabel('Vence até').fill('2001-01-31');
      await expect.poll(() => rows(page).count()).toBe(0);
      await page.getByLabel('Vence até').fill('');
      await expect.poll(() => rows(page).count()).toBeGreaterThanOrEqual(19);

      // sort by priority: the urgent case first
      await page.getByLabel('Ordenar por').selectOption({ label: 'Prioridade, depois vencimento' });
      await expect.poll(() => rows(page).first().getAttribute('data-protocol')).toBe(cases.semaforo.protocol);
      await expect.poll(() => page.url()).toContain('sort=priority');
      expect(await page.evaluate(() => 'ouvidorMark' in window), 'no full page load').toBe(true);

      // the URL is the view: a bookmark opens the same filtered list
      await page.goto('/painel?q=buraco&status=forwarded');
      await expectList(page, [cases.buraco.protocol]);
      expect(await page.getByLabel('Buscar').inputValue()).toBe('buraco');
    },
    slow,
  );

  it(
    'queues in the sidebar, bulk actions that report each case, and axe finds nothing serious',
    async () => {
      const { page } = await b.newPage({ width: 1366, height: 900 });
      await signIn(page);
      await page
        .getByRole('navigation', { name: 'Filas' })
        .getByRole('link', { name: /Minhas/ })
        .click();
      await page.waitForURL('**/painel?queue=mine');
      await expectList(page, [cases.semaforo.protocol, cases.buraco.protocol]);
      const { violations } = await new AxeBuilder({ page }).analyze();
      expect(
        violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
      ).toEqual([]);

      await page.goto('/painel?q=semaf');
      await expectList(page, [cases.semaforo.protocol]);
      await page.goto(`/painel?q=${encodeURIComponent('Poda de árvore')}`);
      await expect.poll(() => rows(page).count()).toBe(16);
      const two = await rows(page).evaluateAll((trs) =>
        trs.slice(0, 2).map((tr) => tr.getAttribute('data-protocol') ?? ''),
      );
      for (const p of two) await page.getByLabel(`Selecionar ${p}`).check();
      await page.getByLabel('Ação', { exact: true }).selectOption({ label: 'Atribuir a Beatriz Fontes' });
      await page.getByRole('button', { name: 'Aplicar' }).click();
      const result = page.getByRole('status', { name: 'Resultado da ação em lote' });
      await result.waitFor();
      for (const p of two) await expect.poll(() => result.textContent()).toContain(`${p}: Feito`);
      await expect
        .poll(() => page.locator(`tr[data-protocol="${two[0]}"] .assignee`).textContent())
        .toContain('Beatriz Fontes');
      // closed cases take no priority change: that one fails alone, with the reason
      await act(two[0] ?? '', 'close', { reason: 'Atendido' }, colleague);
      await page.goto(`/painel?q=${encodeURIComponent('Poda de árvore')}`);
      for (const p of two) await page.getByLabel(`Selecionar ${p}`).check();
      await page.getByLabel('Ação', { exact: true }).selectOption({ label: 'Definir prioridade: Alta' });
      await page.getByRole('button', { name: 'Aplicar' }).click();
      await result.waitFor();
      await expect.poll(() => result.textContent()).toContain(`${two[1]}: Feito`);
      await expect.poll(() => result.textContent()).toMatch(new RegExp(`${two[0]}: Não foi possível — .+`));
    },
    slow,
  );

  it(
    'the open list and the open case update by themselves when the case changes',
    async () => {
      const { page: list } = await b.newPage({ width: 1366, height: 900 });
      await signIn(list);
      await list.goto('/painel?queue=mine');
      await expectList(list, [cases.semaforo.protocol, cases.buraco.protocol]);
      await list.evaluate(() => Object.assign(window, { ouvidorMark: true }));
      expect(await list.locator(`tr[data-protocol="${cases.semaforo.protocol}"] .news`).count()).toBe(0);
      // a colleague has the case open (a case page being looked at counts as seen for whoever looks)
      const { page: casePage } = await b.newPage();
      await signIn(casePage, colleague);
      await casePage.goto(`/painel/casos/${cases.semaforo.protocol}`);
      await casePage.evaluate(() => Object.assign(window, { ouvidorMark: true }));

      // the citizen replies (another door, another actor): the row gets "Novidade", the case its event
      const reply = await b.t.app.request(`/api/v1/manifestations/${cases.semaforo.protocol}/citizen/reply`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-access-code': cases.semaforo.accessCode },
        body: JSON.stringify({ text: 'O semáforo voltou a apagar hoje cedo.' }),
      });
      expect(reply.status).toBe(200);
      await list.locator(`tr[data-protocol="${cases.semaforo.protocol}"] .news`).waitFor({ timeout: 15_000 });
      await casePage
        .locator('#case-timeline', { hasText: 'O semáforo voltou a apagar hoje cedo.' })
        .waitFor({ timeout: 15_000 });
      // a colleague takes another case of mine: it leaves "Minhas" and the counts follow
      await act(cases.buraco.protocol, 'assign', { assignee: colleague.email }, colleague);
      await expectList(list, [cases.semaforo.protocol]);
      await expect
        .poll(() => list.locator('[data-queue="mine"] .count').textContent(), { timeout: 15_000 })
        .toBe('1');
      expect(await list.evaluate(() => 'ouvidorMark' in window), 'no reload of the list').toBe(true);
      expect(await casePage.evaluate(() => 'ouvidorMark' in window), 'no reload of the case').toBe(true);
      expect(b.cspViolations).toEqual([]);
    },
    slow,
  );

  it(
    'cases ticked for a bulk action stay ticked when the list refreshes by itself',
    async () => {
      const ticked = await file({
        subject: 'Lixo acumulado na esquina',
        description: 'O lixo não é recolhido há dias.',
      });
      const other = await file({
        subject: 'Calçada quebrada',
        description: 'A calçada da escola está quebrada.',
      });
      const { page } = await b.newPage({ width: 1366, height: 900 });
      await signIn(page);
      await page.evaluate(() => Object.assign(window, { ouvidorMark: true }));
      const box = (protocol: string) => page.getByLabel(`Selecionar ${protocol}`, { exact: true });
      await box(ticked.protocol).check();
      // another case changes (a colleague raises its priority): the list refreshes over SSE
      await act(other.protocol, 'priority', { priority: 'high' }, colleague);
      await page
        .locator(`tr[data-protocol="${other.protocol}"] .prio`, { hasText: 'Alta' })
        .waitFor({ timeout: 15_000 });
      expect(await box(ticked.protocol).isChecked()).toBe(true);
      expect(await box(other.protocol).isChecked()).toBe(false);
      // and once more, after a second refresh
      await act(other.protocol, 'priority', { priority: 'low' }, colleague);
      await page
        .locator(`tr[data-protocol="${other.protocol}"] .prio`, { hasText: 'Baixa' })
        .waitFor({ timeout: 15_000 });
      expect(await box(ticked.protocol).isChecked()).toBe(true);
      expect(await page.evaluate(() => 'ouvidorMark' in window), 'no reload of the list').toBe(true);
      expect(b.cspViolations).toEqual([]);
    },
    slow,
  );

  it(
    'a 1366×768 screen shows at least 15 cases (screenshot for the README)',
    async () => {
      const { page } = await b.newPage({ width: 1366, height: 768 });
      await signIn(page);
      await expect.poll(() => rows(page).count()).toBeGreaterThanOrEqual(15);
      const visible = await rows(page).evaluateAll(
        (trs) => trs.filter((tr) => tr.getBoundingClientRect().bottom <= window.innerHeight).length,
      );
      // the kind has its own column: the subject cell holds the subject alone (badges aside)
      const first = rows(page).first();
      expect((await first.locator('td.kind').textContent())?.trim()).toBe('Reclamação');
      const subject = first.locator('td.subject');
      expect((await subject.textContent())?.trim()).toBe(await subject.getAttribute('title'));
      mkdirSync('test/.artifacts', { recursive: true });
      await page.screenshot({ path: 'test/.artifacts/workspace-1366x768.png' });
      expect(visible).toBeGreaterThanOrEqual(15);
    },
    slow,
  );
});
