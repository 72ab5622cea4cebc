// The text search of the staff list (issue 9 item 4) and how a search page is fetched at 1M cases
// (item 9): the match condition, the exact-protocol shortcut, and the choice between walking the sort
// order and collecting the matches through the text indexes.
import { and, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { casePeople, companies, people } from '../schema/people.ts';
import { manifestations as m } from '../schema.ts';
import { prefixQuery, trigramText } from './search-text.ts';

/** What the search may read beyond the case's own text (resolved from the disclosure policy in api/). */
export type SearchViewer = {
  reporterSearchable: readonly string[];
  recordIdentities?: readonly string[];
};

/** A search split in its parts: `all` is the condition; `parts` are its alternatives, for the estimate. */
export type SearchCondition = { all: SQL; parts: SQL[] };

/** A whole protocol as typed ("ouv-2026-000123", " BEN-0123456 "): letters then dash-separated digits. */
const wholeProtocol = /^[a-z]{2,6}(-\d+)+$/i;

/**
 * A search that is a whole protocol of an existing case is an exact match: that case alone, by the primary
 * key (not the full-text match on its code, which reads the GIN entries of every case with the same
 * prefix, ~1 s at 1M cases). A whole protocol that matches no case falls through to the text search (it may
 * still be quoted in some description). One lookup per search, same answer on every page.
 */
export async function exactProtocol(db: Pick<Database, 'select'>, q: string): Promise<string | null> {
  const text = q.trim().toUpperCase();
  if (!wholeProtocol.test(text)) return null;
  const [row] = await db.select({ protocol: m.protocol }).from(m).where(eq(m.protocol, text)).limit(1);
  return row?.protocol ?? null;
}

export function searchCondition(q: string, viewer: SearchViewer): SearchCondition | undefined {
  const tsq = prefixQuery(q);
  if (!tsq) return undefined;
  const fragment = trigramText(q);
  const any: SQL[] = [sql`${m.searchVector} @@ to_tsquery('pt_unaccent', ${tsq})`];
  // Fragments inside codes and protocols ("116" in "BR-116", "1234" in "ABC1234"): trigram index. Words
  // without digits are already covered by the prefix full-text match.
  if (fragment.length >= 3 && /\d/.test(fragment)) any.push(sql`${m.searchText} like ${`%${fragment}%`}`);
  const parts = [...any];
  // The person record behind the case (issue 11): the reporter's document (CPF) and the names and CNPJ of
  // their company, through the trigram indexes of people and companies; only over cases whose record this
  // viewer may see linked. An array computed once, so the index plan can still OR it as a primary-key
  // bitmap with the other indexes. (Not part of the estimate: a handful of cases per person.)
  const ids = viewer.recordIdentities ?? [];
  // a masked document ("123.456.789-09", "12.345.678/0001-90") is stored unmasked
  const doc = q.replace(/[.\-/\s]/g, '').toLowerCase();
  const patterns = [fragment, ...(/^[0-9a-z]{3,14}$/.test(doc) && doc !== fragment ? [doc] : [])]
    .filter((x) => x.length >= 3)
    .map((x) => `%${x}%`);
  const like = (col: SQL | typeof people.searchText) => or(...patterns.map((x) => sql`${col} like ${x}`));
  if (patterns.length && ids.length)
    any.push(
      and(
        inArray(m.identity, [...ids]),
        sql`${m.protocol} = any(array(select ${casePeople.protocol} from ${casePeople}
          where ${casePeople.personId} in (select ${people.id} from ${people} where ${like(people.searchText)}
            union all select ${people.id} from ${people} join ${companies} on ${companies.id} = ${people.companyId}
            where ${like(sql`${companies.searchText}`)})))`,
      ) as SQL,
    );
  if (viewer.reporterSearchable.length) {
    const reporter = (query: string) =>
      and(
        inArray(m.identity, [...viewer.reporterSearchable]),
        sql`${m.reporterVector} @@ to_tsquery('pt_unaccent', ${query})`,
      ) as SQL;
    any.push(reporter(tsq));
    // The planner has no useful statistics for prefix terms on the reporter's words (it answers a fixed 2%
    // whatever the word); the same words taken whole are estimated from the element statistics, a lower
    // bound of the prefix matches that still tells "Cidadão" (every reporter) from "Cidadão 424242".
    parts.push(reporter(tsq.replaceAll(':*', '')));
  }
  return { all: or(...any) as SQL, parts };
}

/**
 * The planner's row estimates of `select from manifestations where …` for each condition, in one round trip
 * (EXPLAIN of a UNION ALL: nothing is read; each branch is one child of the Append, in order).
 */
async function estimates(db: Database, wheres: (SQL | undefined)[]): Promise<number[]> {
  const branch = (w: SQL | undefined) => sql`(select 1 from ${m} ${w ? sql`where ${w}` : sql``})`;
  const res: unknown = await db.execute(
    sql`explain (format json) ${sql.join(wheres.map(branch), sql` union all `)}`,
  );
  // postgres.js answers an array of rows, PGlite an object with `rows`
  const rows = (Array.isArray(res) ? res : ((res as { rows?: unknown[] }).rows ?? [])) as Record<
    string,
    unknown
  >[];
  const cell = rows[0] ? Object.values(rows[0])[0] : undefined;
  type Node = { 'Plan Rows': number; 'Node Type': string; Plans?: Node[] };
  const plan = (typeof cell === 'string' ? JSON.parse(cell) : cell) as [{ Plan: Node }];
  const top = plan?.[0]?.Plan;
  const children =
    wheres.length > 1 && top?.['Node Type'] === 'Append' ? (top.Plans ?? []) : top ? [top] : [];
  // a branch the planner proved empty (a `false` filter) is dropped from the Append: then no estimate (0s,
  // which means "walk"; either plan returns the same rows)
  if (children.length !== wheres.length) return wheres.map(() => 0);
  return wheres.map((_, i) => Number(children[i]?.['Plan Rows'] ?? 0));
}

/**
 * How many rows a walk in sort order may expect to read before it has a page: ~8 µs a row at 1M cases
 * (each row's tsvector tested), so 5,000 rows ≈ 40 ms. Past it, the index plan is the cheaper one.
 */
const WALK_ROWS = 5_000;

/**
 * Walk the sort order, or collect the matches through the GIN/trigram indexes and sort them? A walk stops
 * at the first page of matches: fast when matches are common (a common word: 5–25 ms at 1M), but it reads
 * the whole index when they are rare (a rare word, a person's name: seconds). The index plan is the
 * reverse: its cost grows with the number of matches (each is fetched and sorted). The planner itself
 * cannot choose well (it costs a LIMIT walk as if matches were spread evenly, and its estimates for prefix
 * terms are guesses), so we decide from its row estimates, taken apart: the matches of each alternative of
 * the search (the most common one decides, since the walk stops at whichever matches) against the rows the
 * other filters let through. Expected rows walked = (limit + 1) × filtered ÷ matches; under WALK_ROWS we
 * walk, else we collect. One EXPLAIN, ~1 ms; no timeout, so a loaded machine does not turn a
 * fast walk into a slow fallback. Both plans return the same rows in the same order; only speed differs.
 */
export async function shouldWalk(
  db: Database,
  filters: SQL[],
  search: SearchCondition,
  limit: number,
): Promise<boolean> {
  const base = filters.length ? and(...filters) : undefined;
  const [filtered = 0, ...matches] = await estimates(db, [
    base,
    ...search.parts.map((p) => and(...filters, p)),
  ]);
  const best = Math.max(1, ...matches);
  return ((limit + 1) * filtered) / best <= WALK_ROWS;
}
