// Bench sizes. `full` is what `npm run bench` measures; `tiny` (BENCH_SIZE=tiny) runs every figure in
// seconds, for the test that checks the bench still runs. Each number can be overridden by its variable.

export type BenchConfig = {
  intakes: number;
  /** B2 pairs (raw starts, then filings), back to back; the figures are the median pair's. */
  intakeRounds: number;
  concurrency: number;
  replies: number;
  /** B3 pairs (raw round trips, then replies), back to back; the figure is the median pair's ratio. */
  replyRounds: number;
  memoryCases: number;
  /** At most this many B7 registrations in flight while it fills the worker's cache (b7-memory.ts). */
  memoryConcurrency: number;
  calendarComputations: number;
  timers: number;
  soakSeconds: number;
  soakUsers: number;
  soakWindows: number;
  runs: number;
  listRuns: number;
  /** Which parts to run: B2, B3, B7, B8, B9, soak, and the bench cases by id (B4, B6) or all of them (`cases`); default all. */
  only: Set<string>;
  out: string;
};

const sizes = {
  full: {
    intakes: 400,
    intakeRounds: 3,
    concurrency: 16,
    replies: 100,
    replyRounds: 5,
    memoryCases: 10_000,
    memoryConcurrency: 128,
    calendarComputations: 1_000_000,
    timers: 1000,
    soakSeconds: 300,
    soakUsers: 8,
    soakWindows: 10,
    runs: 30,
    listRuns: 100,
  },
  tiny: {
    intakes: 6,
    intakeRounds: 1,
    concurrency: 2,
    replies: 3,
    replyRounds: 1,
    memoryCases: 6,
    memoryConcurrency: 2,
    calendarComputations: 1000,
    timers: 5,
    soakSeconds: 3,
    soakUsers: 2,
    soakWindows: 3,
    runs: 2,
    listRuns: 2,
  },
};

export const PARTS = ['B2', 'B3', 'B9', 'soak', 'B7', 'B8', 'cases'];

export function benchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const size = env.BENCH_SIZE === 'tiny' ? sizes.tiny : sizes.full;
  const num = (name: string, fallback: number) => {
    const v = env[name];
    if (v === undefined || v === '') return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number, got ${v}`);
    return n;
  };
  const only = (env.BENCH_ONLY ?? '').split(',').filter(Boolean);
  return {
    intakes: num('BENCH_INTAKES', size.intakes),
    intakeRounds: num('BENCH_INTAKE_ROUNDS', size.intakeRounds),
    concurrency: num('BENCH_CONCURRENCY', size.concurrency),
    replies: num('BENCH_REPLIES', size.replies),
    replyRounds: num('BENCH_REPLY_ROUNDS', size.replyRounds),
    memoryCases: num('BENCH_MEMORY_CASES', size.memoryCases),
    memoryConcurrency: num('BENCH_MEMORY_CONCURRENCY', size.memoryConcurrency),
    calendarComputations: num('BENCH_CALENDAR_COMPUTATIONS', size.calendarComputations),
    timers: num('BENCH_TIMERS', size.timers),
    soakSeconds: num('BENCH_SOAK_SECONDS', size.soakSeconds),
    soakUsers: num('BENCH_SOAK_USERS', size.soakUsers),
    soakWindows: num('BENCH_SOAK_WINDOWS', size.soakWindows),
    runs: num('BENCH_RUNS', size.runs),
    listRuns: num('BENCH_LIST_RUNS', size.listRuns),
    only: new Set(only.length ? only : PARTS),
    out: env.BENCH_OUT ?? `bench-results/bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  };
}
