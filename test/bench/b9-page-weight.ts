// B9 page weight: bytes transferred for the list page (/painel) and a case page, full and as htmx
// partials, with Accept-Encoding: gzip, beside the same response uncompressed (the reference: the ratio
// is what compression saves). Targets (issue 14): list ≤ 50 KB, partial ≤ 10 KB transferred.
// Also checks that static assets are linked by hashed names with an immutable cache.
import type { Figure } from './support/figures.ts';
import { signIn, transfer } from './support/http.ts';
import type { BenchInstance } from './support/instance.ts';

const KB = 1024;

export async function benchPageWeight(b: BenchInstance, protocol: string): Promise<Figure[]> {
  const cookie = await signIn(b);
  const partial = { 'hx-request': 'true', 'hx-request-type': 'partial' };
  const pages: Array<[string, string, Record<string, string>, number | null]> = [
    ['B9.list.full', '/painel', {}, 50 * KB],
    ['B9.list.partial', '/painel', partial, 10 * KB],
    ['B9.case.full', `/painel/casos/${protocol}`, {}, null],
    ['B9.case.partial', `/painel/casos/${protocol}`, partial, 10 * KB],
  ];
  const figures: Figure[] = [];
  for (const [id, path, extra, limit] of pages) {
    const gz = await transfer(b.base, path, { cookie, 'accept-encoding': 'gzip', ...extra });
    const raw = await transfer(b.base, path, { cookie, ...extra });
    figures.push({
      id,
      name: `${path}${extra['hx-request'] ? ' (htmx partial)' : ''}: bytes gzipped vs uncompressed`,
      ours: gz.bytes,
      reference: raw.bytes,
      unit: 'B',
      ratio: gz.bytes / raw.bytes,
      ...(limit ? { target: { of: 'ours' as const, op: '<=' as const, value: limit } } : {}),
      errors: gz.status === 200 && raw.status === 200 && gz.encoding === 'gzip' ? 0 : 1,
      detail: { status: gz.status, encoding: gz.encoding ?? 'identity' },
    });
  }
  const html = await (await fetch(`${b.base}/painel`, { headers: { cookie } })).text();
  const assets = [...html.matchAll(/(?:href|src)="(\/static\/[^"]+)"/g)].map((m) => m[1]!);
  let immutable = 0;
  let weight = 0;
  for (const a of assets) {
    const res = await fetch(b.base + a, { headers: { 'accept-encoding': 'gzip' } });
    if (/immutable/.test(res.headers.get('cache-control') ?? '') && /\.[0-9a-f]{10}\./.test(a)) immutable++;
    weight += (await transfer(b.base, a, { 'accept-encoding': 'gzip' })).bytes;
  }
  figures.push({
    id: 'B9.static',
    name: 'static assets linked by the list page: hashed + immutable (count), gzipped bytes in detail',
    ours: immutable,
    reference: assets.length,
    unit: 'files',
    ratio: assets.length ? immutable / assets.length : null,
    target: { of: 'ratio', op: '>=', value: 1 },
    errors: 0,
    detail: { assets, gzippedBytes: weight },
  });
  return figures;
}
