// GET /api/v1/manifestations/export.csv and .xlsx: the filtered list (same query as the list, cursor and
// limit ignored), streamed page by page (keyset, 500 rows at a time) so 100,000 rows never sit in memory.
// CSV: UTF-8 with BOM and ";" (what a pt-BR spreadsheet opens directly); XLSX: exceljs streaming writer.
import { once } from 'node:events';
import { PassThrough, Readable, type Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { type Context, Hono } from 'hono';
import { type ListRow, listManifestations } from '../../db/queries/manifestations.ts';
import { listUnits } from '../../db/queries/units.ts';
import { formatDateTime, type Translate, translator } from '../../views/i18n.ts';
import { requireRole } from '../auth/session.ts';
import { presentListRow, staffViewer } from '../disclosure.ts';
import type { AppEnv } from '../types.ts';
import { languageOf } from '../ui/render.ts';
import type { ResolvedList } from './list-filter.ts';
import { listOrThrow } from './list-json.ts';

export const exportRoutes = new Hono<AppEnv>();

const PAGE = 500;

type Column = { header: string; value: (m: ListRow) => string | Date | null; width?: number };

function columns(t: Translate, unitName: (code: string) => string): Column[] {
  return [
    { header: t('field.protocol'), value: (m) => m.protocol, width: 18 },
    { header: t('field.receivedAt'), value: (m) => m.receivedAt, width: 17 },
    { header: t('field.kindShort'), value: (m) => t(`kind.${m.kind}`, m.kind), width: 16 },
    { header: t('field.status'), value: (m) => t(`status.${m.status}`, m.status), width: 18 },
    { header: t('filter.priority'), value: (m) => t(`priority.${m.priority}`, m.priority), width: 10 },
    { header: t('field.subject'), value: (m) => m.subject, width: 50 },
    { header: t('field.assigneeShort'), value: (m) => m.assigneeName ?? m.assignee, width: 24 },
    { header: t('list.units'), value: (m) => m.units.map(unitName).join(', '), width: 24 },
    { header: t('list.waiting'), value: (m) => m.pendingUnits.map(unitName).join(', ') || null, width: 24 },
    { header: t('field.dueAt'), value: (m) => m.dueAt, width: 17 },
    { header: t('export.slaState'), value: (m) => t(`sla.${m.slaState}`, m.slaState), width: 14 },
    { header: t('filter.channel'), value: (m) => t(`channel.${m.channel}`, m.channel), width: 12 },
  ];
}

/** Every row of the filtered list, in its sort order, one keyset page at a time. */
async function* rowsOf(
  db: Parameters<typeof listManifestations>[0],
  list: ResolvedList,
  present: (row: ListRow) => ListRow,
) {
  let cursor = undefined as ResolvedList['filter']['cursor'];
  for (;;) {
    const page = await listManifestations(
      db,
      { ...list.filter, cursor, limit: PAGE },
      list.viewer,
      list.window,
    );
    yield* page.items.map(present); // through the disclosure policy, like the list
    if (!page.nextCursor) return;
    const last = page.items.at(-1);
    if (!last) return;
    const sort = list.filter.sort ?? 'received';
    const due = last.dueAt ? last.dueAt.toISOString() : 'infinity';
    cursor =
      sort === 'due'
        ? [due, last.protocol]
        : sort === 'priority'
          ? [last.priorityRank, due, last.protocol]
          : [last.receivedAt.toISOString(), last.protocol];
  }
}

/** A cell a spreadsheet would run as a formula ("=", "+", "-", "@", tab, CR) is kept as text. */
const noFormula = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

async function write(stream: Writable, chunk: unknown) {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

async function prepare(c: Context<AppEnv>) {
  const user = requireRole(c);
  const deps = c.var.deps;
  const { cursor: _c, limit: _l, ...query } = c.req.query();
  const list = await listOrThrow(query, user, deps);
  const names = new Map((await listUnits(deps.db)).map((u) => [u.code, u.name]));
  const cols = columns(translator(languageOf(c)), (code) => names.get(code) ?? code);
  const stamp = new Date().toISOString().slice(0, 10);
  const viewer = staffViewer(user)!;
  const present = (row: ListRow) => presentListRow(viewer, row, { secret: deps.secret });
  return { deps, list, cols, present, filename: `manifestacoes-${stamp}` };
}

exportRoutes.get('/export.csv', async (c) => {
  const { deps, list, cols, present, filename } = await prepare(c);
  const lang = languageOf(c);
  const csv = stringify({ bom: true, delimiter: ';', header: true, columns: cols.map((col) => col.header) });
  const cell = (v: string | Date | null) =>
    v instanceof Date ? formatDateTime(v, lang, deps.timezone) : v === null ? '' : noFormula(v);
  (async () => {
    for await (const m of rowsOf(deps.db, list, present))
      await write(
        csv,
        cols.map((col) => cell(col.value(m))),
      );
    csv.end();
  })().catch((err) => csv.destroy(err));
  return c.body(Readable.toWeb(csv) as ReadableStream, 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${filename}.csv"`,
    'Cache-Control': 'no-store',
  });
});

exportRoutes.get('/export.xlsx', async (c) => {
  const { deps, list, cols, present, filename } = await prepare(c);
  const out = new PassThrough();
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = book.addWorksheet('Manifestações', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = cols.map((col, i) => ({ header: col.header, key: String(i), width: col.width ?? 16 }));
  (async () => {
    for await (const m of rowsOf(deps.db, list, present)) {
      const row = sheet.addRow(cols.map((col) => col.value(m)));
      row.eachCell((cell) => {
        if (cell.value instanceof Date) cell.numFmt = 'dd/mm/yyyy hh:mm';
      });
      row.commit();
      if (out.writableNeedDrain) await once(out, 'drain');
    }
    sheet.commit();
    await book.commit();
  })().catch((err) => out.destroy(err));
  return c.body(Readable.toWeb(out) as ReadableStream, 200, {
    'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'Content-Disposition': `attachment; filename="${filename}.xlsx"`,
    'Cache-Control': 'no-store',
  });
});
