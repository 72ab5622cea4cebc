// How common the words of the case search are, from the statistics PostgreSQL keeps anyway (pg_stats: the
// most common lexemes of each tsvector column and their frequencies, refreshed by ANALYZE), read once and
// kept per process for a few minutes. The search uses them only to choose a plan — which words to look up
// in the GIN index and which to test on the rows it returns, and whether an exact e-mail can skip the
// planner's estimate — never to decide which cases match, so stale or missing statistics cost speed only.
import { sql } from 'drizzle-orm';
import type { Database } from '../client.ts';

/** Frequency (0..1 of the rows) of each most common lexeme of a tsvector column; `min` = the rarest listed. */
export type LexemeFrequencies = { lexemes: Map<string, number>; min: number };
export type SearchStats = {
  /** rows of manifestations (pg_class.reltuples; 0 when never analyzed) */
  rows: number;
  search: LexemeFrequencies;
  reporter: LexemeFrequencies;
};

const empty = (): LexemeFrequencies => ({ lexemes: new Map(), min: 0 });
const TTL_MS = 5 * 60_000;
const cache = new WeakMap<object, { at: number; stats: Promise<SearchStats> }>();

async function load(db: Database): Promise<SearchStats> {
  const res: unknown = await db.execute(sql`
    select s.attname as column, s.most_common_elems::text::text[] as lexemes, s.most_common_elem_freqs as freqs,
      (select c.reltuples from pg_class c where c.oid = 'manifestations'::regclass) as rows
    from pg_stats s
    where s.schemaname = current_schema() and s.tablename = 'manifestations'
      and s.attname in ('search_vector', 'reporter_vector')`);
  // postgres.js answers an array of rows, PGlite an object with `rows`
  const rows = (Array.isArray(res) ? res : ((res as { rows?: unknown[] }).rows ?? [])) as {
    column: string;
    lexemes: string[] | null;
    freqs: number[] | null;
    rows: number | string | null;
  }[];
  const stats: SearchStats = { rows: 0, search: empty(), reporter: empty() };
  for (const r of rows) {
    stats.rows = Math.max(0, Number(r.rows ?? 0));
    const lexemes = r.lexemes ?? [];
    const freqs = (r.freqs ?? []).map(Number);
    // the frequencies list one per lexeme, then the minimum and the maximum of them
    const out: LexemeFrequencies = {
      lexemes: new Map(lexemes.map((l, i) => [l, freqs[i] ?? 0])),
      min: freqs[lexemes.length] ?? 0,
    };
    if (r.column === 'search_vector') stats.search = out;
    else stats.reporter = out;
  }
  return stats;
}

/** The statistics of this database, re-read at most every five minutes (a failed read: none, retried next time). */
export function searchStats(db: Database, now = Date.now()): Promise<SearchStats> {
  const hit = cache.get(db);
  if (hit && now - hit.at < TTL_MS) return hit.stats;
  const stats = load(db).catch(() => ({ rows: 0, search: empty(), reporter: empty() }));
  cache.set(db, { at: now, stats });
  return stats;
}

/**
 * A lower bound of the share of rows that a prefix term (an unaccented, lowercased word as the search box
 * sends it: "cidadao", "semaf") matches in a column: the summed frequencies of the listed lexemes it may
 * match. The lexemes are stems ("cidadao" is stored as "cidada"), and a stem is a prefix of its word or the
 * word itself, so a lexeme counts when it starts with the word, or the word starts with it and differs only
 * by a suffix of up to three letters. An approximation used only to choose a plan.
 */
export function prefixFrequency(f: LexemeFrequencies, word: string): number {
  let sum = 0;
  for (const [lexeme, freq] of f.lexemes)
    if (
      lexeme.startsWith(word) ||
      (lexeme.length >= 3 && word.startsWith(lexeme) && word.length - lexeme.length <= 3)
    )
      sum += freq;
  return Math.min(1, sum);
}
