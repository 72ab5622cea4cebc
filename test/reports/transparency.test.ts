// The public transparency page and its open data, signed out: volumes computed from the published rows
// (so the CSV matches the page), no personal data, rare combinations suppressed, small cells hidden, the
// admin switch turns it off (404).

import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatNumber } from '../../api/reports/present.ts';
import { localToday } from '../../api/reports/query.ts';
import { openDataColumns } from '../../api/transparency/dictionary.ts';
import { forgetOpenData, openDataReading } from '../../api/transparency/routes.ts';
import { figuresBy, type PublicRow, protectCounts, suppressRows } from '../../api/transparency/suppress.ts';
import type { OpenDataCase } from '../../db/queries/reports/open-data.ts';
import { openDataBatches } from '../../db/queries/reports/open-data-stream.ts';
import { writeSettings } from '../../db/queries/settings.ts';
import { translator } from '../../views/i18n.ts';
import { json, newManifestation, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';

let t: TestOuvidor;
const year = localToday('America/Sao_Paulo').slice(0, 4);

beforeAll(async () => {
  t = await startTestOuvidor();
  const attendant = await t.createStaff('attendant');
  const file = async (over: Record<string, unknown>) => {
    const r = await json<{ protocol: string }>(
      t.app.request('/api/v1/manifestations', {
        method: 'POST',
        headers: attendant.headers,
        body: JSON.stringify(newManifestation(over)),
      }),
    );
    expect(r.status).toBe(201);
    return r.body.protocol;
  };
  // six complaints by phone this month (a publishable combination) and one rare letter suggestion
  const phone = [];
  for (let i = 0; i < 6; i++)
    phone.push(
      await file({
        kind: 'complaint',
        channel: 'phone',
        citizen: { name: `Maria Pública ${i}`, email: `maria${i}@example.org` },
      }),
    );
  for (const p of phone.slice(0, 5)) {
    await t.app.request(`/api/v1/manifestations/${p}/actions/assign`, {
      method: 'POST',
      headers: attendant.headers,
      body: JSON.stringify({ assignee: attendant.email }),
    });
    await t.app.request(`/api/v1/manifestations/${p}/actions/answer`, {
      method: 'POST',
      headers: attendant.headers,
      body: JSON.stringify({ text: 'Resposta conclusiva ao cidadão.' }),
    });
  }
  await file({
    kind: 'suggestion',
    channel: 'letter',
    citizen: { name: 'José Raro', email: 'jose@example.org' },
  });
}, 180_000);
afterAll(async () => t?.stop());

const get = (path: string) => t.app.request(path); // no session, no token: the public

describe('transparency page and open data (signed out)', () => {
  it('publishes one row per case with the rare combination suppressed and no personal data', async () => {
    forgetOpenData(t.deps);
    const res = await get(`/transparencia/dados.csv?ano=${year}`);
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM
    const text = new TextDecoder().decode(bytes); // drops the BOM
    const rows = parseCsv(text);
    expect(rows).toHaveLength(7);
    expect(Object.keys(rows[0] ?? {})).toEqual(
      expect.arrayContaining([
        'Data Registro',
        'Tipo Manifestação',
        'Assunto',
        'Serviço',
        'Situação',
        'Dias para Resolução',
        'Dias de Atraso',
        'Satisfação',
        'Canal',
      ]),
    );
    const phone = rows.filter((r) => r.Canal === 'Telefone');
    expect(phone).toHaveLength(6);
    expect(phone.every((r) => r['Tipo Manifestação'] === 'Reclamação')).toBe(true);
    expect(phone.filter((r) => r['Respondida no Prazo'] === 'Sim')).toHaveLength(5);
    const rare = rows.filter((r) => r.Canal !== 'Telefone');
    expect(rare).toEqual([expect.objectContaining({ Canal: 'Suprimido', 'Tipo Manifestação': 'Suprimido' })]);
    for (const secret of ['Maria', 'José', 'example.org', 'OUV-', 'Iluminação'])
      expect(text).not.toContain(secret);
    expect(rows[0]?.['Data Registro']).toMatch(/^\d{4}-\d{2}$/);

    const j = await json<{
      rows: Record<string, unknown>[];
      dictionary: { name: string }[];
      suppression: string[];
    }>(get(`/transparencia/dados.json?ano=${year}`));
    expect(j.body.rows).toHaveLength(7);
    expect(j.body.dictionary.map((d) => d.name)).toContain('Dias de Atraso');
    expect(j.body.suppression.join(' ')).toContain('5');
  });

  it('shows figures that match the CSV and hides cells under 5', async () => {
    const res = await get(`/transparencia?ano=${year}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<svg role="img"');
    expect(html).toMatch(/data-figure="received">7</);
    expect(html).toMatch(/data-figure="answered">5</);
    // by kind: the suppressed row is under 5, and Reclamação (6 in the CSV) is hidden too ("X"): with the total
    // of 7 published, one hidden count would be 7 − 6 = 1 (complementary suppression)
    expect(html).toMatch(/<th scope="row">Suprimido<\/th>\s*<td class="num">&lt;5<\/td>/);
    expect(html).toMatch(/<th scope="row">Reclamação<\/th>\s*<td class="num">X<\/td>/);
    expect(html).not.toContain('Maria');
    expect(html).not.toMatch(/style="/);
    // the page says when its (cached) figures were computed, so a reader comparing it with a fresher CSV knows why
    expect(html).toMatch(
      /id="t-as-of">Números calculados em \d{2}\/\d{2}\/\d{4},? \d{2}:\d{2}; a página é recalculada a cada 5 minutos/,
    );
  });

  it('streams the open data batch by batch: the same bytes as the whole year at once, totals equal to the page', async () => {
    const whole = new Uint8Array(await (await get(`/transparencia/dados.csv?ano=${year}`)).arrayBuffer());
    const wholeJson = await (await get(`/transparencia/dados.json?ano=${year}`)).json();
    openDataReading.batchSize = 2; // 7 rows: four batches, the last one short
    try {
      const batched = new Uint8Array(await (await get(`/transparencia/dados.csv?ano=${year}`)).arrayBuffer());
      expect(Buffer.from(batched).equals(Buffer.from(whole))).toBe(true);
      const batchedJson = (await (await get(`/transparencia/dados.json?ano=${year}`)).json()) as {
        rows: unknown[];
      };
      expect(batchedJson.rows).toEqual((wholeJson as { rows: unknown[] }).rows);
      forgetOpenData(t.deps);
      const html = await (await get(`/transparencia?ano=${year}`)).text();
      expect(html).toMatch(/data-figure="received">7</);
    } finally {
      openDataReading.batchSize = 5000;
    }
    // the format of the one-shot export it replaced: BOM, header, ";" — computed here from all rows at once
    const all: OpenDataCase[] = [];
    for await (const b of openDataBatches(t.db, Number(year), 'America/Sao_Paulo')) all.push(...b);
    const pt = translator('pt-BR');
    const rows = suppressRows(all, (prefix, code) =>
      prefix === 'resolved'
        ? pt(`reports.answer.resolved.${code}`, code).replace(/^Resolvida: /, '')
        : pt(`${prefix}.${code}`, code),
    );
    const expected = stringify(
      rows.map((r) =>
        openDataColumns.map((col) => {
          const v = col.value(r);
          return typeof v === 'number' ? formatNumber(v, 'pt-BR') : (v ?? '');
        }),
      ),
      { bom: true, delimiter: ';', header: true, columns: openDataColumns.map((col) => col.name) },
    );
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(whole)).toBe(expected);
    expect(parseCsv(expected.replace(/^\uFEFF/, ''))).toHaveLength(7);
  });

  it('refuses a bad year and disappears when the admin turns it off', async () => {
    expect((await get('/transparencia?ano=1999')).status).toBe(422);
    const admin = { id: 'test-admin', ip: null };
    const home = async () => (await get('/')).text();
    expect(await home()).toContain('href="/transparencia"'); // the public site links to the page
    await writeSettings(t.db, admin, { 'features.transparencyPage': false });
    try {
      expect((await get('/transparencia')).status).toBe(404);
      expect((await get('/transparencia/dados.csv')).status).toBe(404);
      expect(await home()).not.toContain('/transparencia'); // and no longer once it is off
    } finally {
      await writeSettings(t.db, admin, { 'features.transparencyPage': true });
    }
  });
});

describe('suppressRows', () => {
  const base: OpenDataCase = {
    month: '2026-03',
    kind: 'complaint',
    topic: 'Iluminação',
    item: null,
    unit: 'Obras',
    status: 'answered',
    channel: 'web',
    answerMonth: '2026-03',
    answerTenths: 32,
    daysLate: 0,
    onTime: true,
    rating: 4,
    resolved: 'yes',
  };
  const label = (_p: string, code: string) => code;
  it('hides the next-smallest counts of a column with a small one, so no count is its total minus the others', () => {
    // nothing small: everything published
    expect(protectCounts([12, 7, 0])).toEqual([null, null, null]);
    // one small count: the smallest other non-zero one goes with it (two hidden, adding up to 10)
    expect(protectCounts([12, 3, 40, 0, 7])).toEqual([null, 'small', null, null, 'complementary']);
    // two small ones adding up to less than 5 (1 + 1: each would be known): one more
    expect(protectCounts([1, 9, 1, 30])).toEqual(['small', 'complementary', 'small', null]);
    // two small ones adding up to 5 already protect each other
    expect(protectCounts([2, 3, 30])).toEqual(['small', 'small', null]);
    // a lone count under 5 is its total: the total is itself under 5 and hidden
    expect(protectCounts([3, 0])).toEqual(['small', null]);
    // the page's tables: the published cells say which is which
    const cells = figuresBy(
      [
        ...Array.from({ length: 6 }, () => ({ ...base, kind: 'Reclamação' })),
        { ...base, kind: 'Suprimido' },
        ...Array.from({ length: 9 }, () => ({ ...base, kind: 'Elogio' })),
      ] as PublicRow[],
      (r) => r.kind,
    );
    expect(cells.map((g) => [g.key, g.received])).toEqual([
      ['Elogio', { value: 9, hidden: false, count: true }],
      ['Reclamação', { value: null, hidden: true, count: true, complementary: true }],
      ['Suprimido', { value: null, hidden: true, count: true }],
    ]);
  });
  it('keeps a combination shared by 5, generalises a rarer one, blanks outcomes of a month under 5', () => {
    const many = Array.from({ length: 5 }, () => ({ ...base }));
    const rare = { ...base, channel: 'letter' };
    const rows = suppressRows([...many, rare], label);
    expect(rows.slice(0, 5).every((r) => r.channel === 'web' && r.unit === 'Obras')).toBe(true);
    expect(rows[5]).toMatchObject({
      channel: 'Suprimido',
      unit: 'Suprimido',
      topic: 'Suprimido',
      kind: 'Suprimido',
    });
    const lonely = suppressRows([{ ...base, month: '2026-04' }], label);
    expect(lonely[0]).toMatchObject({ rating: null, answerTenths: null, status: null });
    // days to answer are published to the tenth of a day (what the page's medians are computed from)
    const days = openDataColumns.find((c) => c.name === 'Dias para Resolução');
    expect(rows[0] && days?.value(rows[0])).toBe(3.2);
    expect(formatNumber(3.2, 'pt-BR')).toBe('3,2');
  });
});

/** A ";" CSV without quoted separators (what the fixture produces) as objects keyed by the header. */
function parseCsv(text: string): Record<string, string>[] {
  const [head, ...lines] = text.trim().split(/\r?\n/);
  const names = (head ?? '').split(';');
  return lines.map((l) => Object.fromEntries(l.split(';').map((v, i) => [names[i] ?? String(i), v])));
}
