// A select whose statement text is rendered once per shape and sent as a named prepared statement (issue 9
// item 9: a list must cost at most 1.5 × its SQL run directly). Profiled at 1M cases, the staff list's own
// cost beside its SQL was (per list, CPU of the Node process): drizzle rendering the statement, 0.4–0.55 ms
// at load 15 (of which ~0.2 ms the 23 columns of the select list, the same every time); and, because drizzle
// sends an unnamed statement, postgres.js asking for its parameter types first (Parse/Describe, then
// Bind/Execute: two round trips, and the statement parsed again on every list). Here the text of a shape is
// taken from drizzle once and reused; each call only collects its parameter values (a walk over the few
// conditions, not the select list), and postgres.js keeps the statement prepared on each connection: one
// round trip, no new parse. The plan is still made for each call's values (db/client.ts sets
// plan_cache_mode = force_custom_plan: a generic plan of the newest-first list read the whole table, 0.9 s).
import {
  Column,
  getTableName,
  Name,
  Param,
  Placeholder,
  QueryPromise,
  type SQL,
  StringChunk,
  sql,
  Table,
} from 'drizzle-orm';
import type { PgColumn, PgSession, SelectedFieldsOrdered } from 'drizzle-orm/pg-core';

/** Something a select can run on: the database or a transaction. */
export type Runner = { _: { session: Pick<PgSession, 'prepareQuery'> } };

type Entry = { sql: string } | 'uncacheable';
const SHAPES_KEPT = 500;
/** drizzle prepares only a named statement; postgres.js names each text itself, so the name is only a label */
const NAME = 'cached_select';
const shapes = new Map<string, Entry>();

/**
 * A textual image of `chunk` as drizzle renders it ('$' where a parameter goes) pushed onto `key`, its
 * parameter values in render order onto `params`; false when it holds something this walk does not know
 * (a placeholder, a subquery, a view, inlined parameters…): then the statement is not cached.
 */
function walk(chunk: unknown, key: string[], params: unknown[]): boolean {
  if (chunk === undefined) return true;
  if (chunk instanceof StringChunk) {
    key.push(chunk.value.join(''));
    return true;
  }
  if (Array.isArray(chunk)) {
    key.push('(');
    for (const c of chunk) {
      if (!walk(c, key, params)) return false;
      key.push(',');
    }
    key.push(')');
    return true;
  }
  // instanceof, not drizzle's is(): the columns and tables here are drizzle's own classes, and is() walks the
  // prototype chain on every miss (a third of drizzle's rendering time)
  if (chunk instanceof Column) {
    key.push(`${tableKey(chunk.table)}."${chunk.name}"`);
    return true;
  }
  if (chunk instanceof Table) {
    key.push(tableKey(chunk));
    return true;
  }
  if (chunk instanceof Name) {
    key.push(`"${chunk.value}"`);
    return true;
  }
  if (chunk instanceof Param) {
    if (chunk.value instanceof Placeholder) return false;
    const value = chunk.value === null ? null : chunk.encoder.mapToDriverValue(chunk.value);
    if (value !== null && typeof value === 'object' && 'queryChunks' in value) return false;
    params.push(value);
    key.push('$');
    return true;
  }
  if (chunk !== null && typeof chunk === 'object' && 'queryChunks' in chunk) {
    if ((chunk as { shouldInlineParams?: boolean }).shouldInlineParams) return false;
    for (const c of (chunk as SQL).queryChunks) if (!walk(c, key, params)) return false;
    return true;
  }
  // a query builder embedded in a statement (an insert in a CTE): drizzle renders its SQL in parentheses
  if (chunk instanceof QueryPromise && 'getSQL' in chunk && typeof chunk.getSQL === 'function') {
    const omit = (chunk as { shouldOmitSQLParens?: () => boolean }).shouldOmitSQLParens?.() ?? false;
    key.push(omit ? '[' : '([');
    if (!walk((chunk as { getSQL: () => SQL }).getSQL(), key, params)) return false;
    key.push(omit ? ']' : '])');
    return true;
  }
  if (
    chunk instanceof Placeholder ||
    (chunk !== null && typeof chunk === 'object' && !(chunk instanceof Date))
  )
    return false;
  // a plain value in a sql`` template is a parameter
  params.push(chunk);
  key.push('$');
  return true;
}

/** drizzle's key of a table's schema name (Table.Symbol.Schema, not in its types) */
const tableSchema = Symbol.for('drizzle:Schema');
const tableKey = (t: Table) =>
  `"${String((t as unknown as Record<symbol, unknown>)[tableSchema] ?? '')}"."${getTableName(t)}"`;

/** A drizzle select builder, as far as this file uses it. */
type Preparable<T> = {
  prepare: (name: string) => {
    execute: () => Promise<T[]>;
    getQuery: () => { sql: string; params: unknown[] };
  };
};

/**
 * A key for `parts` (same key, same statement text and parameters, given the same surrounding statement),
 * without drizzle's rendering; undefined when the walk does not know one of its pieces.
 */
export function statementKey(parts: unknown[]): string | undefined {
  const key: string[] = [];
  const params: unknown[] = [];
  if (!parts.every((p) => walk(p, key, params))) return undefined;
  return `${key.join('\u0001')}\u0002${JSON.stringify(params)}`;
}

const same = (a: unknown[], b: unknown[]) =>
  a.length === b.length &&
  a.every((x, i) => {
    const y = b[i];
    return x instanceof Date && y instanceof Date ? x.getTime() === y.getTime() : Object.is(x, y);
  });

/**
 * Runs the select `build()` makes on `runner`, as a named prepared statement. `shape` names everything of
 * the statement that `parts` do not show — which select, from where, in which order (e.g. `list:received`);
 * `parts` are every piece of the statement that holds parameters,
 * in the order drizzle renders them (select list, where, limit). Their walk gives the cache key and the
 * parameter values; only the first call of a shape renders (drizzle), and it is cached only when drizzle's
 * parameters equal the walk's — otherwise every call renders, as before. `fields` is the flat select list
 * `build()` uses (name → column or sql), to map the rows as drizzle does. Same rows as `build()` itself.
 */
export async function runPrepared<T>(
  runner: Runner,
  shape: string,
  fields: Record<string, PgColumn | SQL>,
  parts: unknown[],
  build: () => Preparable<T>,
): Promise<T[]> {
  const key: string[] = [shape, Object.keys(fields).join(',')];
  const params: unknown[] = [];
  const known = parts.every((p) => walk(p, key, params));
  const id = key.join('\u0001');
  const hit = known ? shapes.get(id) : 'uncacheable';
  if (hit && hit !== 'uncacheable') {
    const ordered: SelectedFieldsOrdered = Object.entries(fields).map(([path, field]) => ({
      path: [path],
      field,
    }));
    const prepared = runner._.session.prepareQuery({ sql: hit.sql, params }, ordered, NAME, true);
    return (await prepared.execute()) as T[];
  }
  const prepared = build().prepare(NAME);
  if (known && !hit) {
    const query = prepared.getQuery();
    remember(id, same(query.params, params) ? { sql: query.sql } : 'uncacheable');
  }
  return prepared.execute();
}

/** The part of a drizzle database this file needs to run a whole statement. */
type StatementRunner = Runner & { dialect: { sqlToQuery: (sql: SQL) => { sql: string; params: unknown[] } } };

/**
 * Runs the statement `statement` (any drizzle SQL, query builders embedded in it included — the projection's
 * data-modifying CTEs) as `db.execute` would, but renders its text only once per shape: `shape` names the
 * caller (e.g. `projection`), the walk of the statement gives the rest of the key and the parameter values.
 * Issue 14: drizzle rendering the projection's statement took 1.2 ms idle and 5–10 ms on the loaded main
 * thread, on every filing and every case event. A shape whose walk does not match drizzle's parameters is
 * never cached (every call renders, as before). Resolves with the rows the statement returns, as the driver
 * answers them (column names as selected, values unmapped).
 */
export async function executeCached(
  db: unknown,
  shape: string,
  statement: SQL,
): Promise<Array<Record<string, unknown>>> {
  const { _, dialect } = db as StatementRunner;
  const key: string[] = [shape];
  const params: unknown[] = [];
  const known = walk(statement, key, params);
  const id = key.join('\u0001');
  const hit = known ? shapes.get(id) : 'uncacheable';
  const query = hit && hit !== 'uncacheable' ? { sql: hit.sql, params } : dialect.sqlToQuery(statement);
  if (known && !hit) remember(id, same(query.params, params) ? { sql: query.sql } : 'uncacheable');
  return (await _.session.prepareQuery(query, undefined, NAME, false).execute()) as Array<
    Record<string, unknown>
  >;
}

function remember(id: string, entry: Entry) {
  if (shapes.size >= SHAPES_KEPT) shapes.delete(shapes.keys().next().value ?? '');
  shapes.set(id, entry);
}

/** A drizzle statement prepared with placeholders (`.prepare()`), as far as this file uses it. */
type PreparedStatement<T> = { execute: (values: Record<string, unknown>) => Promise<T> };

const PREPARED_KEPT = 200;
const preparedByDb = new WeakMap<object, Map<string, PreparedStatement<unknown>>>();

/**
 * The statement `build()` prepares (a drizzle builder with `sql.placeholder`s, then `.prepare(name)`), built
 * once per database object and `shape`: drizzle renders its text once, each call only fills the values
 * (`execute({...})`, each through its column's encoder, as a builder would). Issue 14: rendering the hot
 * writes of a citizen's e-mail (the inbound row's insert and update, the case's outbound rows) cost drizzle
 * 0.4–0.8 ms each idle and 1–3.6 ms on the loaded main thread, every message. `shape` must name everything
 * the statement's text depends on (e.g. the set of columns an update sets). Errors: those of `execute`.
 */
export function preparedOnce<T>(db: object, shape: string, build: () => PreparedStatement<T>) {
  let kept = preparedByDb.get(db);
  if (!kept) {
    kept = new Map();
    preparedByDb.set(db, kept);
  }
  let statement = kept.get(shape) as PreparedStatement<T> | undefined;
  if (!statement) {
    statement = build();
    if (kept.size < PREPARED_KEPT) kept.set(shape, statement);
  }
  return statement;
}

/**
 * `{ column: value }` as drizzle placeholders: the defined keys of `values`, sorted, a null one marked `k=`
 * (the shape of a statement that sets them), a placeholder for each non-null value and SQL `null` for a null
 * one (as a builder sends it: a column's encoder never sees null — a timestamp's would throw, a JSON
 * column's would store JSON `null`), and the values to fill the placeholders with.
 */
export function placeholdersFor(values: Record<string, unknown>) {
  const defined = Object.keys(values)
    .filter((k) => values[k] !== undefined)
    .sort();
  const given = defined.filter((k) => values[k] !== null);
  return {
    keys: defined.map((k) => (values[k] === null ? `${k}=` : k)),
    placeholders: Object.fromEntries(
      defined.map((k) => [k, values[k] === null ? sql`null` : sql.placeholder(k)]),
    ),
    filled: Object.fromEntries(given.map((k) => [k, values[k]])),
  };
}
