// One measured figure of the bench: ours beside a same-run reference, their ratio, and the target.

export type Target = {
  /** `ratio` compares ours/reference; `ours` compares the raw figure (e.g. p99 ≤ raw p99 + 100 ms). */
  of: 'ratio' | 'ours';
  op: '<=' | '>=';
  value: number;
};

export type Figure = {
  /** Stable id (B2.throughput, B9.list.full …) so runs can be compared. */
  id: string;
  name: string;
  ours: number;
  reference: number | null;
  unit: string;
  /** ours / reference (null without a reference). */
  ratio: number | null;
  target?: Target;
  /** Calls that failed while measuring this figure (every bench expects 0). */
  errors: number;
  detail?: unknown;
};

/** Whether the figure meets its target: true, false, or null when it has none. */
export function met(f: Figure): boolean | null {
  if (!f.target) return f.errors ? false : null;
  const x = f.target.of === 'ratio' ? f.ratio : f.ours;
  if (x === null || Number.isNaN(x) || f.errors) return false;
  return f.target.op === '<=' ? x <= f.target.value : x >= f.target.value;
}
