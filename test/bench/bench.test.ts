// `npm run bench` still runs end to end: the tiny configuration, every part, its own throw-away instance.
// No timed assertions (the figures go to the bench's JSON); this checks that each figure is measured with
// its reference, that nothing failed while measuring, and that the report is written.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { benchConfig } from './config.ts';
import { type BenchReport, runBench } from './run.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ouvidor-bench-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run bench (tiny configuration)', () => {
  it('measures every figure beside its same-run reference and writes the report', {
    timeout: 600_000,
  }, async () => {
    const out = path.join(dir, 'bench.json');
    const lines: string[] = [];
    const report = await runBench(benchConfig({ BENCH_SIZE: 'tiny', BENCH_OUT: out }), (l) => lines.push(l));
    const ids = report.figures.map((f) => f.id);
    for (const id of [
      'B2.throughput',
      'B2.p99',
      'B3.p95',
      'B7.rss.cached',
      'B7.rss.evicted',
      'B7.replay',
      'B8.calendar',
      'B8.timers',
      'B9.list.full',
      'B9.list.partial',
      'B9.case.full',
      'B9.case.partial',
      'B9.static',
      'soak.errors',
      'soak.heap',
    ])
      expect(ids).toContain(id);
    for (const f of report.figures) {
      expect(f.errors, `${f.id}: ${JSON.stringify(f.detail)}`).toBe(0);
      expect(Number.isFinite(f.ours), f.id).toBe(true);
      // the ratio is of the unrounded figures: within rounding of the printed ones
      if (f.reference) {
        const printed = f.ours / f.reference;
        expect(Math.abs(f.ratio! - printed), f.id).toBeLessThanOrEqual(
          0.05 * Math.max(f.ratio!, printed) + 1e-9,
        );
      }
    }
    expect(report.figures.find((f) => f.id === 'soak.errors')?.ours).toBe(0);
    // the B4/B5 case needs the 1M read model: skipped with the reason, not silently
    if (!process.env.BENCH_DATABASE_URL) expect(report.skipped.join('\n')).toMatch(/BENCH_DATABASE_URL/);
    const written = JSON.parse(readFileSync(out, 'utf8')) as BenchReport;
    expect(written.figures.map((f) => f.id)).toEqual(ids);
    expect(lines.some((l) => l.startsWith('B2.throughput'))).toBe(true);
  });
});
