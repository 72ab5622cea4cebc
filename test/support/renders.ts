// Counts drizzle's statement renders on a database (its dialect's sqlToQuery), for the tests of statements
// rendered once (db/queries/statement-cache.ts).

/** Starts counting the renders of `db`; the returned function reads the count so far. */
export function countRenders(db: object): () => number {
  const dialect = (db as { dialect: { sqlToQuery: (...a: unknown[]) => unknown } }).dialect;
  const render = dialect.sqlToQuery.bind(dialect);
  let renders = 0;
  dialect.sqlToQuery = (...a: unknown[]) => {
    renders += 1;
    return render(...a);
  };
  return () => renders;
}
