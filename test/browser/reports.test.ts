// The reports page in a real browser: signed in as the ombudsman, the chosen report shows a chart (inline
// SVG, no CSP violation) and its table with the fixture's figures; choosing a filter in the form narrows
// them; the CSV link downloads the same table. A unit user sees only their unit.
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReportFixture, type ReportFixture } from '../reports/fixture.ts';
import { type BrowserApp, hasChromium, noChromiumMessage, signIn, startBrowserApp } from './support.ts';

const slow = 240_000;
const artifacts = 'test/.artifacts';

describe.skipIf(!hasChromium)(hasChromium ? 'the reports page in the browser' : noChromiumMessage, () => {
  let b: BrowserApp;
  let f: ReportFixture;
  type Staff = Awaited<ReturnType<BrowserApp['t']['createStaff']>>;
  let ombudsman: Staff;

  beforeAll(async () => {
    b = await startBrowserApp();
    f = await buildReportFixture(b.t);
    ombudsman = await b.t.createStaff('ombudsman', { name: 'Olga Ouvidora' });
    mkdirSync(artifacts, { recursive: true });
  }, slow);
  afterAll(async () => b?.stop());

  const cell = (page: Page, row: string, col: number) =>
    page
      .locator('.report-table tbody tr', { has: page.locator(`th:text-is("${row}")`) })
      .locator('td')
      .nth(col);

  it(
    'shows chart and table, filters narrow the figures, the CSV matches',
    async () => {
      const { page } = await newSignedIn(ombudsman);
      await page.getByRole('link', { name: 'Relatórios', exact: true }).click();
      await page.waitForLoadState('load');
      await page.getByLabel('De', { exact: true }).fill(daysAgo(60));
      await page.getByRole('button', { name: 'Aplicar filtros' }).click();
      await page.getByRole('link', { name: 'Cumprimento de prazo e tempo de resposta' }).click();
      await page.waitForLoadState('load');
      await expect.poll(() => page.locator('.report .chart svg[role="img"]').count()).toBe(1);
      expect(await cell(page, 'Reclamação', 0).textContent()).toBe('3'); // answered
      expect(await cell(page, 'Reclamação', 1).textContent()).toBe('2'); // on time
      expect(await cell(page, 'Reclamação', 3).textContent()).toBe('66,7%');
      await page.screenshot({ path: `${artifacts}/reports-deadlines.png`, fullPage: true });

      await page.getByRole('link', { name: 'Manifestações por tipo' }).click();
      await page.waitForLoadState('load');
      expect(await cell(page, 'Reclamação', 0).textContent()).toBe('4');
      await page.getByLabel('Canal', { exact: true }).selectOption({ label: 'Carta' });
      await page.getByRole('button', { name: 'Aplicar filtros' }).click();
      await page.waitForLoadState('load');
      await expect.poll(() => page.locator('.report .empty').count()).toBe(1);
      await page.getByLabel('Canal', { exact: true }).selectOption({ label: 'Telefone' });
      await page.getByLabel('Tipo', { exact: true }).selectOption({ label: 'Sugestão' });
      await page.getByRole('button', { name: 'Aplicar filtros' }).click();
      await page.waitForLoadState('load');
      expect(await page.locator('.report-table tbody tr').count()).toBe(1);
      expect(await cell(page, 'Sugestão', 0).textContent()).toBe('1');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'CSV' }).click(),
      ]);
      const path = await download.path();
      const text = (await import('node:fs')).readFileSync(path, 'utf8');
      expect(text.charCodeAt(0)).toBe(0xfeff);
      expect(text).toContain('Sugestão;1;0');
      expect(b.cspViolations).toEqual([]);
    },
    slow,
  );

  it(
    'a unit user sees only their unit',
    async () => {
      const { page } = await newSignedIn(f.unitUser as unknown as Staff);
      await page.goto(`/painel/relatorios?relatorio=by-kind&from=${daysAgo(60)}`);
      await expect.poll(() => page.getByText('Você vê apenas os números da sua unidade.').count()).toBe(1);
      expect(await page.getByLabel('Unidade', { exact: true }).count()).toBe(0);
      expect(await page.locator('.report-table tbody tr').count()).toBe(1); // A only
      expect(await cell(page, 'Reclamação', 0).textContent()).toBe('1');
    },
    slow,
  );

  it(
    'the transparency page works signed out, with charts, tables and no personal data',
    async () => {
      const { page } = await b.newPage({ width: 1366, height: 900 });
      await page.goto('/');
      await page.goto('/transparencia');
      await page.waitForLoadState('load');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Transparência');
      expect(await page.locator('figure.chart svg[role="img"]').count()).toBeGreaterThanOrEqual(1);
      expect(await page.locator('#by-month tbody tr').count()).toBe(12);
      const body = (await page.locator('main, body').first().textContent()) ?? '';
      expect(body).not.toContain('Maria');
      expect(body).not.toContain('Ana Atendente');
      await page.screenshot({ path: `${artifacts}/transparencia.png`, fullPage: true });
      expect(b.cspViolations).toEqual([]);
    },
    slow,
  );

  it(
    'management report, then the annual report: narrative typed, published, and in the PDF',
    async () => {
      const { page } = await newSignedIn(ombudsman);
      await page.goto('/painel/relatorios');
      await page.getByRole('link', { name: 'Relatório gerencial' }).click();
      await page.waitForLoadState('load');
      await page.getByLabel('De', { exact: true }).fill(daysAgo(60));
      await page.getByRole('button', { name: 'Aplicar filtros' }).click();
      await page.waitForLoadState('load');
      expect(await page.locator('[data-figure="received"]').textContent()).toBe('7');
      expect(await page.locator('[data-figure="onTime"]').textContent()).toBe('80%');
      expect(await page.locator('ul.measures').textContent()).toContain('Troca das lâmpadas da rua por LED');
      await page.screenshot({ path: `${artifacts}/reports-management.png`, fullPage: true });
      const [mgmt] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Baixar PDF' }).click(),
      ]);
      const mgmtText = await pdfText(await mgmt.path());
      expect(mgmtText).toContain('Relatório gerencial da ouvidoria');

      await page.goto('/painel/relatorios');
      await page.getByRole('link', { name: 'Relatório anual' }).click();
      await page.waitForLoadState('load');
      expect(await page.locator('#publication-state').textContent()).toContain('Minuta');
      await page.getByLabel('Apresentação').fill('A ouvidoria recebeu e tratou as manifestações do ano.');
      await page.getByLabel('Considerações finais').fill('Seguimos melhorando a iluminação pública.');
      await page.getByRole('button', { name: 'Publicar' }).click();
      await page.waitForLoadState('load');
      expect(await page.locator('#publication-state').textContent()).toContain('Publicado em');
      expect(await page.getByLabel('Apresentação').inputValue()).toBe(
        'A ouvidoria recebeu e tratou as manifestações do ano.',
      );
      await page.screenshot({ path: `${artifacts}/reports-annual.png`, fullPage: true });
      const [annual] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'PDF', exact: true }).click(),
      ]);
      const annualText = await pdfText(await annual.path());
      expect(annualText).toContain('A ouvidoria recebeu e tratou as manifestações do ano.');
      expect(annualText).toContain('Cumprimento dos prazos legais');
      expect(b.cspViolations).toEqual([]);
    },
    slow,
  );

  async function newSignedIn(who: Staff) {
    const p = await b.newPage({ width: 1366, height: 900 });
    await signIn(p.page, who);
    return p;
  }
});

function daysAgo(n: number) {
  const d = new Date(Date.now() - n * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Sao_Paulo' }).format(d);
}

async function pdfText(path: string) {
  const { readFileSync } = await import('node:fs');
  const { extractText, getDocumentProxy } = await import('unpdf');
  const doc = await getDocumentProxy(new Uint8Array(readFileSync(path)));
  return (await extractText(doc, { mergePages: true })).text as unknown as string;
}
