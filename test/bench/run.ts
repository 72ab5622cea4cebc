// `npm run bench`: every figure of issue 14 as a ratio to a reference measured in the same run, raw
// numbers beside it, written to a JSON file (BENCH_OUT, default bench-results/…) so runs can be compared.
// One throw-away Ouvidor (embedded Temporal + worker; PGlite, or a fresh database on the server of
// DATABASE_URL), run in production mode. Sizes and parts: test/bench/config.ts; the README, "Bench".
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchIntake } from './b2-intake.ts';
import { benchMailReply } from './b3-mail-reply.ts';
import { benchMemory } from './b7-memory.ts';
import { benchDeadlines } from './b8-deadlines.ts';
import { benchPageWeight } from './b9-page-weight.ts';
import { benchConfig } from './config.ts';
import { benchSoak } from './soak.ts';
import { loadCases } from './support/cases.ts';
import { type Figure, met } from './support/figures.ts';
import { type BenchInstance, startBenchInstance } from './support/instance.ts';

export type BenchReport = {
  startedAt: string;
  finishedAt: string;
  database: 'postgres' | 'pglite';
  machine: { cpus: number; node: string; platform: string };
  /** The machine's 1-minute load average when the run started and when it finished. */
  load: { start: number; end: number };
  /** Wall-clock seconds of each part (start = the throw-away instance, stop = its teardown) and in all. */
  seconds: Record<string, number>;
  config: Record<string, unknown>;
  figures: Figure[];
  skipped: string[];
};

/** Runs the bench with `config` and returns the report (also written to config.out). */
export async function runBench(
  config = benchConfig(),
  log = (l: string) => console.log(l),
): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const loadAtStart = os.loadavg()[0]!;
  const t0 = performance.now();
  const seconds: Record<string, number> = {};
  /** Runs one part and notes how long it took (logged, and in the report's `seconds`). */
  const timed = async <T>(part: string, fn: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await fn();
    } finally {
      seconds[part] = Math.round((performance.now() - started) / 100) / 10;
      log(`  ${part}: ${seconds[part]} s (load ${os.loadavg()[0]!.toFixed(1)})`);
    }
  };
  const figures: Figure[] = [];
  const skipped: string[] = [];
  const add = (fs: Figure[]) => {
    for (const f of fs) {
      figures.push(f);
      log(line(f));
    }
  };
  const on = (part: string) => config.only.has(part);
  const cases = await loadCases(config.only);
  const needsInstance =
    ['B2', 'B3', 'B9', 'soak', 'B7'].some(on) || cases.some((c) => c.needs === 'instance');
  let b: BenchInstance | undefined;
  let database: BenchReport['database'] = process.env.DATABASE_URL ? 'postgres' : 'pglite';
  log(
    `${'figure'.padEnd(22)} ${'ours'.padStart(10)} ${'reference'.padStart(10)} ${'ratio'.padStart(7)}  target`,
  );
  try {
    if (needsInstance) {
      b = await timed('start', startBenchInstance);
      database = b.database;
    }
    const i = b;
    // B3 before B2: B2's hundreds of filings and raw starts leave the Temporal server busy for about 30 s
    // after it has measured them, and a raw Signal + Query measured then took 1.4–1.8 s instead of 0.15–0.2.
    if (i && on('B3'))
      add(
        await timed('B3', () =>
          benchMailReply(i, {
            count: config.replies,
            concurrency: config.concurrency,
            rounds: config.replyRounds,
          }),
        ),
      );
    if (i && on('B2'))
      add(
        await timed('B2', () =>
          benchIntake(i, {
            count: config.intakes,
            concurrency: config.concurrency,
            rounds: config.intakeRounds,
          }),
        ),
      );
    if (i && on('B9'))
      add(
        await timed('B9', async () => {
          const res = await fetch(`${i.base}/api/v1/manifestations`, { headers: i.auth });
          const list = (await res.json()) as { items: Array<{ protocol: string }> };
          return benchPageWeight(i, list.items[0]!.protocol);
        }),
      );
    if (i && on('soak'))
      add(
        await timed('soak', () =>
          benchSoak(i, { seconds: config.soakSeconds, users: config.soakUsers, windows: config.soakWindows }),
        ),
      );
    for (const c of cases) {
      if (c.needs === 'readModel' && !process.env.BENCH_DATABASE_URL) {
        skipped.push(`${c.id} ${c.title}: set BENCH_DATABASE_URL (npm run bench:fixture fills it)`);
        continue;
      }
      add(
        await timed(c.id, () =>
          c.run({
            readModelUrl: process.env.BENCH_DATABASE_URL,
            instance: i,
            runs: config.runs,
            listRuns: config.listRuns,
            log,
          }),
        ),
      );
    }
    if (i && on('B7'))
      add(
        await timed('B7', () =>
          benchMemory(i, { count: config.memoryCases, concurrency: config.memoryConcurrency }, log),
        ),
      );
  } finally {
    if (b) await timed('stop', b.stop);
  }
  if (on('B8'))
    add(
      await timed('B8', () => benchDeadlines({ count: config.calendarComputations, timers: config.timers })),
    );
  seconds.total = Math.round((performance.now() - t0) / 100) / 10;
  for (const s of skipped) log(`skipped: ${s}`);
  const report: BenchReport = {
    startedAt,
    finishedAt: new Date().toISOString(),
    database,
    machine: {
      cpus: os.cpus().length,
      node: process.version,
      platform: process.platform,
    },
    load: { start: loadAtStart, end: os.loadavg()[0]! },
    seconds,
    config: { ...config, only: [...config.only] },
    figures,
    skipped,
  };
  mkdirSync(path.dirname(path.resolve(config.out)), { recursive: true });
  writeFileSync(config.out, `${JSON.stringify(report, null, 2)}\n`);
  const missed = figures.filter((f) => met(f) === false);
  log(
    missed.length
      ? `\n${missed.length} target(s) missed: ${missed.map((f) => f.id).join(', ')}`
      : '\nevery target met',
  );
  log(
    `took ${Math.floor(seconds.total / 60)} min ${Math.round(seconds.total % 60)} s (load ${loadAtStart.toFixed(1)} at the start, ${report.load.end.toFixed(1)} at the end)`,
  );
  log(`written to ${config.out}`);
  return report;
}

function line(f: Figure): string {
  const ok = met(f);
  const target = f.target
    ? `${f.target.of === 'ratio' ? 'ratio' : f.unit} ${f.target.op} ${f.target.value} ${ok ? 'ok' : 'MISS'}`
    : f.errors
      ? `${f.errors} errors`
      : '';
  const n = (x: number | null) => (x === null ? '—' : String(Math.round(x * 10) / 10));
  return `${f.id.padEnd(22)} ${`${n(f.ours)}`.padStart(10)} ${n(f.reference).padStart(10)} ${(f.ratio === null ? '—' : f.ratio.toFixed(2)).padStart(7)}  ${target}   ${f.name}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runBench();
  process.exit(0);
}
