// B8 deadlines. (1) `count` business-calendar deadline computations (computeDeadline: 10 business days
// on the organisation's default calendar with Brazilian holidays) against the same count of plain date
// additions (10 calendar days with Temporal, no calendar rules): how much the business rules cost.
// (2) `timers` alarms due within the same minute, one workflow each, waiting as the case workflow waits
// (condition with a timeout), on the time-skipping test server: all must fire; how late the last one woke.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { Temporal } from 'temporal-polyfill';
import { computeDeadline, defaultCalendar } from '../../activities/sla/calendar.ts';
import type { Figure } from './support/figures.ts';

export async function benchDeadlines(opts: { count: number; timers: number }): Promise<Figure[]> {
  const cal = defaultCalendar();
  const start = Date.parse('2026-01-05T12:00:00Z');
  const at = (i: number) => new Date(start + (i % 4000) * 3_600_000).toISOString();
  let sink = 0;
  const t0 = performance.now();
  for (let i = 0; i < opts.count; i++) {
    const r = computeDeadline({ start: at(i), unit: 'business_days', amount: 10, calendar: cal });
    sink += r.dueAt?.length ?? 0;
  }
  const ours = performance.now() - t0;
  const t1 = performance.now();
  for (let i = 0; i < opts.count; i++) {
    const z = Temporal.Instant.from(at(i)).toZonedDateTimeISO(cal.timezone).add({ days: 10 });
    sink += z.toString().length;
  }
  const plain = performance.now() - t1;
  if (sink === 0) throw new Error('nothing computed');
  return [
    {
      id: 'B8.calendar',
      name: `${opts.count.toLocaleString('en')} business-day deadlines vs plain date additions (ms in total)`,
      ours: Math.round(ours),
      reference: Math.round(plain),
      unit: 'ms',
      ratio: ours / plain,
      errors: 0,
      detail: { perComputationUs: Math.round((ours / opts.count) * 1000 * 10) / 10 },
    },
    await timersInOneMinute(opts.timers),
  ];
}

async function timersInOneMinute(count: number): Promise<Figure> {
  const found = spawnSync('sh', ['-c', 'command -v temporal-test-server'], {
    encoding: 'utf8',
  }).stdout.trim();
  const env = await TestWorkflowEnvironment.createTimeSkipping(
    found ? { server: { executable: { type: 'existing-path', path: found } } } : {},
  );
  try {
    const taskQueue = `bench-timers-${randomBytes(3).toString('hex')}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: fileURLToPath(new URL('./support/raw-workflow.ts', import.meta.url)),
    });
    return await worker.runUntil(async () => {
      // all due within one minute, a day from now on the server's (skipped) clock
      const now = Date.now();
      const due = now + 86_400_000;
      const handles = await Promise.all(
        Array.from({ length: count }, (_, i) =>
          env.client.workflow.start('timerAt', {
            taskQueue,
            workflowId: `timer-${i}-${randomBytes(3).toString('hex')}`,
            workflowExecutionTimeout: '30 days',
            args: [due + Math.floor((i * 60_000) / count)],
          }),
        ),
      );
      const t0 = performance.now();
      await env.sleep('2 days'); // skips to past the last one
      // in batches: a thousand long polls at once queue behind the connection's stream limit
      const lags: number[] = [];
      for (let i = 0; i < handles.length; i += 50)
        lags.push(...((await Promise.all(handles.slice(i, i + 50).map((h) => h.result()))) as number[]));
      const wall = performance.now() - t0;
      const fired = lags.length;
      return {
        id: 'B8.timers',
        name: `${count} alarms due in the same minute (time-skipping server): fired, and the last one's lag (ms)`,
        ours: Math.max(...lags),
        reference: null,
        unit: 'ms lag',
        ratio: null,
        errors: count - fired,
        detail: { fired, wallMs: Math.round(wall) },
      } satisfies Figure;
    });
  } finally {
    await env.teardown();
  }
}
