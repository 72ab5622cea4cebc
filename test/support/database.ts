// A fresh database per test file: a new PostgreSQL database when TEST_DATABASE_ADMIN_URL or
// DATABASE_URL is set (CI), an in-memory PGlite otherwise.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type DatabaseHandle, openDatabase } from '../../db/client.ts';

export type TestDatabase = DatabaseHandle & { url: string | undefined; drop: () => Promise<void> };

/** `orgTimezone`: as ORG_TIMEZONE on first start (the seeded default calendar takes it). */
export async function createTestDatabase(opts: { orgTimezone?: string } = {}): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? process.env.DATABASE_URL;
  if (!adminUrl) {
    const handle = await openDatabase({ dataDir: 'memory://', ...opts });
    return { ...handle, url: undefined, drop: () => handle.close() };
  }
  const name = `ouvidor_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), dataDir: 'memory://', ...opts });
  return {
    ...handle,
    url: url.toString(),
    drop: async () => {
      await handle.close();
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await a.end();
    },
  };
}
