// Small statistics for the bench: percentiles over millisecond samples, and a bounded-concurrency driver.

/** The p-th percentile (0–100) of `xs` by nearest rank; NaN for no samples. */
export function percentile(xs: number[], p: number): number {
  if (!xs.length) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export type Latencies = { n: number; p50: number; p95: number; p99: number; max: number };

export function summarize(xs: number[]): Latencies {
  const r = (v: number) => Math.round(v * 10) / 10;
  return {
    n: xs.length,
    p50: r(percentile(xs, 50)),
    p95: r(percentile(xs, 95)),
    p99: r(percentile(xs, 99)),
    max: r(percentile(xs, 100)),
  };
}

/**
 * Runs `total` calls of `fn(i)` with at most `concurrency` in flight. Returns every call's latency (ms),
 * the throughput (calls per second over the whole run) and the errors (a failed call counts, its latency
 * does not).
 */
export async function drive(
  total: number,
  concurrency: number,
  fn: (i: number) => Promise<unknown>,
): Promise<{ latencies: number[]; perSecond: number; errors: string[] }> {
  const latencies: number[] = [];
  const errors: string[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        try {
          await fn(i);
          latencies.push(performance.now() - t0);
        } catch (err) {
          errors.push(err instanceof Error ? err.message : String(err));
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { latencies, perSecond: latencies.length / seconds, errors };
}

/**
 * Like `drive`, but with as many calls in flight as keep a call's latency near `targetMs` (Little's law:
 * every `windowMs` the limit becomes the last window's throughput × targetMs, between `min` and `max`).
 * Below saturation each window raises the limit (more in flight, more done); at saturation it holds the
 * queue at `targetMs` instead of growing it, so a server-side timeout longer than that is never met just
 * from queueing. `limits` are the in-flight limits it used, one per window.
 */
export async function driveAtLatency(
  total: number,
  opts: { targetMs: number; min?: number; max?: number; windowMs?: number },
  fn: (i: number) => Promise<unknown>,
): Promise<{ latencies: number[]; perSecond: number; errors: string[]; limits: number[] }> {
  const { targetMs, min = 4, max = 128, windowMs = 2000 } = opts;
  const latencies: number[] = [];
  const errors: string[] = [];
  const limits: number[] = [min];
  let limit = min;
  let inFlight = 0;
  let next = 0;
  let doneInWindow = 0;
  let windowStart = performance.now();
  const started = windowStart;
  await new Promise<void>((resolve) => {
    const pump = () => {
      const now = performance.now();
      if (now - windowStart >= windowMs) {
        const perMs = doneInWindow / (now - windowStart);
        limit = Math.max(min, Math.min(max, Math.round(perMs * targetMs), limit * 4));
        limits.push(limit);
        doneInWindow = 0;
        windowStart = now;
      }
      if (next >= total && inFlight === 0) return resolve();
      while (inFlight < limit && next < total) {
        const i = next++;
        inFlight++;
        const t0 = performance.now();
        fn(i)
          .then(
            () => latencies.push(performance.now() - t0),
            (err) => errors.push(err instanceof Error ? err.message : String(err)),
          )
          .finally(() => {
            inFlight--;
            doneInWindow++;
            pump();
          });
      }
    };
    pump();
  });
  const seconds = (performance.now() - started) / 1000;
  return { latencies, perSecond: latencies.length / seconds, errors, limits };
}
