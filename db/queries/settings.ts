// Administered settings (config/settings.ts): stored rows merged over the defaults. Every reader goes
// through readSettings, cached like the other reference data (db/queries/reference-cache.ts: dropped on every
// write in this process, expired after REFERENCE_CACHE_MS so a separate worker process sees an admin's
// change within seconds).
import { inArray } from 'drizzle-orm';
import {
  type SettingKey,
  type Settings,
  settingKeys,
  settingsDefaults,
  settingsPatchSchema,
  settingsShape,
} from '../../config/settings.ts';
import type { Database } from '../client.ts';
import { settings } from '../schema.ts';
import { cachedReference, REFERENCE_CACHE_MS, referenceDataChanged } from './reference-cache.ts';
import { audit } from './users.ts';

/** How long a read stays cached (ms). Writes in the same process drop the cache at once. */
export const SETTINGS_CACHE_MS = REFERENCE_CACHE_MS;

/** Drops the cached settings (tests that write rows directly; a write through writeSettings does it). */
export function forgetSettings(_db: Database): void {
  referenceDataChanged();
}

/**
 * The current settings: every key, stored value over its default. A stored value that no longer passes
 * its schema (a key's rules tightened after it was saved) reads as the default rather than failing.
 */
export function readSettings(db: Database): Promise<Settings> {
  return cachedReference(db, 'settings', async () => {
    const rows = await db.select({ key: settings.key, value: settings.value }).from(settings);
    const value: Record<string, unknown> = { ...settingsDefaults };
    for (const row of rows) {
      const schema = settingsShape[row.key as SettingKey];
      if (!schema) continue;
      const parsed = schema.safeParse(row.value);
      if (parsed.success) value[row.key] = parsed.data;
    }
    return value as Settings;
  });
}

/**
 * Validates `patch` (any subset of the keys) and stores it in one transaction, then audits
 * `action: 'settings.update'` with `{entity:'settings', id: <changed keys>, before, after}` (only the keys
 * whose value changed). Throws the ZodError (field errors keyed by setting, pt-BR messages; the API
 * answers 422) and changes nothing when any value is invalid or a key is unknown. Returns the new settings.
 */
export async function writeSettings(
  db: Database,
  actor: { id: string; ip?: string | null },
  patch: Partial<Settings>,
): Promise<Settings> {
  const valid = settingsPatchSchema.parse(patch) as Partial<Settings>;
  forgetSettings(db);
  const current = await readSettings(db);
  const before: Partial<Record<SettingKey, unknown>> = {};
  const after: Partial<Record<SettingKey, unknown>> = {};
  for (const key of settingKeys) {
    if (!(key in valid)) continue;
    const next = valid[key];
    if (JSON.stringify(next) === JSON.stringify(current[key])) continue;
    before[key] = current[key];
    after[key] = next;
  }
  const changed = Object.keys(after) as SettingKey[];
  if (changed.length === 0) return current;
  const now = new Date();
  await db.transaction(async (tx) => {
    const rows = changed.map((key) => ({ key, value: after[key], updatedAt: now, updatedBy: actor.id }));
    await tx.delete(settings).where(inArray(settings.key, changed));
    await tx.insert(settings).values(rows);
    await audit(tx as unknown as Database, {
      actor: actor.id,
      action: 'settings.update',
      ip: actor.ip ?? null,
      data: { entity: 'settings', id: changed.join(','), before, after },
    });
  });
  forgetSettings(db);
  return readSettings(db);
}
