// Bench cases contributed by areas (test/bench/cases/*.ts): each file's default export is a BenchCase.
// `npm run bench` runs every one it finds: those that need the 1M read model only when BENCH_DATABASE_URL
// names it (filled by `npm run bench:fixture`), those that need the running instance after the built-in
// figures. See the README, "Bench", for how to add one.
import { readdirSync } from 'node:fs';
import type { Figure } from './figures.ts';
import type { BenchInstance } from './instance.ts';

export type BenchCaseContext = {
  /** The read model filled by the fixture (BENCH_DATABASE_URL); set for `needs: 'readModel'`. */
  readModelUrl?: string;
  /** The throw-away Ouvidor; set for `needs: 'instance'`. */
  instance?: BenchInstance;
  /** Timed repetitions per scenario (BENCH_RUNS; the tiny configuration uses a few). */
  runs: number;
  /**
   * Timed repetitions per list for the millisecond-scale lists of B4 (BENCH_LIST_RUNS): a p95 of 30 runs is
   * their second-worst run, and a neighbour's burst then decides a ratio of two ~2 ms figures.
   */
  listRuns: number;
  log: (line: string) => void;
};

export type BenchCase = {
  /** Figure id prefix, e.g. 'B4', 'B6'. */
  id: string;
  title: string;
  needs: 'readModel' | 'instance';
  run: (ctx: BenchCaseContext) => Promise<Figure[]>;
};

/**
 * The cases of test/bench/cases/ that `only` (BENCH_ONLY's parts) asks for: every one for `cases`, else those
 * whose id it names (`BENCH_ONLY=B4`, `BENCH_ONLY=B4,B6`).
 */
export async function loadCases(only: ReadonlySet<string>): Promise<BenchCase[]> {
  const dir = new URL('../cases/', import.meta.url);
  const files = readdirSync(dir)
    .filter((f) => /\.ts$/.test(f) && !f.endsWith('.test.ts'))
    .sort();
  const out: BenchCase[] = [];
  for (const f of files) {
    const mod = (await import(new URL(f, dir).href)) as { default?: BenchCase };
    if (mod.default?.run && (only.has('cases') || only.has(mod.default.id))) out.push(mod.default);
  }
  return out;
}
