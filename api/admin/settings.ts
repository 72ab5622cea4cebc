// REST: /api/v1/admin/settings — Regras gerais (config/settings.ts): organisation, public site texts,
// feature switches, automatic close and reopen window. Admin reads and writes (the ombudsman reads).
//   GET   /settings            → {settings, defaults}
//   PATCH /settings {key: value, …} → {settings, signalled}   422 with fields keyed by setting
// Writes go through writeSettings (validated, audited before → after). A change of the automatic-close
// days re-plans the open cases; a change of the reopen window tells the closed cases still live.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { type Settings, settingsDefaults } from '../../config/settings.ts';
import { recentlyFinishedProtocols } from '../../db/queries/case-signals.ts';
import { readSettings, writeSettings } from '../../db/queries/settings.ts';
import { requireRole } from '../auth/session.ts';
import { readJson } from '../json.ts';
import { clientIp } from '../rate-limit.ts';
import type { AppDeps, AppEnv } from '../types.ts';
import { signalOpenCases, signalProtocols } from './notify.ts';

export const settingsRoutes = new Hono<AppEnv>();

const DAY = 86_400_000;

/**
 * Saves a patch of settings as `actor` and tells the cases it concerns. Returns the new settings and how
 * many cases were signalled. Throws the ZodError of writeSettings (→ 422) when a value is invalid.
 */
export async function saveSettings(
  deps: Pick<AppDeps, 'db' | 'temporal'>,
  actor: { id: string; ip?: string | null },
  patch: Partial<Settings>,
): Promise<{ settings: Settings; signalled: number }> {
  const before = await readSettings(deps.db);
  const settings = await writeSettings(deps.db, actor, patch);
  let signalled = 0;
  const change = { id: `settings-${randomUUID()}`, calendarVersion: 0 };
  if (settings['cases.autoCloseDays'] !== before['cases.autoCloseDays'])
    signalled += (await signalOpenCases(deps, change)).signalled;
  if (settings['cases.reopenWindowDays'] !== before['cases.reopenWindowDays']) {
    const days = Math.max(settings['cases.reopenWindowDays'], before['cases.reopenWindowDays']);
    const since = new Date(Date.now() - days * DAY);
    signalled += (
      await signalProtocols(deps, change, (after, limit) =>
        recentlyFinishedProtocols(deps.db, since, after, limit),
      )
    ).signalled;
  }
  return { settings, signalled };
}

settingsRoutes.get('/settings', async (c) => {
  requireRole(c, ['admin', 'ombudsman']);
  return c.json({ settings: await readSettings(c.var.deps.db), defaults: settingsDefaults });
});

settingsRoutes.patch('/settings', async (c) => {
  const user = requireRole(c, ['admin']);
  const body = (await readJson(c.req.raw)) as Partial<Settings>;
  const saved = await saveSettings(c.var.deps, { id: user.email, ip: clientIp(c) }, body);
  return c.json(saved);
});
