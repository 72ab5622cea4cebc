// B3 reply by e-mail: a citizen's reply sent over SMTP (nodemailer, a real SMTP client) to the signed
// reply address of their case, until the reply shows on the case (GET /api/v1/manifestations/{p}, what the
// case page renders, re-read when the page's live-update stream says the case changed) — against
// a raw Signal + Query round trip on the same server (signal a reference workflow, query until the note is
// there). Target (issue 14): p95 ≤ 3 × the raw p95.
import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import { replyAddress } from '../../activities/email/reply-token.ts';
import type { Figure } from './support/figures.ts';
import type { BenchInstance } from './support/instance.ts';
import { noteSignal, notesQuery } from './support/raw-workflow.ts';
import { filed, settled } from './support/settled.ts';
import { drive, summarize } from './support/stats.ts';

const poll = async (done: () => Promise<boolean>, what: string) => {
  const until = Date.now() + 30_000;
  while (!(await done())) {
    if (Date.now() > until) throw new Error(`${what}: not visible after 30 s`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

export async function benchMailReply(
  b: BenchInstance,
  opts: { count: number; concurrency: number },
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
  // One SMTP client per citizen, each from its own loopback address (127.0.0.2, .3, …): the door limits
  // connections and messages per client address (api/inbound/smtp-limits.ts: 10 at once, 60 a minute), so
  // 16 concurrent replies from one address measured 421/452 refusals, not replies.
  const clients = Array.from({ length: cases.length }, (_, i) =>
    nodemailer.createTransport({
      host: '127.0.0.1',
      port: b.smtpPort,
      localAddress: `127.0.0.${2 + i}`,
      secure: false,
      ignoreTLS: true,
      pool: true,
      maxConnections: 1,
    }),
  );
  // The case page is open while the citizen replies: it learns of a change from its live-update stream
  // (/painel/eventos: the projection's `case_changed` NOTIFY, db/queries/case-events.ts) and then re-reads
  // the case through the API. So does this bench: it listens from before the reply is sent (the same hub
  // the stream reads), reads on each notice, and every 250 ms should a notice be missed. Re-reading the case
  // every 5 ms from 16 clients instead measured that load, not the reply's path; reading once as soon as
  // the SMTP server had answered measured a read no page makes (the reply is rarely on the case yet).
  const waiting = new Map<string, Set<() => void>>();
  const { caseEvents } = b.running.deps;
  if (!caseEvents) throw new Error('B3 needs the live-update hub (deps.caseEvents)');
  const unsubscribe = caseEvents.subscribe((protocol) => {
    for (const wake of waiting.get(protocol) ?? []) wake();
    waiting.delete(protocol);
  });
  const changed = (protocol: string) =>
    new Promise<void>((resolve) => {
      const set = waiting.get(protocol) ?? new Set();
      set.add(resolve);
      waiting.set(protocol, set);
    });
  /** The case page, listening since `heard` was taken: re-reads on each notice (or after 250 ms) until it shows. */
  const onCasePage = async (protocol: string, heard: Promise<void>, shows: () => Promise<boolean>) => {
    const until = Date.now() + 30_000;
    let change = heard;
    for (;;) {
      await Promise.race([change, new Promise((r) => setTimeout(r, 250))]);
      change = changed(protocol); // listening before the read: a change during it is not missed
      if (await shows()) return;
      if (Date.now() > until) throw new Error(`${protocol}: reply not on the case after 30 s`);
    }
  };
  const { secret } = b.running.deps;
  const reply = async (i: number) => {
    const c = cases[i % cases.length]!;
    const smtp = clients[i % cases.length]!;
    const marker = `Resposta ${i} ${randomBytes(4).toString('hex')}: o galho continua lá.`;
    const to = replyAddress(secret, 'bench.local', c.protocol, c.email);
    const heard = changed(c.protocol); // the page is open before the citizen replies
    await smtp.sendMail({
      from: c.email,
      to,
      subject: `Re: [${c.protocol}] Manifestação registrada`,
      text: marker,
    });
    await onCasePage(c.protocol, heard, async () => {
      const res = await fetch(`${b.base}/api/v1/manifestations/${c.protocol}`, { headers: b.auth });
      const view = (await res.json()) as { timeline?: Array<{ type: string; data?: { text?: string } }> };
      return Boolean(view.timeline?.some((e) => e.type === 'citizen_replied' && e.data?.text === marker));
    });
  };
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
  // Raw first, then ours: in alternated halves, raw's second half met the aftermath of our first (the
  // replies' mail steps) and its p95 jumped from 0.15 to 1.6 s — the reference is measured quiet.
  await settled(b);
  await drive(opts.concurrency, opts.concurrency, reply); // warm
  await drive(opts.concurrency, opts.concurrency, raw);
  const r = await drive(opts.count, opts.concurrency, raw);
  const o = await drive(opts.count, opts.concurrency, reply);
  for (const smtp of clients) smtp.close();
  unsubscribe();
  const rs = summarize(r.latencies);
  const os = summarize(o.latencies);
  return [
    {
      id: 'B3.p95',
      name: `reply by e-mail until on the case, p95 (${opts.concurrency} concurrent; ms) vs raw Signal + Query`,
      ours: os.p95,
      reference: rs.p95,
      unit: 'ms',
      ratio: os.p95 / rs.p95,
      target: { of: 'ratio', op: '<=', value: 3 },
      errors: o.errors.length,
      detail: { ours: os, raw: rs, errors: o.errors.slice(0, 5) },
    },
  ];
}
