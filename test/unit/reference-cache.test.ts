// The reference-data cache (db/queries/reference-cache.ts): one read per key for a few seconds, dropped at
// once by a write of that data in this process, never keeping a failed read.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../db/client.ts';
import {
  cachedReference,
  REFERENCE_CACHE_MS,
  referenceDataChanged,
} from '../../db/queries/reference-cache.ts';

const fakeDb = () => ({}) as Database;

afterEach(() => {
  vi.useRealTimers();
});

describe('reference cache', () => {
  it('reads once per key and database while fresh, and again after a write or the time limit', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const db = fakeDb();
    let reads = 0;
    const read = async () => ++reads;
    expect(await cachedReference(db, 'k', read)).toBe(1);
    expect(await cachedReference(db, 'k', read)).toBe(1);
    expect(await cachedReference(fakeDb(), 'k', read)).toBe(2); // another database
    expect(await cachedReference(db, 'other', read)).toBe(3); // another key
    referenceDataChanged(); // an admin edit in this process
    expect(await cachedReference(db, 'k', read)).toBe(4);
    vi.setSystemTime(Date.now() + REFERENCE_CACHE_MS); // another process's edit shows after this long
    expect(await cachedReference(db, 'k', read)).toBe(5);
  });

  it('runs a lazy query (a drizzle builder, which runs again on every await) once', async () => {
    const db = fakeDb();
    let runs = 0;
    // biome-ignore lint/suspicious/noThenProperty: a thenable that runs on every await, as a drizzle builder does
    const lazy = { then: (ok: (v: number) => void) => ok(++runs) } as PromiseLike<number>;
    expect(await cachedReference(db, 'lazy', () => lazy)).toBe(1);
    expect(await cachedReference(db, 'lazy', () => lazy)).toBe(1);
    expect(runs).toBe(1);
  });

  it('shares a read in flight and does not keep one that failed', async () => {
    const db = fakeDb();
    let reads = 0;
    const failing = async () => {
      reads += 1;
      throw new Error('database down');
    };
    const a = cachedReference(db, 'k', failing);
    const b = cachedReference(db, 'k', failing);
    await expect(a).rejects.toThrow('database down');
    await expect(b).rejects.toThrow('database down');
    expect(reads).toBe(1);
    expect(await cachedReference(db, 'k', async () => 'back')).toBe('back');
  });
});
