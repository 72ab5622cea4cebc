// ORG_TIMEZONE reaches the deadlines: on first start the seeded default calendar takes the
// organisation's timezone, and the start day is the local day there. Checked against an independent
// oracle (Python `holidays` + the art. 66 rule; test/fixtures/sla-oracle/generate.py) in Manaus
// (UTC−4) and Fernando de Noronha (UTC−2), including starts late in the local evening.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createDeadlineActivities,
  DEFAULT_POLICIES,
  loadCalendar,
  planWith,
} from '../../activities/deadline.ts';
import { adoptOrgTimezone, getCalendar } from '../../db/queries/sla.ts';
import type { DeadlineRequest, DeadlineScope } from '../../workflows/sla-types.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

type OracleCase = {
  timezone: string;
  start: string;
  case: string;
  caseExtended: string;
  unit: string;
  unitExtended: string;
};
const oracle: { cases: OracleCase[] } = JSON.parse(
  readFileSync(new URL('../fixtures/sla-oracle/oracle.json', import.meta.url), 'utf8'),
);

const opened: TestDatabase[] = [];
afterAll(async () => Promise.all(opened.map((h) => h.drop())));

const req = (scope: DeadlineScope, start: string, extensions: number): DeadlineRequest => ({
  scope,
  kind: 'complaint',
  priority: 'normal',
  item: null,
  start,
  pauses: [],
  extensions,
});

describe.each(['America/Manaus', 'America/Noronha'])('ORG_TIMEZONE=%s', (zone) => {
  it('the default calendar takes the organisation timezone on first start, once', async () => {
    const handle = await createTestDatabase({ orgTimezone: zone });
    opened.push(handle);
    const calendar = await getCalendar(handle.db, 'default');
    expect(calendar).toMatchObject({ timezone: zone, timezoneFromEnv: false });
    // A later start with another ORG_TIMEZONE leaves the calendar alone: admins own it from now on.
    expect(await adoptOrgTimezone(handle.db, 'America/Sao_Paulo')).toEqual([]);
    expect((await getCalendar(handle.db, 'default'))?.timezone).toBe(zone);

    // The activity end to end (database policy and calendar) for a sample, the same planner on the
    // loaded calendar for all of them (keeps the suite quick on a small machine).
    const { planDeadline } = createDeadlineActivities({ db: handle.db, timezone: zone });
    const loaded = await loadCalendar(handle.db, 'default');
    if (!loaded) throw new Error('no default calendar');
    const cases = oracle.cases.filter((c) => c.timezone === zone);
    expect(cases.length).toBeGreaterThanOrEqual(150);
    const wrong: string[] = [];
    for (const [i, c] of cases.entries()) {
      const due = async (scope: DeadlineScope, extensions: number) =>
        i < 40
          ? (await planDeadline(req(scope, c.start, extensions))).dueAt
          : planWith(req(scope, c.start, extensions), DEFAULT_POLICIES[scope], loaded.calendar, 1).dueAt;
      const got = {
        case: await due('case', 0),
        caseExtended: await due('case', 1),
        unit: await due('unit', 0),
        unitExtended: await due('unit', 1),
      };
      for (const key of ['case', 'caseExtended', 'unit', 'unitExtended'] as const)
        if (got[key] !== c[key]) wrong.push(`${c.start} ${key}: got ${got[key]}, oracle ${c[key]}`);
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
