// B3 reply by e-mail: a citizen's reply sent over SMTP (nodemailer, a real SMTP client) to the signed
// reply address of their case, until the reply shows on the case (GET /api/v1/manifestations/{p}, what the
// case page renders, re-read when the page's live-update stream says the case changed; citizens and pages
// on a thread of their own: support/citizens.ts) — against a raw Signal + Query round trip on the same
// server (signal a reference workflow, query until the note is there, from the server's own Temporal
// client as the API does), in pairs measured back to back (the median pair's ratio is the figure). Target
// (issue 14): p95 ≤ 3 × the raw p95.
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { replyAddress } from '../../activities/email/reply-token.ts';
import type { CitizensAnswer, CitizensData, CitizensRequest } from './support/citizens.ts';
import type { Figure } from './support/figures.ts';
import type { BenchInstance } from './support/instance.ts';
import { noteSignal, notesQuery } from './support/raw-workflow.ts';
import { filed, settled } from './support/settled.ts';
import { drive, type Latencies, summarize } from './support/stats.ts';

const poll = async (done: () => Promise<boolean>, what: string) => {
  const until = Date.now() + 30_000;
  while (!(await done())) {
    if (Date.now() > until) throw new Error(`${what}: not visible after 30 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** The citizens' thread (support/citizens.ts): ready once every case page listens; drive; close. */
function startCitizens(data: CitizensData) {
  const worker = new Worker(new URL('./support/citizens.ts', import.meta.url), { workerData: data });
  const next = () =>
    new Promise<CitizensAnswer>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      worker.once('error', onError);
      worker.once('message', (a: CitizensAnswer) => {
        worker.off('error', onError);
        if ('failed' in a) reject(new Error(`B3 citizens: ${a.failed}`));
        else resolve(a);
      });
    });
  const ask = (request: CitizensRequest) => {
    const answer = next();
    worker.postMessage(request);
    return answer;
  };
  return {
    ready: next(),
    drive: async (count: number, concurrency: number) =>
      (await ask({ drive: { count, concurrency } })) as { latencies: number[]; errors: string[] },
    close: async () => {
      await ask({ close: true });
      await worker.terminate();
    },
  };
}

export async function benchMailReply(
  b: BenchInstance,
  opts: { count: number; concurrency: number; rounds: number },
): Promise<Figure[]> {
  // identified cases to reply to, one per concurrent citizen
  const cases: Array<{ protocol: string; email: string }> = [];
  for (let i = 0; i < opts.concurrency; i++) {
    const email = `leitora${i}.${randomBytes(3).toString('hex')}@example.org`;
    const res = await fetch(`${b.base}/api/v1/manifestations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'request',
        subject: `Poda de árvore ${i}`,
        description: 'Galhos sobre a fiação na rua de trás, perto da escola.',
        identity: 'identified',
        citizen: { name: `Leitora ${i}`, email },
      }),
    });
    const body = (await res.json()) as { protocol: string };
    filed(b, body.protocol);
    cases.push({ protocol: body.protocol, email });
  }
  // The citizens and their open case pages run on a thread of their own (support/citizens.ts): real SMTP
  // clients, each from its own address, and the case page's live-update stream and re-reads.
  const citizens = startCitizens({
    base: b.base,
    smtpPort: b.smtpPort,
    auth: b.auth,
    cases: cases.map((c) => ({
      ...c,
      to: replyAddress(b.running.deps.secret, 'bench.local', c.protocol, c.email),
    })),
  });
  await citizens.ready;
  const inboxes = await Promise.all(
    Array.from({ length: opts.concurrency }, (_, i) =>
      b.raw.client.workflow.start('rawInbox', {
        taskQueue: b.raw.taskQueue,
        workflowId: `bench-inbox-${i}-${randomBytes(4).toString('hex')}`,
      }),
    ),
  );
  const raw = async (i: number) => {
    const h = inboxes[i % inboxes.length]!;
    const note = `n${i}`;
    await h.signal(noteSignal, note);
    await poll(async () => (await h.query(notesQuery)).includes(note), h.workflowId);
  };
  // Filings answer once durable and leave their registrations to the worker (so do B2's, when it runs
  // first, and the raw worker its raw starts): wait until that is done (run.ts also runs B3 before B2).
  // Then `rounds` pairs, each the raw round trips then the replies, back to back, the machine quiet
  // before each pair (settled, then a pause): the ratio is each pair's, and the figure the median pair's.
  // One pair measured 2.1 to 4.3 on the same code within minutes on a shared machine, the two halves of a
  // pair moving together less than pairs apart; raw first in each pair, as in alternated halves raw's
  // second half met the aftermath of our first (the replies' mail steps) and its p95 jumped from 0.15 to
  // 1.6 s — the reference is measured quiet.
  await settled(b);
  await citizens.drive(opts.concurrency, opts.concurrency); // warm
  await drive(opts.concurrency, opts.concurrency, raw);
  const pairs: Array<{
    ours: Latencies;
    raw: Latencies;
    ratio: number;
  }> = [];
  const errors: string[] = [];
  const all = { ours: [] as number[], raw: [] as number[] };
  for (let round = 0; round < Math.max(1, opts.rounds); round++) {
    await settled(b);
    await new Promise((r) => setTimeout(r, 500));
    const r = await drive(opts.count, opts.concurrency, raw);
    const o = await citizens.drive(opts.count, opts.concurrency);
    errors.push(...o.errors);
    all.ours.push(...o.latencies);
    all.raw.push(...r.latencies);
    const os = summarize(o.latencies);
    const rs = summarize(r.latencies);
    pairs.push({ ours: os, raw: rs, ratio: os.p95 / rs.p95 });
  }
  await citizens.close();
  const median = [...pairs].sort((x, y) => x.ratio - y.ratio)[Math.floor((pairs.length - 1) / 2)]!;
  return [
    {
      id: 'B3.p95',
      name: `reply by e-mail until on the case, p95 (${opts.concurrency} concurrent; ms) vs raw Signal + Query, median of ${pairs.length} pairs`,
      ours: median.ours.p95,
      reference: median.raw.p95,
      unit: 'ms',
      ratio: median.ratio,
      target: { of: 'ratio', op: '<=', value: 3 },
      errors: errors.length,
      detail: {
        pairs: pairs.map((p) => ({ ours: p.ours.p95, raw: p.raw.p95, ratio: p.ratio })),
        ours: summarize(all.ours),
        raw: summarize(all.raw),
        errors: errors.slice(0, 5),
      },
    },
  ];
}
