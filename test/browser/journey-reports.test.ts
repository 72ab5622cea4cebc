// Issue 12, "How it will be judged", on the demo (SEED_DEMO=1), through the pages, checked against counts we
// compute ourselves from the REST API (GET /api/v1/manifestations, all pages):
// - Relatórios: the tables by kind, status and channel over a period match the API; the CSV export opens in
//   a pt-BR spreadsheet (UTF-8 BOM, ';' separator, decimal comma) and holds the table's rows;
// - Relatório gerencial and Relatório anual: each table with its chart beside it, the figures as the API
//   counts them; the annual PDF renders (pages, the organisation's name and logo, the year's figures);
// - Transparência, signed out, reached from the public home page: no personal data, no count below 5
//   shown, units with enough cases shown, and the open-data CSV (one row per manifestação) adds up to the
//   page's tables.
import { mkdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoOrganisation, seedDemo } from '../../db/seed-demo.ts';
import { ptBR } from '../../views/labels/pt-BR.ts';
import { json } from '../support/harness.ts';
import { type BrowserApp, hasChromium, noChromiumMessage, startBrowserApp } from './support.ts';

const slow = 240_000;
const shots = 'test/.artifacts';
const tz = 'America/Sao_Paulo';
const localDay = (d: Date | string) => new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(new Date(d));
const label = (key: string) => (ptBR as Record<string, string>)[key] ?? key;

type Listed = { protocol: string; kind: string; status: string; channel: string; receivedAt: string };

/** Counts of `items` by `key`, keyed by the pt-BR label the pages show. */
function countBy(items: Listed[], key: (m: Listed) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of items) out[key(m)] = (out[key(m)] ?? 0) + 1;
  return out;
}

/** The rows of a page table: row label (its th, or its first cell) → the other cells' texts. */
async function tableRows(page: Page, table: string): Promise<Record<string, string[]>> {
  return page.locator(`${table} tbody tr`).evaluateAll((rows) =>
    Object.fromEntries(
      rows.map((r) => {
        const cells = [...r.querySelectorAll('th, td')].map((c) => c.textContent?.trim() ?? '');
        return [cells[0] ?? '', cells.slice(1)];
      }),
    ),
  );
}

/** Every cell under a column headed "Recebidas", "Respondidas" or "Avaliações" in the page's tables (counts of cases). */
async function countCells(page: Page): Promise<string[]> {
  return page.locator('main table').evaluateAll((tables) =>
    tables.flatMap((t) => {
      const heads = [...t.querySelectorAll('thead th')].map((h) => h.textContent?.trim() ?? '');
      const cols = heads.flatMap((h, i) =>
        ['Recebidas', 'Respondidas', 'Avaliações'].includes(h) ? [i] : [],
      );
      return [...t.querySelectorAll('tbody tr')].flatMap((r) => {
        const cells = [...r.querySelectorAll('th, td')];
        return cols.map((i) => cells[i]?.textContent?.trim() ?? '');
      });
    }),
  );
}

/** Rows of a CSV counted by the value of column `i`. */
function countColumn(rows: string[][], i: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[r[i] ?? ''] = (out[r[i] ?? ''] ?? 0) + 1;
  return out;
}

/** A ';'-separated CSV as a spreadsheet in pt-BR reads it (no quoting inside these exports' fields). */
function parseCsv(text: string): string[][] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.length)
    .map((l) => l.split(';').map((c) => c.replace(/^"|"$/g, '')));
}

describe.skipIf(!hasChromium)(
  hasChromium ? 'journey of issue 12: reports and transparency' : noChromiumMessage,
  () => {
    let b: BrowserApp;
    let all: Listed[] = [];
    let everything: Listed[] = [];
    const from = localDay(new Date(Date.now() - 90 * 86_400_000));
    const to = localDay(new Date());
    const year = to.slice(0, 4);

    async function signIn(page: Page, email: string) {
      await page.goto('/entrar');
      await page.getByLabel('E-mail', { exact: true }).fill(email);
      await page.getByLabel('Senha', { exact: true }).fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Entrar', exact: true }).click();
      await page.waitForLoadState('load');
    }

    beforeAll(async () => {
      mkdirSync(shots, { recursive: true });
      b = await startBrowserApp();
      await seedDemo(b.t.deps);
      // our own counts: every case through the API, as the admin
      const token = await json<{ token: string }>(
        b.t.app.request('/api/v1/auth/token', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'admin@demo.ouvidor.local', password: DEMO_PASSWORD }),
        }),
      );
      expect(token.status).toBe(200);
      let cursor: string | null = null;
      do {
        const qs = new URLSearchParams({ limit: '100' });
        if (cursor) qs.set('cursor', cursor);
        const page = await json<{ items: Listed[]; nextCursor: string | null }>(
          b.t.app.request(`/api/v1/manifestations?${qs}`, {
            headers: { authorization: `Bearer ${token.body.token}` },
          }),
        );
        expect(page.status).toBe(200);
        all.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor);
      everything = [...all];
      all = all.filter((m) => localDay(m.receivedAt) >= from && localDay(m.receivedAt) <= to);
      expect(all.length).toBeGreaterThanOrEqual(40);
    }, 600_000);
    afterAll(async () => b?.stop());

    it(
      'the reports by kind, status and channel match the counts computed from the API; the CSV opens in pt-BR',
      async () => {
        const { page } = await b.newPage();
        await signIn(page, 'ouvidora@demo.ouvidor.local');
        await page.getByRole('link', { name: 'Relatórios', exact: true }).first().click();
        await page.waitForLoadState('load');
        await page.getByLabel('De', { exact: true }).fill(from);
        await page.getByLabel('Até', { exact: true }).fill(to);
        await page.getByRole('button', { name: 'Aplicar filtros' }).click();
        await page.waitForLoadState('load');
        const expected: Record<string, Record<string, number>> = {
          'Manifestações por tipo': countBy(all, (m) => label(`kind.${m.kind}`)),
          'Manifestações por situação': countBy(all, (m) => label(`status.${m.status}`)),
          'Manifestações por canal': countBy(all, (m) => label(`channel.${m.channel}`)),
        };
        for (const [report, counts] of Object.entries(expected)) {
          await page.getByRole('link', { name: report, exact: true }).click();
          await page.waitForLoadState('load');
          await expect.poll(() => page.locator('.report .chart svg[role="img"]').count()).toBe(1);
          const rows = await tableRows(page, '.report-table');
          const shown = Object.fromEntries(Object.entries(rows).map(([k, cells]) => [k, Number(cells[0])]));
          expect(shown, report).toEqual(counts);
        }
        await page.screenshot({ path: `${shots}/journey-reports-by-channel.png`, fullPage: true });

        // the CSV of the report on screen (by channel): BOM, ';', the same rows and the decimal comma
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('link', { name: 'CSV', exact: true }).click(),
        ]);
        const raw = readFileSync((await download.path()) as string, 'utf8');
        expect(raw.charCodeAt(0)).toBe(0xfeff);
        const [header, ...lines] = parseCsv(raw);
        expect(header?.[0]).toBe('Canal');
        expect(header?.[1]).toBe('Recebidas');
        expect(Object.fromEntries(lines.map((l) => [l[0], Number(l[1])]))).toEqual(
          expected['Manifestações por canal'],
        );
        // rates and days (columns after the counts): 18,1 and not 18.1
        const figures = lines.flatMap((l) => l.slice(5)).filter((v) => v && v !== '—');
        expect(figures.some((v) => /^\d+,\d+$/.test(v))).toBe(true);
        expect(figures.every((v) => !v.includes('.'))).toBe(true);
      },
      slow,
    );

    it(
      'the management report draws a chart beside each table, with the figures the API counts',
      async () => {
        const { page } = await b.newPage();
        await signIn(page, 'ouvidora@demo.ouvidor.local');
        await page.getByRole('link', { name: 'Relatórios', exact: true }).first().click();
        await page.getByRole('link', { name: 'Relatório gerencial' }).click();
        await page.waitForLoadState('load');
        await page.getByLabel('De', { exact: true }).fill(from);
        await page.getByLabel('Até', { exact: true }).fill(to);
        await page.getByRole('button', { name: 'Aplicar filtros' }).click();
        await page.waitForLoadState('load');
        expect(Number(await page.locator('[data-figure="received"]').textContent())).toBe(all.length);
        // the trend table (per month or day) adds up to the period's count; its chart is beside it
        const trend = await tableRows(page, '[data-block="trend-title"] table');
        expect(Object.values(trend).reduce((n, cells) => n + Number(cells[0]), 0)).toBe(all.length);
        for (const block of ['trend-title', 'subjects-title', 'kinds-title'])
          expect(
            await page.locator(`[data-block="${block}"] figure.chart svg[role="img"]`).count(),
            block,
          ).toBe(1);
        // by kind: this period's column is the API's count per kind
        const kinds = await tableRows(page, '[data-block="kinds-title"] table');
        const apiKinds = countBy(all, (m) => label(`kind.${m.kind}`));
        for (const [kind, cells] of Object.entries(kinds))
          expect(Number(cells[0]), kind).toBe(apiKinds[kind]);
        await page.screenshot({ path: `${shots}/journey-reports-management.png`, fullPage: true });
      },
      slow,
    );

    it(
      "the annual report's PDF renders with the organisation's name and logo and the year's figures as the API counts them",
      async () => {
        const { page } = await b.newPage();
        await signIn(page, 'ouvidora@demo.ouvidor.local');
        await page.getByRole('link', { name: 'Relatórios', exact: true }).first().click();
        await page.getByRole('link', { name: 'Relatório anual' }).click();
        await page.waitForLoadState('load');
        const inYear = everything.filter((m) => localDay(m.receivedAt).startsWith(year)).length;
        const received = Number(await page.locator('[data-figure="received"]').textContent());
        expect(received).toBe(inYear);
        for (const block of ['months-title', 'kinds-title', 'reasons-title', 'compliance-title'])
          expect(
            await page.locator(`[data-block="${block}"] figure.chart svg[role="img"]`).count(),
            block,
          ).toBe(1);
        const byKind = await tableRows(page, '[data-block="kinds-title"] table');
        const apiKinds = countBy(
          everything.filter((m) => localDay(m.receivedAt).startsWith(year)),
          (m) => label(`kind.${m.kind}`),
        );
        expect(Object.fromEntries(Object.entries(byKind).map(([k, c]) => [k, Number(c[0])]))).toEqual(
          apiKinds,
        );
        await page.screenshot({ path: `${shots}/journey-reports-annual.png`, fullPage: true });
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('link', { name: 'PDF', exact: true }).click(),
        ]);
        const bytes = readFileSync((await download.path()) as string);
        await download.saveAs(`${shots}/journey-reports-annual.pdf`); // to look at its pages
        const pdf = await getDocumentProxy(new Uint8Array(bytes));
        expect(pdf.numPages).toBeGreaterThanOrEqual(1);
        const { text } = await extractText(pdf, { mergePages: true });
        expect(text).toContain(`Relatório anual`);
        expect(text).toContain(demoOrganisation['org.name']);
        expect(text).toContain('Motivos de abertura por tipo e assunto');
        expect(bytes.toString('latin1')).toContain('/Subtype /Image'); // the logo
        expect(text).toContain(year);
        expect(text).toContain(`${received}`);
        for (const kind of ['complaint', 'report', 'request', 'information'])
          expect(text).toContain(label(`kind.${kind}`));
      },
      slow,
    );

    it(
      'at 1366×768 every report fits the screen: no table wider than its box, no sideways page scroll, dates dd/mm/aaaa',
      async () => {
        const { page } = await b.newPage({ width: 1366, height: 768 });
        await signIn(page, 'ouvidora@demo.ouvidor.local');
        const overflow = () =>
          page.evaluate(() => ({
            page: document.documentElement.scrollWidth - window.innerWidth,
            tables: [...document.querySelectorAll('main table')].flatMap((t) => {
              const box = t.parentElement as HTMLElement;
              const excess = t.getBoundingClientRect().width - box.clientWidth;
              return excess > 1
                ? [`${t.querySelector('caption')?.textContent?.trim()}: ${Math.round(excess)} px`]
                : [];
            }),
          }));
        const names = ['volume', 'units', 'deadlines', 'by-attendant', 'effort', 'satisfaction', 'backlog'];
        for (const name of names) {
          await page.goto(`/painel/relatorios?relatorio=${name}&from=${from}&to=${to}`);
          await page.waitForLoadState('load');
          expect(await overflow(), name).toEqual({ page: 0, tables: [] });
        }
        // the volume table by day: beside or under its chart, every column in view, dates as in pt-BR
        const recent = localDay(new Date(Date.now() - 20 * 86_400_000)); // by day (a longer period is by month)
        await page.goto(`/painel/relatorios?relatorio=volume&from=${recent}&to=${to}`);
        await page.waitForLoadState('load');
        expect(await overflow()).toEqual({ page: 0, tables: [] });
        await page.screenshot({ path: `${shots}/journey-reports-1366.png`, fullPage: true });
        const last = page.locator('.report-table thead th').last();
        expect(await last.textContent()).toBe('Encerradas');
        const lastBox = await last.boundingBox();
        expect((lastBox?.x ?? 0) + (lastBox?.width ?? 0)).toBeLessThanOrEqual(1366);
        const days = await page.locator('.report-table tbody th').allTextContents();
        expect(days.length).toBeGreaterThan(0);
        for (const d of days) expect(d.trim()).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
        for (const path of ['/painel/relatorios/gerencial', `/painel/relatorios/anual?ano=${year}`]) {
          await page.goto(path);
          await page.waitForLoadState('load');
          expect(await overflow(), path).toEqual({ page: 0, tables: [] });
        }
      },
      slow,
    );

    it(
      'the transparency page works signed out: no personal data, no small cell, and its CSV adds up to the page',
      async () => {
        const { page } = await b.newPage();
        // a citizen finds it from the public home page
        await page.goto('/');
        await page
          .getByRole('link', { name: 'Transparência: números da ouvidoria e dados abertos' })
          .first()
          .click();
        await page.waitForLoadState('load');
        expect(new URL(page.url()).pathname).toBe('/transparencia');
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Transparência');
        expect(await page.locator('figure.chart svg[role="img"]').count()).toBeGreaterThanOrEqual(1);
        await page.screenshot({ path: `${shots}/journey-reports-transparencia.png`, fullPage: true });
        const body = (await page.locator('main').textContent()) ?? '';
        // no person, contact, protocol or attendant (the demo's people and staff)
        for (const secret of [
          'Maria da Silva',
          'João Batista',
          'Ana Paula Ramos',
          'Rafael Lima',
          '@',
          'OUV-',
          '529.982',
          '390.533',
        ])
          expect(body, secret).not.toContain(secret);

        // no count from 1 to 4 in any table ("<5" instead), and at least one was hidden
        const counts = (await countCells(page)).filter(Boolean);
        expect(counts.length).toBeGreaterThan(0);
        expect(counts.filter((c) => /^[1-4]$/.test(c))).toEqual([]);
        expect(counts).toContain('<5');

        // the units with 5 cases or more in a combination are published, with their counts
        const units = await tableRows(page, '#by-unit');
        const shownUnits = Object.entries(units).filter(
          ([u, cells]) => u !== 'Suprimido' && u !== '—' && /^\d+$/.test(cells[0] ?? ''),
        );
        expect(shownUnits.length).toBeGreaterThanOrEqual(1);
        expect(Object.keys(units)).toContain('Suprimido');

        // the open data, downloaded from the page's link: one row per manifestação
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('link', { name: 'CSV', exact: true }).click(),
        ]);
        const raw = readFileSync((await download.path()) as string, 'utf8');
        for (const secret of ['Maria da Silva', 'João Batista', '@', 'OUV-'])
          expect(raw).not.toContain(secret);
        const [header, ...rows] = parseCsv(raw);
        const col = (name: string) => header?.indexOf(name) ?? -1;
        for (const name of ['Data Registro', 'Tipo Manifestação', 'Assunto', 'Serviço', 'Situação', 'Canal'])
          expect(col(name), name).toBeGreaterThanOrEqual(0);
        // the page's totals and its tables by month and by kind are the CSV's rows counted
        const byMonth = await tableRows(page, '#by-month');
        const csvByMonth = countColumn(rows, col('Data Registro'));
        for (const [month, cells] of Object.entries(byMonth))
          expect(cells[0], month).toBe(String(csvByMonth[month] ?? 0));
        const received = Object.values(byMonth).reduce((n, cells) => n + Number(cells[0]), 0);
        expect(rows.length).toBe(received);
        const byKind = await tableRows(page, 'table:has(thead th:text-is("Tipo"))');
        const csvByKind = countColumn(rows, col('Tipo Manifestação'));
        expect(Object.keys(byKind).length).toBeGreaterThan(0);
        for (const [kind, cells] of Object.entries(byKind))
          if (!hiddenCount(cells[0])) expect(cells[0], kind).toBe(String(csvByKind[kind] ?? 0));
        // the final scores count ratings, not cases received: headed so, and each shown count is the CSV's
        expect(await page.locator('#ratings thead th').allTextContents()).toEqual(['Nota', 'Avaliações']);
        const ratings = await tableRows(page, '#ratings');
        const csvRatings = countColumn(rows, col('Satisfação'));
        expect(Object.keys(ratings).sort()).toEqual(['1', '2', '3', '4', '5']);
        for (const [score, cells] of Object.entries(ratings))
          if (!hiddenCount(cells[0])) expect(cells[0], score).toBe(String(csvRatings[score] ?? 0));
        // complementary suppression: no column of counts hides exactly one (it would be the total minus the rest)
        const countColumns: [Record<string, string[]>, number][] = [
          [byMonth, 2],
          [byKind, 2],
          [units, 2],
          [ratings, 1],
        ];
        for (const [table, columns] of countColumns)
          for (let c = 0; c < columns; c++) {
            const hidden = Object.values(table).filter((cells) => hiddenCount(cells[c])).length;
            expect(hidden === 0 || hidden >= 2, JSON.stringify(table)).toBe(true);
          }
        // the page's medians of days to answer (overall and per kind) are the CSV's "Dias para Resolução"
        // (tenths of a day, decimal comma) recomputed: median of the values, half up to the tenth
        const days = col('Dias para Resolução');
        const medianOf = (of: string[][]) => {
          const tenths = of
            .map((r) => r[days] ?? '')
            .filter(Boolean)
            .map((v) => Math.round(Number(v.replace(',', '.')) * 10))
            .sort((a, b) => a - b);
          const mid = Math.floor(tenths.length / 2);
          const twice =
            tenths.length % 2 ? 2 * (tenths[mid] ?? 0) : (tenths[mid - 1] ?? 0) + (tenths[mid] ?? 0);
          return new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 1 }).format(
            Math.floor((twice + 1) / 2) / 10,
          );
        };
        expect(
          rows.some((r) => /,\d$/.test(r[days] ?? '')),
          'days published to the tenth',
        ).toBe(true);
        expect(await page.locator('[data-figure="medianDays"]').textContent()).toBe(`${medianOf(rows)} d`);
        let kindMedians = 0;
        for (const [kind, cells] of Object.entries(byKind))
          if (/^\d/.test(cells[3] ?? '')) {
            kindMedians++;
            const ofKind = rows.filter((r) => r[col('Tipo Manifestação')] === kind);
            expect(cells[3], `median of ${kind}`).toBe(medianOf(ofKind));
          }
        expect(kindMedians).toBeGreaterThan(0);
        const csvByUnit = countColumn(rows, col('Unidade'));
        for (const [unit, cells] of shownUnits) expect(cells[0], unit).toBe(String(csvByUnit[unit] ?? 0));
        // and the year's total is the API's
        const apiYear = everything.filter((m) => localDay(m.receivedAt).startsWith(year)).length;
        expect(received).toBe(apiYear);
      },
      slow,
    );
  },
);

/** A count the transparency page hides: under 5 ("<5") or hidden so that one cannot be subtracted out ("X"). */
const hiddenCount = (text: string | undefined) => text === '<5' || text === 'X';
