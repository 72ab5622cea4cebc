// After a calendar or policy edit: tell every open case (Signal calendarChanged) so its workflow
// re-plans its deadlines. Paged over the read model and signalled in bounded batches; a case whose
// workflow is gone (WorkflowNotFoundError) is skipped, other failures are counted and logged.
import { WorkflowNotFoundError } from '@temporalio/client';
import { announceDeadlineDataChanged, openProtocols } from '../../db/queries/sla.ts';
import { type CalendarChanged, calendarChangedSignal } from '../../workflows/messages.ts';
import type { AppDeps } from '../types.ts';

export type SignalReport = { signalled: number; skipped: number; failed: number };

/**
 * Signals calendarChanged to every open case (paged over the read model, in bounded batches), after
 * telling every server process to drop its cached deadline data (db/queries/sla.ts). Returns how many were told, skipped (workflow gone) and failed (logged).
 */
export async function signalOpenCases(
  deps: Pick<AppDeps, 'db' | 'temporal'>,
  change: CalendarChanged,
  opts: { pageSize?: number; concurrency?: number } = {},
): Promise<SignalReport> {
  // every process drops its cached deadline data first: a filing planning now uses the new rules
  await announceDeadlineDataChanged(deps.db);
  return signalProtocols(deps, change, (after, limit) => openProtocols(deps.db, after, limit), opts);
}

/** Signals calendarChanged to the protocols `page(after, limit)` yields, page by page (ascending). */
export async function signalProtocols(
  deps: Pick<AppDeps, 'temporal'>,
  change: CalendarChanged,
  page: (after: string | null, limit: number) => Promise<string[]>,
  opts: { pageSize?: number; concurrency?: number } = {},
): Promise<SignalReport> {
  const pageSize = opts.pageSize ?? 500;
  const concurrency = opts.concurrency ?? 25;
  const report: SignalReport = { signalled: 0, skipped: 0, failed: 0 };
  let after: string | null = null;
  for (;;) {
    const protocols = await page(after, pageSize);
    for (let i = 0; i < protocols.length; i += concurrency) {
      const batch = protocols.slice(i, i + concurrency);
      const results = await Promise.allSettled(
        batch.map((protocol) =>
          deps.temporal.client.workflow.getHandle(protocol).signal(calendarChangedSignal, change),
        ),
      );
      results.forEach((r, j) => {
        if (r.status === 'fulfilled') report.signalled++;
        else if (r.reason instanceof WorkflowNotFoundError) report.skipped++;
        else {
          report.failed++;
          console.warn(`calendarChanged ${change.id} → ${batch[j]}: ${String(r.reason)}`);
        }
      });
    }
    if (protocols.length < pageSize) return report;
    after = protocols[protocols.length - 1] ?? null;
  }
}
