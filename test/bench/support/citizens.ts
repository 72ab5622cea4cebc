// B3's citizens and case pages, on a thread of their own (a worker thread; b3-mail-reply.ts starts it). The
// people the bench stands for are not in the server's process: their mail client and their browser spent
// ≈ a quarter of the main thread's time per reply when they ran on it, in the queue in front of the server's
// own work. Each citizen replies with a real SMTP client (nodemailer) from its own loopback address, to the
// signed reply address of its case, while the case page is open: subscribed to its live-update stream
// (`/painel/eventos?protocol=…`, the server-sent events a case page listens to), re-reading the case
// through the API on each `case-changed` event (and every 250 ms should one be missed) until the reply
// shows. Messages: in {drive: {count, concurrency}} → out {latencies, errors}; in {close} → out {closed}.
import { randomBytes } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import nodemailer from 'nodemailer';
import { drive } from './stats.ts';

export type CitizensData = {
  base: string;
  smtpPort: number;
  auth: Record<string, string>;
  /** One case per citizen: its protocol, the citizen's address and the case's reply address. */
  cases: Array<{ protocol: string; email: string; to: string }>;
};
export type CitizensRequest = { drive: { count: number; concurrency: number } } | { close: true };
export type CitizensAnswer =
  | { ready: true }
  | { latencies: number[]; errors: string[] }
  | { closed: true }
  | { failed: string };

const data = workerData as CitizensData;
const port = parentPort!;

// One SMTP client per citizen, each from its own loopback address (127.0.0.2, .3, …): the door limits
// connections and messages per client address (api/inbound/smtp-limits.ts: 10 at once, 60 a minute).
const clients = data.cases.map((_, i) =>
  nodemailer.createTransport({
    host: '127.0.0.1',
    port: data.smtpPort,
    localAddress: `127.0.0.${2 + i}`,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: 1,
  }),
);

/** The open case pages: each one's `case-changed` events wake whoever waits for its next one. */
const waiting = new Map<string, Set<() => void>>();
const pages = new AbortController();
const changed = (protocol: string) =>
  new Promise<void>((resolve) => {
    const set = waiting.get(protocol) ?? new Set();
    set.add(resolve);
    waiting.set(protocol, set);
  });

/** Opens a case page's live-update stream; resolves once the server answered it. */
async function openPage(protocol: string): Promise<void> {
  const res = await fetch(`${data.base}/painel/eventos?protocol=${encodeURIComponent(protocol)}`, {
    headers: { ...data.auth, accept: 'text/event-stream' },
    signal: pages.signal,
  });
  if (!res.ok || !res.body) throw new Error(`live updates of ${protocol}: ${res.status}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) return;
      buffer += value;
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (/^event: case-changed$/m.test(message)) {
          for (const wake of waiting.get(protocol) ?? []) wake();
          waiting.delete(protocol);
        }
        end = buffer.indexOf('\n\n');
      }
    }
  })();
}

/** The case page, listening since `heard` was taken: re-reads on each event (or after 250 ms) until it shows. */
async function onCasePage(protocol: string, heard: Promise<void>, shows: () => Promise<boolean>) {
  const until = Date.now() + 30_000;
  let change = heard;
  for (;;) {
    await Promise.race([change, new Promise((r) => setTimeout(r, 250))]);
    change = changed(protocol); // listening before the read: a change during it is not missed
    if (await shows()) return;
    if (Date.now() > until) throw new Error(`${protocol}: reply not on the case after 30 s`);
  }
}

async function reply(i: number): Promise<void> {
  const c = data.cases[i % data.cases.length]!;
  const smtp = clients[i % data.cases.length]!;
  const marker = `Resposta ${i} ${randomBytes(4).toString('hex')}: o galho continua lá.`;
  const heard = changed(c.protocol); // the page is open before the citizen replies
  await smtp.sendMail({
    from: c.email,
    to: c.to,
    subject: `Re: [${c.protocol}] Manifestação registrada`,
    text: marker,
  });
  await onCasePage(c.protocol, heard, async () => {
    const res = await fetch(`${data.base}/api/v1/manifestations/${c.protocol}`, { headers: data.auth });
    const view = (await res.json()) as { timeline?: Array<{ type: string; data?: { text?: string } }> };
    return Boolean(view.timeline?.some((e) => e.type === 'citizen_replied' && e.data?.text === marker));
  });
}

const answer = (a: CitizensAnswer) => port.postMessage(a);

port.on('message', (request: CitizensRequest) => {
  if ('close' in request) {
    pages.abort();
    for (const smtp of clients) smtp.close();
    answer({ closed: true });
    port.close();
    return;
  }
  const { count, concurrency } = request.drive;
  drive(count, concurrency, reply).then(
    ({ latencies, errors }) => answer({ latencies, errors }),
    (err: unknown) => answer({ failed: String(err) }),
  );
});

Promise.all(data.cases.map((c) => openPage(c.protocol))).then(
  () => answer({ ready: true }),
  (err: unknown) => answer({ failed: String(err) }),
);
