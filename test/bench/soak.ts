// Soak: `seconds` of mixed traffic from `users` concurrent clients — filings, staff list views and case
// views, staff notes, citizens' e-mail replies over SMTP — reporting errors (must be 0), latency
// percentiles per time window, and memory over time (resident and heap after GC; must stay flat).
import { randomBytes } from 'node:crypto';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import nodemailer from 'nodemailer';
import { replyAddress } from '../../activities/email/reply-token.ts';
import { fileOne } from './b2-intake.ts';
import type { Figure } from './support/figures.ts';
import { clientFetch, describeError, retries } from './support/http.ts';
import type { BenchInstance } from './support/instance.ts';
import { summarize } from './support/stats.ts';

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

type Sample = { at: number; op: string; ms: number };

export async function benchSoak(
  b: BenchInstance,
  opts: { seconds: number; users: number; windows: number },
): Promise<Figure[]> {
  const known: Array<{ protocol: string; email: string }> = [];
  const fileIdentified = async (i: number) => {
    const email = `soak${i}.${randomBytes(3).toString('hex')}@example.org`;
    const res = await clientFetch(`${b.base}/api/v1/manifestations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomBytes(12).toString('hex') },
      body: JSON.stringify({
        kind: 'complaint',
        subject: `Barulho noturno ${i}`,
        description: 'Som alto depois das 22h na praça do bairro, toda sexta-feira.',
        identity: 'identified',
        citizen: { name: `Morador ${i}`, email },
      }),
    });
    if (res.status !== 201) throw new Error(`file: ${res.status}`);
    known.push({ protocol: ((await res.json()) as { protocol: string }).protocol, email });
  };
  for (let i = 0; i < Math.max(4, opts.users); i++) await fileIdentified(i);
  // Each citizen's replies come from its own loopback address (127.1.x.y), as B3's do: the SMTP door
  // limits messages per client address (api/inbound/smtp-limits.ts: 60 a minute), and one address for
  // every citizen measured its 452 refusals (714 of 10,256 requests in an unloaded run), not replies.
  const transports = new Map<string, ReturnType<typeof nodemailer.createTransport>>();
  const smtpOf = (email: string) => {
    let t = transports.get(email);
    if (!t) {
      const n = transports.size;
      t = nodemailer.createTransport({
        host: '127.0.0.1',
        port: b.smtpPort,
        localAddress: `127.1.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`,
        secure: false,
        ignoreTLS: true,
      });
      transports.set(email, t);
    }
    return t;
  };
  const pick = () => known[Math.floor(Math.random() * known.length)]!;
  const ok = async (res: Response, what: string) => {
    await res.arrayBuffer();
    if (res.status >= 400) throw new Error(`${what}: ${res.status}`);
  };
  const ops: Array<[string, number, (i: number) => Promise<unknown>]> = [
    ['file', 2, (i) => (i % 2 ? fileOne(b, 50_000 + i) : fileIdentified(50_000 + i))],
    [
      'list',
      4,
      async () => ok(await clientFetch(`${b.base}/api/v1/manifestations`, { headers: b.auth }), 'list'),
    ],
    [
      'search',
      1,
      async () =>
        ok(await clientFetch(`${b.base}/api/v1/manifestations?q=barulho`, { headers: b.auth }), 'search'),
    ],
    [
      'case',
      2,
      async () =>
        ok(
          await clientFetch(`${b.base}/api/v1/manifestations/${pick().protocol}`, { headers: b.auth }),
          'case',
        ),
    ],
    [
      'note',
      1,
      async (i) =>
        ok(
          await clientFetch(`${b.base}/api/v1/manifestations/${pick().protocol}/actions/note`, {
            method: 'POST',
            headers: {
              ...b.auth,
              'content-type': 'application/json',
              'idempotency-key': randomBytes(12).toString('hex'),
            },
            body: JSON.stringify({ text: `Nota de acompanhamento ${i}`, visibility: 'internal' }),
          }),
          'note',
        ),
    ],
    [
      'reply',
      1,
      async (i) => {
        const c = pick();
        await smtpOf(c.email).sendMail({
          from: c.email,
          to: replyAddress(b.running.deps.secret, 'bench.local', c.protocol, c.email),
          subject: `Re: [${c.protocol}] Manifestação registrada`,
          text: `Ainda está acontecendo (${i}).`,
        });
      },
    ],
  ];
  const weights = ops.reduce((n, [, w]) => n + w, 0);
  const choose = () => {
    let r = Math.random() * weights;
    for (const op of ops) {
      r -= op[1];
      if (r < 0) return op;
    }
    return ops[0]!;
  };
  const retriesBefore = { ...retries };
  const samples: Sample[] = [];
  const errors: string[] = [];
  const memory: Array<{ at: number; rss: number; heap: number }> = [];
  const started = Date.now();
  const end = started + opts.seconds * 1000;
  const sampler = setInterval(
    () => {
      gc();
      const m = process.memoryUsage();
      memory.push({ at: Date.now() - started, rss: m.rss, heap: m.heapUsed });
    },
    Math.max(250, (opts.seconds * 1000) / (opts.windows * 4)),
  );
  let n = 0;
  await Promise.all(
    Array.from({ length: opts.users }, async () => {
      while (Date.now() < end) {
        const [op, , fn] = choose();
        const i = n++;
        const t0 = performance.now();
        try {
          await fn(i);
          samples.push({ at: Date.now() - started, op, ms: performance.now() - t0 });
        } catch (err) {
          errors.push(`${op}: ${describeError(err)}`);
        }
      }
    }),
  );
  clearInterval(sampler);
  for (const t of transports.values()) t.close();
  const span = (opts.seconds * 1000) / opts.windows;
  const windows = Array.from({ length: opts.windows }, (_, w) => {
    const inWindow = samples.filter((s) => s.at >= w * span && s.at < (w + 1) * span);
    const mem = memory.filter((m) => m.at >= w * span && m.at < (w + 1) * span);
    const avg = (xs: number[]) => (xs.length ? xs.reduce((a, x) => a + x, 0) / xs.length : Number.NaN);
    return {
      fromS: Math.round((w * span) / 1000),
      ...summarize(inWindow.map((s) => s.ms)),
      perOp: Object.fromEntries(
        ops.map(([op]) => [op, summarize(inWindow.filter((s) => s.op === op).map((s) => s.ms)).p95]),
      ),
      rssMb: Math.round(avg(mem.map((m) => m.rss)) / 2 ** 20),
      heapMb: Math.round(avg(mem.map((m) => m.heap)) / 2 ** 20),
    };
  });
  // the first and last windows that saw requests and memory samples (a tiny run may leave some empty)
  const full = windows.filter((w) => w.n > 0 && Number.isFinite(w.heapMb));
  const overall = {
    ...summarize(samples.map((s) => s.ms)),
    heapMb: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
    rssMb: 0,
  };
  const retried = {
    pending: retries.pending - retriesBefore.pending,
    connection: retries.connection - retriesBefore.connection,
  };
  const first = full[0] ?? overall;
  const last = full.at(-1) ?? overall;
  return [
    {
      id: 'soak.errors',
      name: `soak ${opts.seconds} s, ${opts.users} clients, ${samples.length} requests: errors`,
      ours: errors.length,
      reference: Math.max(1, samples.length),
      unit: 'errors',
      ratio: errors.length / Math.max(1, samples.length),
      target: { of: 'ours', op: '<=', value: 0 },
      errors: 0,
      detail: { errors: errors.slice(0, 10), windows },
    },
    {
      id: 'soak.retries',
      name: 'soak requests the client sent again: 503 pending after Retry-After, reset connection (in detail)',
      ours: retried.pending + retried.connection,
      reference: Math.max(1, samples.length),
      unit: 'retries',
      ratio: (retried.pending + retried.connection) / Math.max(1, samples.length),
      errors: 0,
      detail: retried,
    },
    {
      id: 'soak.p95',
      name: 'soak p95 latency, last window vs first window (ms)',
      ours: last.p95,
      reference: first.p95,
      unit: 'ms',
      ratio: last.p95 / first.p95,
      errors: 0,
    },
    {
      id: 'soak.heap',
      name: 'soak heap after GC, last window vs first window (MB; flat = 1.0)',
      ours: last.heapMb,
      reference: first.heapMb,
      unit: 'MB',
      ratio: last.heapMb / first.heapMb,
      target: { of: 'ratio', op: '<=', value: 1.25 },
      errors: 0,
      detail: { rssFirstMb: first.rssMb, rssLastMb: last.rssMb },
    },
  ];
}
