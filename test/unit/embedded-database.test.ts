// The embedded database (db/pglite-thread.ts, db/pglite-socket.ts): PGlite on its own thread, reached by
// postgres.js over the wire protocol. Always PGlite here, whatever DATABASE_URL says (CI runs every other
// test on a PostgreSQL server): what `npm start` and the bench run on.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../db/client.ts';
import { startEmbeddedDatabase } from '../../db/pglite-socket.ts';
import { settings } from '../../db/schema.ts';

let h: DatabaseHandle;
const dir = mkdtempSync(path.join(os.tmpdir(), 'ouvidor-embedded-'));

beforeAll(async () => {
  h = await openDatabase({ dataDir: dir });
}, 60_000);
afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('embedded database on its own thread', () => {
  it('is migrated and answers the query builder and raw SQL, with text as stored', async () => {
    expect(h.kind).toBe('pglite');
    const [row] = await h.db.execute<{ s: string; n: number }>(sql`select 'manifestação' as s, 41 + 1 as n`);
    expect(row).toEqual({ s: 'manifestação', n: 42 });
    const found = await h.db.select().from(settings).where(eq(settings.key, 'nothing-here'));
    expect(found).toEqual([]);
  });

  it('keeps a failed transaction out, and the session usable after an error', async () => {
    await expect(
      h.db.transaction(async (tx) => {
        await tx.insert(settings).values({ key: 'embedded.test', value: 1 });
        await tx.execute(sql`select * from no_such_table`);
      }),
    ).rejects.toThrow(/no_such_table/);
    expect(await h.db.select().from(settings).where(eq(settings.key, 'embedded.test'))).toEqual([]);
    const [row] = await h.db.execute<{ ok: number }>(sql`select 1 as ok`);
    expect(row?.ok).toBe(1);
  });

  it('runs many statements at once on its one session, each answered with its own result', async () => {
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => h.db.execute<{ i: number }>(sql`select ${i}::int as i`)),
    );
    expect(answers.map((r) => r[0]?.i)).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('delivers NOTIFY to LISTEN on commit (live pages), and no more after the listener stops', async () => {
    const heard: string[] = [];
    const stop = await h.listen('embedded_test', (p) => heard.push(p));
    await h.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_notify('embedded_test', 'OUV-2026-000001')`);
      expect(heard).toEqual([]); // not before the commit
    });
    await h.db.execute(sql`select pg_notify('embedded_test', 'OUV-2026-000002')`);
    await expect.poll(() => heard).toEqual(['OUV-2026-000001', 'OUV-2026-000002']);
    await stop();
    await h.db.execute(sql`select pg_notify('embedded_test', 'OUV-2026-000003')`);
    await new Promise((r) => setTimeout(r, 50));
    expect(heard).toHaveLength(2);
  });

  it('keeps what was written across a close and a new open of the same directory', async () => {
    await h.db.insert(settings).values({ key: 'embedded.kept', value: 'sim' });
    await h.close();
    h = await openDatabase({ dataDir: dir });
    const [row] = await h.db.select().from(settings).where(eq(settings.key, 'embedded.kept'));
    expect(row?.value).toBe('sim');
    await h.db.delete(settings).where(eq(settings.key, 'embedded.kept'));
  }, 60_000);

  it('serves two connections at once without mixing their statements or transactions', async () => {
    const e = await startEmbeddedDatabase('memory://');
    const client = () => postgres({ socket: e.socket, max: 1, onnotice: () => {} } as never);
    const [a, b] = [client(), client()];
    try {
      await a`create table t (n int)`;
      // b's statements interleave with a's transaction: none of them runs inside it
      const tx = a.begin(async (sql) => {
        await sql`insert into t values (${1})`;
        await new Promise((r) => setTimeout(r, 20));
        await sql`insert into t values (${2})`;
        throw new Error('rolled back');
      });
      const reads = Promise.all(
        Array.from({ length: 50 }, (_, i) => b<{ i: number }[]>`select ${i}::int as i`.then((r) => r[0]?.i)),
      );
      await expect(tx).rejects.toThrow('rolled back');
      expect(await reads).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(await b`select count(*)::int as n from t`).toEqual([{ n: 0 }]);
      // prepared statements of both, pipelined at once, each answered with its own values
      const both = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 ? a : b)<{ v: string }[]>`select ${`v${i}`}::text as v`.then((r) => r[0]?.v),
        ),
      );
      expect(both).toEqual(Array.from({ length: 40 }, (_, i) => `v${i}`));
    } finally {
      await a.end();
      await b.end();
      await e.close();
    }
  });
});
