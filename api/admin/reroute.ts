// After routing rules change (issue 10 item 9): the open cases whose group the rules would now choose
// differently. Routing runs on registration and reclassification only, so an edit moves nothing by
// itself; the admin sees how many cases it concerns and may re-route them, each by a reclassification
// of the case (same kind, new group; recorded on its timeline with the reason), as a calendar edit is
// signalled to the open cases.
import { and, asc, gt, notInArray } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { activeRules, chooseGroup } from '../../db/queries/routing.ts';
import { manifestations as m } from '../../db/schema.ts';
import { finalStatuses } from '../../workflows/transitions.ts';
import { runAction } from '../manifestations/service.ts';
import type { AppDeps } from '../types.ts';

export const REROUTE_REASON = 'Regras de roteamento alteradas pela administração';

type OpenCase = {
  protocol: string;
  kind: string;
  topic: string | null;
  item: string | null;
  channel: string;
  group: string | null;
};

/** Every open case whose stored group differs from what the current rules choose (paged by protocol). */
export async function casesToReroute(
  db: Database,
  pageSize = 500,
): Promise<(OpenCase & { to: string | null })[]> {
  const rules = await activeRules(db);
  const route = (c: OpenCase) => chooseGroup(rules, c);
  const out: (OpenCase & { to: string | null })[] = [];
  let after = '';
  for (;;) {
    const page = await db
      .select({
        protocol: m.protocol,
        kind: m.kind,
        topic: m.topic,
        item: m.item,
        channel: m.channel,
        group: m.groupCode,
      })
      .from(m)
      .where(and(notInArray(m.status, [...finalStatuses]), gt(m.protocol, after)))
      .orderBy(asc(m.protocol))
      .limit(pageSize);
    for (const c of page) {
      const to = route(c);
      if (to !== c.group) out.push({ ...c, to });
    }
    if (page.length < pageSize) return out;
    after = page[page.length - 1]!.protocol;
  }
}

export type RerouteReport = { rerouted: number; failed: number };

/**
 * Re-routes the open cases the rules now send elsewhere: a reclassification of each (same kind; the API
 * evaluates the rules again), by `actor`, in bounded batches. A case that cannot be reclassified now
 * (a concurrent close, a workflow error) is counted in `failed` and logged.
 */
export async function rerouteOpenCases(
  deps: AppDeps,
  actor: string,
  opts: { concurrency?: number } = {},
): Promise<RerouteReport> {
  const todo = await casesToReroute(deps.db);
  const concurrency = opts.concurrency ?? 10;
  const report: RerouteReport = { rerouted: 0, failed: 0 };
  for (let i = 0; i < todo.length; i += concurrency) {
    const batch = todo.slice(i, i + concurrency);
    const results = await Promise.allSettled(
      batch.map((c) =>
        runAction(deps, c.protocol, 'reclassify', { kind: c.kind as never, reason: REROUTE_REASON }, actor),
      ),
    );
    results.forEach((r, j) => {
      if (r.status === 'fulfilled') report.rerouted++;
      else {
        report.failed++;
        console.warn(`reroute ${batch[j]?.protocol}: ${String(r.reason)}`);
      }
    });
  }
  return report;
}
