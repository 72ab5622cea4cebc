// Disclosure control of the open data (issue 12 item 4): rows of one manifestação each, with the rare
// combinations generalised so that no published row can be tied to a person, and the public figures
// computed from those same rows (so the page and the CSV agree), small cells hidden.
//
// The rule (also in the data dictionary and the README):
//  R1. Dates are published as months (AAAA-MM); no protocol, name, contact, text or attendant, ever.
//  R2. Each row's combination of Data Registro, Tipo, Assunto, Serviço, Unidade and Canal must be shared by
//      at least 5 rows; otherwise Assunto, Serviço, Unidade and Canal of those rows read "Suprimido".
//  R3. If the row's Data Registro + Tipo (with the rest suppressed) is still shared by fewer than 5 rows,
//      Tipo reads "Suprimido" as well.
//  R4. If a month has fewer than 5 rows, the outcome of those rows (Situação, Data Resposta, days, prazo,
//      Satisfação, Resolvida) is left blank.
//  Aggregates: a count below 5 is shown as "<5"; a rate, median or average over fewer than 5 cases is not shown.
import type { OpenDataCase } from '../../db/queries/reports/open-data.ts';

export const MIN_CELL = 5;
export const SUPPRESSED = 'Suprimido';

/** A published row: labels, not codes; null = empty cell. */
export type PublicRow = {
  month: string;
  kind: string;
  topic: string | null;
  item: string | null;
  unit: string | null;
  channel: string;
  status: string | null;
  answerMonth: string | null;
  daysToAnswer: number | null;
  daysLate: number | null;
  onTime: boolean | null;
  rating: number | null;
  resolved: string | null;
};

/** Label of a code in the published language (pt-BR), e.g. kind → "Reclamação". */
export type Labeller = (prefix: 'kind' | 'status' | 'channel' | 'resolved', code: string) => string;

const count = <T>(rows: T[], key: (r: T) => string) => {
  const m = new Map<string, number>();
  for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
  return m;
};

/** Rows with R1–R4 applied (see the top of this file). Order is kept. */
export function suppressRows(cases: OpenDataCase[], label: Labeller): PublicRow[] {
  const rows: PublicRow[] = cases.map((c) => ({
    month: c.month,
    kind: label('kind', c.kind),
    topic: c.topic,
    item: c.item,
    unit: c.unit,
    channel: label('channel', c.channel),
    status: label('status', c.status),
    answerMonth: c.answerMonth,
    daysToAnswer: c.daysToAnswer,
    daysLate: c.daysLate,
    onTime: c.onTime,
    rating: c.rating,
    resolved: c.resolved ? label('resolved', c.resolved) : null,
  }));
  const full = (r: PublicRow) => [r.month, r.kind, r.topic, r.item, r.unit, r.channel].join('\u0000');
  const fullCounts = count(rows, full);
  for (const r of rows) {
    if ((fullCounts.get(full(r)) ?? 0) >= MIN_CELL) continue;
    r.topic = SUPPRESSED;
    r.item = SUPPRESSED;
    r.unit = SUPPRESSED;
    r.channel = SUPPRESSED;
  }
  const coarse = (r: PublicRow) => `${r.month}\u0000${r.kind}`;
  const generalised = rows.filter((r) => r.channel === SUPPRESSED);
  const coarseCounts = count(generalised, coarse);
  for (const r of generalised) if ((coarseCounts.get(coarse(r)) ?? 0) < MIN_CELL) r.kind = SUPPRESSED;
  const perMonth = count(rows, (r) => r.month);
  for (const r of rows) {
    if ((perMonth.get(r.month) ?? 0) >= MIN_CELL) continue;
    Object.assign(r, {
      status: null,
      answerMonth: null,
      daysToAnswer: null,
      daysLate: null,
      onTime: null,
      rating: null,
      resolved: null,
    });
  }
  return rows;
}

/** A published figure: the value, or null with `hidden` when it rests on fewer than 5 cases. */
export type Cell = { value: number | null; hidden: boolean; count?: boolean };

const hiddenCell: Cell = { value: null, hidden: true };
const countCell = (n: number): Cell =>
  n > 0 && n < MIN_CELL
    ? { value: null, hidden: true, count: true }
    : { value: n, hidden: false, count: true };

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? null) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}
const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

/** Figures of a group of published rows: counts, on-time %, median days, average rating. */
export function groupFigures(rows: PublicRow[]) {
  const answered = rows.filter((r) => r.answerMonth !== null);
  const judged = rows.filter((r) => r.onTime !== null);
  const days = rows.flatMap((r) => (r.daysToAnswer === null ? [] : [r.daysToAnswer]));
  const ratings = rows.flatMap((r) => (r.rating === null ? [] : [r.rating]));
  const stat = (n: number, v: number | null): Cell =>
    n < MIN_CELL ? hiddenCell : { value: round1(v), hidden: false };
  return {
    received: countCell(rows.length),
    answered: countCell(answered.length),
    onTimePct: stat(
      judged.length,
      judged.length ? (100 * judged.filter((r) => r.onTime).length) / judged.length : null,
    ),
    medianDays: stat(days.length, median(days)),
    rating: stat(ratings.length, ratings.length ? ratings.reduce((a, b) => a + b, 0) / ratings.length : null),
  };
}
export type GroupFigures = ReturnType<typeof groupFigures>;

/** Figures per value of `key` (e.g. per month, kind, unit), in the order given by `order` or by size. */
export function figuresBy(rows: PublicRow[], key: (r: PublicRow) => string | null, order?: string[]) {
  const groups = new Map<string, PublicRow[]>();
  for (const r of rows) {
    const k = key(r) ?? '—';
    const list = groups.get(k);
    if (list) list.push(r);
    else groups.set(k, [r]);
  }
  const keys =
    order ?? [...groups.keys()].sort((a, b) => (groups.get(b)?.length ?? 0) - (groups.get(a)?.length ?? 0));
  return keys.map((k) => ({ key: k, ...groupFigures(groups.get(k) ?? []) }));
}
