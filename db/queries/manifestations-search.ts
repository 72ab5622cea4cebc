// The text search of the staff list (issue 9 item 4) and how a search page is fetched at 1M cases
// (item 9): the match condition, the exact-protocol shortcut, and the choice between walking the sort
// order and collecting the matches through the text indexes.
import { and, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Database } from '../client.ts';
import { casePeople, companies, people } from '../schema/people.ts';
import { manifestations as m } from '../schema.ts';
import { type LexemeFrequencies, prefixFrequency, type SearchStats, searchStats } from './search-stats.ts';
import { prefixQuery, trigramText } from './search-text.ts';
import { statementKey } from './statement-cache.ts';

/** What the search may read beyond the case's own text (resolved from the disclosure policy in api/). */
export type SearchViewer = {
  reporterSearchable: readonly string[];
  recordIdentities?: readonly string[];
};

/**
 * A search split in its parts: `all` is the condition as a walk in sort order tests it on each row;
 * `collect` the same cases written for the index plan (see indexedMatch); `parts` its alternatives, for
 * the estimate; `plan` when an exact match decides it without an estimate.
 */
export type SearchCondition = {
  all: SQL;
  collect: SQL;
  parts: SQL[];
  /** a whole protocol: its primary key; a whole e-mail or CPF: the indexes (a handful of cases) */
  plan?: 'primary-key' | 'indexes' | undefined;
  /** when the exact match finds no case, the search of the same text as words (a fragment, a quote) */
  fallback?: (() => SearchCondition | undefined) | undefined;
};

/** A whole protocol as typed ("ouv-2026-000123", " BEN-0123456 "): letters then dash-separated digits. */
const wholeProtocol = /^[a-z]{2,6}(-\d+)+$/i;

/**
 * A whole protocol: that case alone, by the primary key (not the full-text match on its code, which reads the
 * GIN entries of every case with the same prefix, ~1 s at 1M cases). When no case has it, the text search
 * (it may still be quoted in some description).
 */
function protocolCondition(q: string): SearchCondition {
  const all = eq(m.protocol, q.toUpperCase());
  return { all, collect: all, parts: [], plan: 'primary-key' };
}

/** A whole e-mail address as typed: no spaces, one @, a dot in the domain. */
const wholeEmail = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** A whole CPF, masked ("500.000.042-42") or as 11 digits. */
const wholeCpf = /^\d{3}\.?\d{3}\.?\d{3}-?\d{2}$/;

/** A share of rows above which a search word is "common": looked up in the index only if no rarer word is. */
const COMMON = 0.01;

/**
 * `column @@ words` for the index plan: when some words are common in the column (every reporter is a
 * "Cidadão") and others are not, only the rarer ones are looked up in the GIN index — a prefix term reads
 * the whole index entry of every lexeme it matches, 1M rows for "cidadao:*" — and the whole query is tested
 * on the few rows they return (`ts_match_vq` is the `@@` operator written as a call, which no index answers).
 * Same rows either way.
 */
export function indexedMatch(
  column: typeof m.searchVector | typeof m.reporterVector,
  words: string[],
  f: LexemeFrequencies,
): SQL {
  const query = (ws: string[]) => ws.map((w) => `${w}:*`).join(' & ');
  const whole = sql`${column} @@ to_tsquery('pt_unaccent', ${query(words)})`;
  const rare = words.filter((w) => prefixFrequency(f, w) < COMMON);
  if (!rare.length || rare.length === words.length) return whole;
  const [lookup, all] = [
    sql`to_tsquery('pt_unaccent', ${query(rare)})`,
    sql`to_tsquery('pt_unaccent', ${query(words)})`,
  ];
  // rarer words that are all stop words ("sou") leave an empty query, which matches nothing: then the whole
  // query is looked up (the case is folded to one of the two constants when the statement is planned)
  return sql`(${column} @@ (case when numnode(${lookup}) = 0 then ${all} else ${lookup} end)
    and ts_match_vq(${column}, ${all}))`;
}

/** The cases of the person records (issue 11) chosen by `people`, as an array computed once. */
function casesOfPeople(ids: readonly string[], peopleIds: SQL): SQL {
  return and(
    inArray(m.identity, [...ids]),
    sql`${m.protocol} = any(array(select ${casePeople.protocol} from ${casePeople}
      where ${casePeople.personId} in (${peopleIds})))`,
  ) as SQL;
}

/**
 * A whole e-mail: the cases whose reporter has it (where this viewer may search the reporter, as the
 * general search), whose linked person record has it (where the viewer may see the record linked), and
 * whose text holds it (an assignee's or a unit's address, or one quoted in a description) — each an exact
 * lexeme or key, not the prefix of every word of the address ("example:*" is on every reporter).
 */
function emailCondition(q: string, viewer: SearchViewer, stats: SearchStats): SearchCondition {
  const email = q.toLowerCase();
  const lexemes = sql`plainto_tsquery('pt_unaccent', ${email})`;
  const text = sql`${m.searchVector} @@ ${lexemes}`;
  const any: SQL[] = [text];
  const parts: SQL[] = [text];
  if (viewer.reporterSearchable.length) {
    const reporter = and(
      inArray(m.identity, [...viewer.reporterSearchable]),
      sql`${m.reporterVector} @@ ${lexemes}`,
    ) as SQL;
    any.push(reporter);
    parts.push(reporter);
  }
  const ids = viewer.recordIdentities ?? [];
  if (ids.length)
    any.push(casesOfPeople(ids, sql`select ${people.id} from ${people} where ${people.email} = ${email}`));
  const all = or(...any) as SQL;
  // an address on many cases (a staff member's, in every case they hold) is among the most common lexemes:
  // then the planner's estimate chooses, as for any search; otherwise a handful of cases, collected directly
  const common = stats.search.lexemes.has(email) || stats.reporter.lexemes.has(email);
  return { all, collect: all, parts, plan: common ? undefined : 'indexes' };
}

/**
 * A whole CPF: the cases of the person record with it (where the viewer may see the record linked, as the
 * general search) and the cases whose text quotes it, masked or not — exact lexemes, not the prefix of
 * "500", "000"… A handful of cases: collected directly.
 */
function cpfCondition(q: string, viewer: SearchViewer): SearchCondition {
  const digits = q.replace(/\D/g, '');
  const masked = `${digits.slice(0, 3)}.${digits.slice(3, 6)}.${digits.slice(6, 9)}-${digits.slice(9)}`;
  const any: SQL[] = [
    sql`${m.searchVector} @@ (plainto_tsquery('pt_unaccent', ${masked}) || plainto_tsquery('pt_unaccent', ${digits}))`,
    sql`${m.searchText} like ${`%${digits}%`}`,
  ];
  const ids = viewer.recordIdentities ?? [];
  if (ids.length)
    any.push(
      casesOfPeople(
        ids,
        sql`select ${people.id} from ${people} where ${people.cpf} = ${digits} and ${people.mergedInto} is null`,
      ),
    );
  const all = or(...any) as SQL;
  return { all, collect: all, parts: [], plan: 'indexes' };
}

/**
 * The search condition of `q` for this viewer: a whole protocol, e-mail or CPF as exact matches (and, when
 * they find no case, as any other text), anything else as words (prefixes, accent-insensitive), fragments inside
 * codes and protocols, the reporter, the person record and its company.
 */
export async function searchCondition(
  db: Database,
  q: string,
  viewer: SearchViewer,
): Promise<SearchCondition | undefined> {
  const stats = await searchStats(db);
  const typed = q.trim();
  const words = () => wordsCondition(q, viewer, stats);
  if (wholeProtocol.test(typed)) return { ...protocolCondition(typed), fallback: words };
  if (wholeEmail.test(typed)) return { ...emailCondition(typed, viewer, stats), fallback: words };
  if (wholeCpf.test(typed)) return { ...cpfCondition(typed, viewer), fallback: words };
  return words();
}

function wordsCondition(q: string, viewer: SearchViewer, stats: SearchStats): SearchCondition | undefined {
  const tsq = prefixQuery(q);
  if (!tsq) return undefined;
  const words = trigramText(q).split(' ').filter(Boolean).slice(0, 12);
  const fragment = trigramText(q);
  const text = sql`${m.searchVector} @@ to_tsquery('pt_unaccent', ${tsq})`;
  const any: SQL[] = [text];
  const collect: SQL[] = [indexedMatch(m.searchVector, words, stats.search)];
  // Fragments inside codes and protocols ("116" in "BR-116", "1234" in "ABC1234"): trigram index. Words
  // without digits are already covered by the prefix full-text match.
  if (fragment.length >= 3 && /\d/.test(fragment)) {
    const inCode = sql`${m.searchText} like ${`%${fragment}%`}`;
    any.push(inCode);
    collect.push(inCode);
  }
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
  if (patterns.length && ids.length) {
    const person = casesOfPeople(
      ids,
      sql`select ${people.id} from ${people} where ${like(people.searchText)}
        union all select ${people.id} from ${people} join ${companies} on ${companies.id} = ${people.companyId}
        where ${like(sql`${companies.searchText}`)}`,
    );
    any.push(person);
    collect.push(person);
  }
  if (viewer.reporterSearchable.length) {
    const identity = inArray(m.identity, [...viewer.reporterSearchable]);
    const reporter = (query: string) =>
      and(identity, sql`${m.reporterVector} @@ to_tsquery('pt_unaccent', ${query})`) as SQL;
    any.push(reporter(tsq));
    collect.push(and(identity, indexedMatch(m.reporterVector, words, stats.reporter)) as SQL);
    // The planner has no useful statistics for prefix terms on the reporter's words (it answers a fixed 2%
    // whatever the word); the same words taken whole are estimated from the element statistics, a lower
    // bound of the prefix matches that still tells "Cidadão" (every reporter) from "Cidadão 424242".
    parts.push(reporter(tsq.replaceAll(':*', '')));
  }
  return { all: or(...any) as SQL, collect: or(...collect) as SQL, parts };
}

/** Row estimates of the same statement on the same database within a minute are reused: the list is re-read
 * as it pages and on every live update, with the same search. (The planner's estimates move only with ANALYZE.) */
const ESTIMATE_TTL_MS = 60_000;
const ESTIMATES_KEPT = 500;
const estimateCaches = new WeakMap<object, Map<string, { at: number; rows: number[] }>>();
const dialect = new PgDialect();

/**
 * The planner's row estimates of `select from manifestations where …` for each condition, in one round trip
 * (EXPLAIN of a UNION ALL: nothing is read; each branch is one child of the Append, in order).
 */
async function estimates(db: Database, wheres: (SQL | undefined)[], now = Date.now()): Promise<number[]> {
  const branch = (w: SQL | undefined) => sql`(select 1 from ${m} ${w ? sql`where ${w}` : sql``})`;
  const statement = sql`explain (format json) ${sql.join(wheres.map(branch), sql` union all `)}`;
  // the key without rendering the statement (drizzle's rendering is most of a cached search's own cost)
  const key = statementKey([statement]) ?? JSON.stringify(dialect.sqlToQuery(statement));
  const estimateCache = estimateCaches.get(db) ?? new Map<string, { at: number; rows: number[] }>();
  estimateCaches.set(db, estimateCache);
  const hit = estimateCache.get(key);
  if (hit && now - hit.at < ESTIMATE_TTL_MS) return hit.rows;
  const res: unknown = await db.execute(statement);
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
  const out =
    children.length !== wheres.length
      ? wheres.map(() => 0)
      : wheres.map((_, i) => Number(children[i]?.['Plan Rows'] ?? 0));
  if (estimateCache.size >= ESTIMATES_KEPT) estimateCache.delete(estimateCache.keys().next().value ?? '');
  estimateCache.set(key, { at: now, rows: out });
  return out;
}

/**
 * How many rows a walk in sort order may expect to read before it has a page: ~8 µs a row at 1M cases
 * (each row's tsvector tested), so 5,000 rows ≈ 40 ms. Past it, the index plan is the cheaper one.
 */
const WALK_ROWS = 5_000;
/**
 * With other filters, the estimate of "filters and search" multiplies their shares as if they were
 * independent; a word and a status can exclude each other (no case of the fixture is both "buraco" and
 * in_progress), and then the walk reads every case. So such a walk must be expected to stop within a quarter
 * of the budget.
 */
const INDEPENDENCE_MARGIN = 4;

/**
 * Walk the sort order, or collect the matches through the GIN/trigram indexes and sort them? A walk stops
 * at the first page of matches: fast when matches are common (a common word: 5–25 ms at 1M), but it reads
 * the whole index when they are rare (a rare word, a person's name: seconds). The index plan is the
 * reverse: its cost grows with the number of matches (each is fetched and sorted). The planner itself
 * cannot choose well (it costs a LIMIT walk as if matches were spread evenly, and its estimates for prefix
 * terms are guesses), so we decide from its row estimates, taken apart: the matches of each alternative of
 * the search with the other filters (the most common one decides, since the walk stops at whichever
 * matches). The walk reads the sort index, which holds every case (a filter does not shorten it), so the
 * expected rows walked = (limit + 1) × cases ÷ matches (÷ INDEPENDENCE_MARGIN when other filters take part);
 * under WALK_ROWS we walk, else we collect. One EXPLAIN, ~1 ms, reused for a minute (the same list paged or
 * re-read on a live update); none for a whole protocol (its primary key) or an exact e-mail or CPF (always
 * collected). No timeout, so a loaded
 * machine does not turn a fast walk into a slow fallback. Both plans return the same rows in the same
 * order; only speed differs. `filters` are the list's other conditions, without the cursor's.
 */
export async function shouldWalk(
  db: Database,
  filters: SQL[],
  search: SearchCondition,
  limit: number,
): Promise<boolean> {
  if (search.plan) return search.plan === 'primary-key';
  const base = filters.length ? and(...filters) : undefined;
  const [filtered = 0, ...matches] = await estimates(db, [
    base,
    ...search.parts.map((p) => and(...filters, p)),
  ]);
  const best = Math.max(1, ...matches);
  if (!filters.length) return ((limit + 1) * filtered) / best <= WALK_ROWS;
  const cases = Math.max(filtered, (await searchStats(db)).rows);
  return ((limit + 1) * cases * INDEPENDENCE_MARGIN) / best <= WALK_ROWS;
}
