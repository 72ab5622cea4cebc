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
//  R5. Complementary suppression: the counts of a table (per month, kind or unit; the ratings per score) add up
//      to a published total, so a single hidden count would be that total minus the others. When a column has
//      hidden counts, the next-smallest counts of the same column are hidden as well ("X", not "<5": they are
//      not small) until at least two are hidden and the hidden ones add up to at least 5 — the subtraction then
//      gives only a sum that several splits fit (protectCounts).
import { medianDays } from '../../db/queries/reports/answer-time.ts';
import type { OpenDataCase } from '../../db/queries/reports/open-data.ts';

export const MIN_CELL = 5;
export const SUPPRESSED = 'Suprimido';
/** How a count hidden by complementary suppression (R5) reads on the page. */
export const COMPLEMENTARY = 'X';

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
  /** days to answer in tenths of a day: published as days with one decimal, and the medians' input */
  answerTenths: number | null;
  daysLate: number | null;
  onTime: boolean | null;
  rating: number | null;
  resolved: string | null;
};

/** Label of a code in the published language (pt-BR), e.g. kind → "Reclamação". */
export type Labeller = (prefix: 'kind' | 'status' | 'channel' | 'resolved', code: string) => string;

/** The counts rules R2–R4 need, from the combinations of a year's cases (see suppressionPlan). */
export type SuppressionPlan = {
  /** cases per month + kind + topic + item + unit + channel (R2) */
  full: Map<string, number>;
  /** per month + kind: cases whose full combination is shared by fewer than 5 (R3) */
  coarse: Map<string, number>;
  /** cases per month (R4) */
  months: Map<string, number>;
};

type Combination = Pick<OpenDataCase, 'month' | 'kind' | 'topic' | 'item' | 'unit' | 'channel'>;
const fullKey = (c: Combination) => [c.month, c.kind, c.topic, c.item, c.unit, c.channel].join('\u0000');
const coarseKey = (c: Combination) => `${c.month}\u0000${c.kind}`;

/** The plan of a year from its combinations and their counts (db/queries/reports/open-data-stream.ts). */
export function suppressionPlan(combinations: (Combination & { n: number })[]): SuppressionPlan {
  const plan: SuppressionPlan = { full: new Map(), coarse: new Map(), months: new Map() };
  const add = (m: Map<string, number>, k: string, n: number) => m.set(k, (m.get(k) ?? 0) + n);
  for (const c of combinations) add(plan.full, fullKey(c), c.n);
  for (const c of combinations) {
    add(plan.months, c.month, c.n);
    if ((plan.full.get(fullKey(c)) ?? 0) < MIN_CELL) add(plan.coarse, coarseKey(c), c.n);
  }
  return plan;
}

/** One case as published under `plan` (R1–R4). A combination missing from the plan counts as 0. */
export function publishRow(c: OpenDataCase, plan: SuppressionPlan, label: Labeller): PublicRow {
  const rare = (plan.full.get(fullKey(c)) ?? 0) < MIN_CELL;
  const quietMonth = (plan.months.get(c.month) ?? 0) < MIN_CELL;
  return {
    month: c.month,
    kind: rare && (plan.coarse.get(coarseKey(c)) ?? 0) < MIN_CELL ? SUPPRESSED : label('kind', c.kind),
    topic: rare ? SUPPRESSED : c.topic,
    item: rare ? SUPPRESSED : c.item,
    unit: rare ? SUPPRESSED : c.unit,
    channel: rare ? SUPPRESSED : label('channel', c.channel),
    status: quietMonth ? null : label('status', c.status),
    answerMonth: quietMonth ? null : c.answerMonth,
    answerTenths: quietMonth ? null : c.answerTenths,
    daysLate: quietMonth ? null : c.daysLate,
    onTime: quietMonth ? null : c.onTime,
    rating: quietMonth ? null : c.rating,
    resolved: quietMonth || !c.resolved ? null : label('resolved', c.resolved),
  };
}

/** Rows with R1–R4 applied (see the top of this file), all in memory. Order is kept. */
export function suppressRows(cases: OpenDataCase[], label: Labeller): PublicRow[] {
  const counts = new Map<string, Combination & { n: number }>();
  for (const c of cases) {
    const known = counts.get(fullKey(c));
    if (known) known.n++;
    else counts.set(fullKey(c), { ...c, n: 1 });
  }
  const plan = suppressionPlan([...counts.values()]);
  return cases.map((c) => publishRow(c, plan, label));
}

/**
 * A published figure: the value, or null with `hidden` when it rests on fewer than 5 cases, or (`complementary`)
 * when it is hidden only so that a small count cannot be recovered from the total (R5).
 */
export type Cell = { value: number | null; hidden: boolean; count?: boolean; complementary?: boolean };

/**
 * R5: which counts of one column that adds up to a published total to hide. The small ones (1–4) first; then,
 * if any is hidden, the next-smallest non-zero ones until at least two are hidden and they add up to at least
 * MIN_CELL (when every non-zero count is hidden and they still add up to less, the total itself is under 5 and
 * hidden). Returns 'small' (shown "<5"), 'complementary' (shown "X") or null (published) per count.
 */
export function protectCounts(counts: readonly number[]): ('small' | 'complementary' | null)[] {
  const out: ('small' | 'complementary' | null)[] = counts.map((n) =>
    n > 0 && n < MIN_CELL ? 'small' : null,
  );
  let hidden = 0;
  let sum = 0;
  counts.forEach((n, i) => {
    if (out[i]) {
      hidden++;
      sum += n;
    }
  });
  if (hidden === 0) return out;
  // the published non-zero counts, smallest first (ties: first listed)
  const candidates = counts
    .map((n, i) => [n, i] as const)
    .filter(([n, i]) => n > 0 && !out[i])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const [n, i] of candidates) {
    if (hidden >= 2 && sum >= MIN_CELL) break;
    out[i] = 'complementary';
    hidden++;
    sum += n;
  }
  return out;
}

/** Cells of one column of counts with R5 applied (see protectCounts). */
export function protectedCountCells(counts: readonly number[]): Cell[] {
  const plan = protectCounts(counts);
  return counts.map((n, i) =>
    plan[i] === 'complementary'
      ? { value: null, hidden: true, count: true, complementary: true }
      : countCell(n),
  );
}

const hiddenCell: Cell = { value: null, hidden: true };
const countCell = (n: number): Cell =>
  n > 0 && n < MIN_CELL
    ? { value: null, hidden: true, count: true }
    : { value: n, hidden: false, count: true };

const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

/**
 * What a group's figures need, tallied one row at a time: counts, and the days to answer as a histogram
 * (tenths of a day: the reports' median, db/queries/reports/answer-time.ts, without keeping the rows;
 * memory grows with distinct values, not rows).
 */
export class Tally {
  received = 0;
  answered = 0;
  judged = 0;
  onTime = 0;
  ratingSum = 0;
  rated = 0;
  private days = new Map<number, number>();
  private daysCount = 0;

  add(r: PublicRow): void {
    this.received++;
    if (r.answerMonth !== null) this.answered++;
    if (r.onTime !== null) {
      this.judged++;
      if (r.onTime) this.onTime++;
    }
    if (r.answerTenths !== null) {
      this.days.set(r.answerTenths, (this.days.get(r.answerTenths) ?? 0) + 1);
      this.daysCount++;
    }
    if (r.rating !== null) {
      this.ratingSum += r.rating;
      this.rated++;
    }
  }

  /** The median of the days to answer: the reports' one definition (answer-time.ts). */
  medianDays(): number | null {
    return medianDays(this.days);
  }

  /** The published figures: counts under 5 shown as "<5", statistics over fewer than 5 cases hidden. */
  figures() {
    const stat = (n: number, v: number | null): Cell =>
      n < MIN_CELL ? hiddenCell : { value: round1(v), hidden: false };
    return {
      received: countCell(this.received),
      answered: countCell(this.answered),
      onTimePct: stat(this.judged, this.judged ? (100 * this.onTime) / this.judged : null),
      medianDays: stat(this.daysCount, this.medianDays()),
      rating: stat(this.rated, this.rated ? this.ratingSum / this.rated : null),
    };
  }
}

/** Figures of a group of published rows: counts, on-time %, median days, average rating. */
export function groupFigures(rows: PublicRow[]) {
  const tally = new Tally();
  for (const r of rows) tally.add(r);
  return tally.figures();
}
export type GroupFigures = ReturnType<typeof groupFigures>;

/**
 * Figures per value of `key` (e.g. per month, kind, unit) built one row at a time (the page reads the year
 * in batches, so it never holds the rows). `figures()` lists them in the order of `order`, or largest first.
 */
export class FigureAccumulator {
  private groups = new Map<string, Tally>();
  constructor(private key: (r: PublicRow) => string | null) {}

  add(r: PublicRow): void {
    const k = this.key(r) ?? '—';
    let tally = this.groups.get(k);
    if (!tally) {
      tally = new Tally();
      this.groups.set(k, tally);
    }
    tally.add(r);
  }

  /** The groups' figures; the received and answered columns add up to the page's totals, so R5 applies. */
  figures(order?: string[]) {
    const size = (k: string) => this.groups.get(k)?.received ?? 0;
    const keys = order ?? [...this.groups.keys()].sort((a, b) => size(b) - size(a));
    const tallies = keys.map((k) => this.groups.get(k) ?? new Tally());
    const received = protectedCountCells(tallies.map((t) => t.received));
    const answered = protectedCountCells(tallies.map((t) => t.answered));
    return keys.map((k, i) => ({
      key: k,
      ...tallies[i]!.figures(),
      received: received[i]!,
      answered: answered[i]!,
    }));
  }
}

/** Figures per value of `key` over rows in memory (tests, small sets). */
export function figuresBy(rows: PublicRow[], key: (r: PublicRow) => string | null, order?: string[]) {
  const acc = new FigureAccumulator(key);
  for (const r of rows) acc.add(r);
  return acc.figures(order);
}
