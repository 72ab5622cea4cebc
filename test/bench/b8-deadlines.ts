// B8 deadlines. (1) `count` business-calendar deadline computations (computeDeadline: 10 business days
// on the organisation's default calendar with Brazilian holidays, with its pt-BR explanation) against
// the same count of plain date additions (epoch ms + 10 × 24 h, written as ISO like the deadline):
// what the business rules cost over the cheapest possible date maths.
// (2) `timers` alarms due within the same minute, one workflow each, waiting as the case workflow waits
// (condition with a timeout), on the time-skipping test server: all must fire; how late the last one woke.
// Their results are read through a plain client: the time-skipping client's result() unlocks and locks
// the server's clock around every call, and a thousand of those left its lock count unbalanced (the
// server logged "Unbalanced lock and unlock calls" and stopped skipping).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { computeDeadline, defaultCalendar } from '../../activities/sla/calendar.ts';
import type { Figure } from './support/figures.ts';
import { drive } from './support/stats.ts';

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
  for (let i = 0; i < opts.count; i++)
    sink += new Date(Date.parse(at(i)) + 10 * 86_400_000).toISOString().length;
  const plain = performance.now() - t1;
  if (sink === 0) throw new Error('nothing computed');
  const each = (totalMs: number) => Math.round((totalMs / opts.count) * 100_000) / 100; // µs, 0.01 precision
  const [perOurs, perPlain] = [each(ours), each(plain)];
  return [
    {
      id: 'B8.calendar',
      name: `business-day deadline vs plain date addition, µs each (${opts.count.toLocaleString('en')} of each)`,
      ours: perOurs,
      reference: perPlain,
      unit: 'µs',
      ratio: ours / plain,
      errors: 0,
      detail: { totalMs: Math.round(ours), referenceTotalMs: Math.round(plain) },
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
    const plain = new Client({ connection: env.connection, namespace: env.namespace ?? 'default' });
    return await worker.runUntil(async () => {
      // all due within one minute, a day from now on the server's (skipped) clock
      const due = Date.now() + 86_400_000;
      const ids = Array.from({ length: count }, (_, i) => `timer-${i}-${randomBytes(3).toString('hex')}`);
      const started = await drive(count, 50, (i) =>
        plain.workflow.start('timerAt', {
          taskQueue,
          workflowId: ids[i]!,
          workflowExecutionTimeout: '30 days',
          args: [due + Math.floor((i * 60_000) / count)],
        }),
      );
      if (started.errors.length) throw new Error(`timers not started: ${started.errors[0]}`);
      const t0 = performance.now();
      await env.sleep('2 days'); // skips to past the last one
      const lags: number[] = [];
      const read = await drive(count, 50, async (i) => {
        lags.push((await plain.workflow.getHandle(ids[i]!).result()) as number);
      });
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
        detail: { fired, wallMs: Math.round(wall), errors: read.errors.slice(0, 3) },
      } satisfies Figure;
    });
  } finally {
    await env.teardown();
  }
}
