// Reference data read on every filing, notification and case page (issue 14): the active routing rules,
// which event mails whom, status display names, edited e-mail templates, the staff e-mail addresses. Each
// read is kept for REFERENCE_CACHE_MS per database and key; every write of that data through db/queries or
// the admin services calls referenceDataChanged(), which drops it in this process at once (an embedded
// server is also its worker). Another process (`npm run worker` beside `npm run server`) sees an admin's
// edit within REFERENCE_CACHE_MS, as with settings (db/queries/settings.ts).
import type { Database } from '../client.ts';

/** How long a read stays cached (ms). */
export const REFERENCE_CACHE_MS = 5_000;

type Entry = { at: number; generation: number; value: Promise<unknown> };
let generation = 0;
const caches = new WeakMap<Database, Map<string, Entry>>();

/** Drops every cached read in this process (called by each write of reference data; tests writing rows directly). */
export function referenceDataChanged(): void {
  generation += 1;
}

/**
 * `read()` once per `key` and database for REFERENCE_CACHE_MS, or until referenceDataChanged(). Concurrent
 * callers share the read in flight; a failed read is not kept (the next caller reads again). Callers must
 * not mutate the value they get: it is shared. `read` may return a drizzle query builder: it runs once.
 */
export function cachedReference<T>(db: Database, key: string, read: () => PromiseLike<T>): Promise<T> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const hit = cache.get(key);
  if (hit && hit.generation === generation && Date.now() - hit.at < REFERENCE_CACHE_MS)
    return hit.value as Promise<T>;
  // settled once into a real promise: a drizzle query builder is a lazy thenable that runs its statement
  // again on every `await` (kept as it was, the cache would have saved nothing)
  const entry: Entry = { at: Date.now(), generation, value: settle(read) };
  cache.set(key, entry);
  entry.value.catch(() => {
    if (cache.get(key) === entry) cache.delete(key);
  });
  return entry.value as Promise<T>;
}

async function settle<T>(read: () => PromiseLike<T>): Promise<T> {
  return await read();
}
