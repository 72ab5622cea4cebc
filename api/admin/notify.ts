// After a calendar or policy edit: tell every open case (Signal calendarChanged) so its workflow
// re-plans its deadlines. Paged over the read model and signalled in bounded batches; a case whose
// workflow is gone (WorkflowNotFoundError) is skipped, other failures are counted and logged.
import { WorkflowNotFoundError } from '@temporalio/client';
import { openProtocols } from '../../db/queries/sla.ts';
import { type CalendarChanged, calendarChangedSignal } from '../../workflows/messages.ts';
import type { AppDeps } from '../types.ts';

export type SignalReport = { signalled: number; skipped: number; failed: number };

export async function signalOpenCases(
  deps: Pick<AppDeps, 'db' | 'temporal'>,
  change: CalendarChanged,
  opts: { pageSize?: number; concurrency?: number } = {},
): Promise<SignalReport> {
  const pageSize = opts.pageSize ?? 500;
  const concurrency = opts.concurrency ?? 25;
  const report: SignalReport = { signalled: 0, skipped: 0, failed: 0 };
  let after: string | null = null;
  for (;;) {
    const page = await openProtocols(deps.db, after, pageSize);
    for (let i = 0; i < page.length; i += concurrency) {
      const batch = page.slice(i, i + concurrency);
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
    if (page.length < pageSize) return report;
    after = page[page.length - 1] ?? null;
  }
}
