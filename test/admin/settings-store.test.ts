// The settings store (db/queries/settings.ts): defaults keep today's behaviour, a write is merged over
// them, validated (field errors, nothing changed), audited before → after, and read back at once.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { settingsDefaults } from '../../config/settings.ts';
import { readSettings, writeSettings } from '../../db/queries/settings.ts';
import { auditLog, settings } from '../../db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => handle?.drop());

describe('settings store', () => {
  it('reads the defaults on a fresh database (everything on, 20-day auto-close, 30-day reopen window)', async () => {
    const s = await readSettings(handle.db);
    expect(s).toEqual(settingsDefaults);
    expect(s['features.anonymousFiling']).toBe(true);
    expect(s['cases.autoCloseDays']).toBe(20);
    expect(s['cases.reopenWindowDays']).toBe(30);
  });

  it('stores a patch over the defaults, audits before → after, and reads it back at once', async () => {
    const s = await writeSettings(
      handle.db,
      { id: 'admin-1', ip: '10.0.0.1' },
      { 'org.name': '  Ouvidoria de Exemplo ', 'features.anonymousFiling': false },
    );
    expect(s['org.name']).toBe('Ouvidoria de Exemplo');
    expect(s['features.anonymousFiling']).toBe(false);
    expect(s['features.partialRatings']).toBe(true);
    expect((await readSettings(handle.db))['features.anonymousFiling']).toBe(false);
    const rows = await handle.db.select().from(auditLog).where(eq(auditLog.action, 'settings.update'));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.actor).toBe('admin-1');
    expect(rows[0]?.ip).toBe('10.0.0.1');
    expect(rows[0]?.data).toMatchObject({
      entity: 'settings',
      before: { 'org.name': '', 'features.anonymousFiling': true },
      after: { 'org.name': 'Ouvidoria de Exemplo', 'features.anonymousFiling': false },
    });
  });

  it('refuses invalid values with pt-BR field errors and changes nothing', async () => {
    const before = await handle.db.select().from(settings);
    const err = await writeSettings(
      handle.db,
      { id: 'admin-1' },
      {
        'cases.autoCloseDays': 0,
        'org.intakeAddress': 'not-an-address',
        'features.partialRatings': false,
      },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZodError);
    const paths = (err as ZodError).issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['cases.autoCloseDays', 'org.intakeAddress']));
    expect((err as ZodError).issues.find((i) => i.path[0] === 'cases.autoCloseDays')?.message).toBe(
      'O mínimo é 1 dia.',
    );
    expect(await handle.db.select().from(settings)).toEqual(before);
    expect((await readSettings(handle.db))['features.partialRatings']).toBe(true);
  });

  it('refuses unknown keys', async () => {
    const err = await writeSettings(handle.db, { id: 'admin-1' }, { 'org.nome': 'x' } as never).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ZodError);
    expect((err as ZodError).issues[0]?.message).toContain('org.nome');
  });

  it('does not audit a write that changes nothing', async () => {
    const n = (await handle.db.select().from(auditLog)).length;
    await writeSettings(handle.db, { id: 'admin-1' }, { 'features.anonymousFiling': false });
    expect(await handle.db.select().from(auditLog)).toHaveLength(n);
  });
});
