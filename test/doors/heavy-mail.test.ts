// Mail parsing cannot starve the server (issue 8 item 4): while a ~25 MB HTML-only message arrives over
// real SMTP (swaks) and is stored, authenticated and parsed (in the piscina pool), /healthz over a real
// socket keeps answering within a small ratio of its idle latency. The ratio, not a time, is asserted, with
// a floor for timer noise so a loaded 2-core machine does not make it flaky; a stall like the one this
// replaces (seconds of CPU on the main thread) fails it by orders of magnitude. Plus the SMTP limits:
// connections per address (421), messages per address per minute (452), and the budget of the parser.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeParsePool, configureParsing, parseBudget } from '../../api/inbound/parse.ts';
import { startSmtpListener } from '../../api/inbound/smtp.ts';
import { smtpLimitsFromEnv } from '../../api/inbound/smtp-limits.ts';
import { type ServedApp, serveApp } from '../../api/serve.ts';
import { parseEnv } from '../../config/env.ts';
import { inboundEmails } from '../../db/schema.ts';
import {
  type EmailOuvidor,
  INTAKE,
  message,
  messageWithAttachments,
  postMime,
  startEmailOuvidor,
  swaks,
  swaksPath,
  tinyPng,
} from '../email/support.ts';

let t: EmailOuvidor;
let served: ServedApp;

beforeAll(async () => {
  t = await startEmailOuvidor({ maxInboundBytes: 30 * 1024 * 1024 });
  // This file measures responsiveness, not the time budget (tested below): a machine loaded by other
  // processes may take longer than the default 30 s to parse 25 MB of HTML.
  await configureParsing(parseEnv({ INBOUND_PARSE_TIMEOUT_MS: '180000' }));
  served = await serveApp(t.app, { port: 0, hostname: '127.0.0.1' });
});
afterAll(async () => {
  await served?.close();
  await t?.stop();
  await closeParsePool();
});

const uid = () => randomBytes(4).toString('hex');

/** Latency of one /healthz over a real socket, in ms. A 503 (a check missed its 800 ms budget: the
 * process stalled or the machine is overloaded) counts as a probe of at least a second. */
async function healthLatency(): Promise<number> {
  const start = performance.now();
  const res = await fetch(`http://127.0.0.1:${served.port}/healthz`);
  await res.arrayBuffer();
  const ms = performance.now() - start;
  expect([200, 503]).toContain(res.status);
  return res.status === 200 ? ms : Math.max(ms, 1000);
}

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
};

/** A ~`mb` MB HTML-only message (no text part: the parser has to turn HTML into text). */
function bigHtmlMessage(from: string, mb: number): string {
  const line = (i: number) =>
    `<p class="x${i % 7}">Parágrafo <b>${i}</b> da reclamação: <i>o poste</i> da rua ${i} está <a href="https://example.org/${i}">apagado</a>.</p>`;
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < mb * 1024 * 1024; i++) {
    const l = line(i);
    lines.push(l);
    size += l.length + 2;
  }
  return [
    `From: Grande Remetente <${from}>`,
    `To: ${INTAKE}`,
    'Subject: Mensagem muito grande em HTML',
    `Message-ID: <${uid()}@mail.example>`,
    'MIME-Version: 1.0',
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    '<html><body>',
    ...lines,
    '</body></html>',
    '',
  ].join('\r\n');
}

describe.skipIf(!swaksPath)('a 25 MB HTML-only message', () => {
  it('is processed while /healthz keeps answering within a small ratio of its idle latency', async () => {
    for (let i = 0; i < 5; i++) await healthLatency(); // warm up connections and JIT
    const idle: number[] = [];
    for (let i = 0; i < 30; i++) idle.push(await healthLatency());
    const idleP50 = percentile(idle, 0.5);

    const from = `grande.${uid()}@example.org`;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'big-mail-'));
    const file = path.join(dir, 'big.eml');
    writeFileSync(file, bigHtmlMessage(from, 25));
    let done = false;
    const began = performance.now();
    const sending = swaksFile(file, from).finally(() => {
      done = true;
    });
    const busy: number[] = [];
    while (!done) {
      busy.push(await healthLatency());
      await new Promise((r) => setTimeout(r, 20));
    }
    const sent = await sending;
    const processing = performance.now() - began;
    expect(sent.code, sent.output).toBe(0);
    expect(sent.output).toMatch(/<-\s+250 Message queued/);
    const [row] = await t.db.select().from(inboundEmails).where(eq(inboundEmails.fromAddress, from));
    expect(row?.status).toBe('created');
    // nothing lost: the raw message is stored whole (joined from its 1 MiB slices), as hashed on arrival
    const result = await t.db.execute(
      sql`SELECT octet_length(raw) AS size, encode(sha256(raw), 'hex') AS hash FROM inbound_emails WHERE id = ${row!.id}`,
    );
    // postgres.js answers an array, PGlite { rows }
    const [stored] = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{
      size: number;
      hash: string;
    }>;
    expect(Number(stored?.size)).toBe(row?.size);
    expect(row?.size).toBeGreaterThan(25 * 1024 * 1024);
    expect(stored?.hash).toBe(row?.sha256);
    const busyMax = Math.max(...busy);
    const busyP50 = percentile(busy, 0.5);
    console.log(
      `healthz idle p50 ${idleP50.toFixed(1)} ms; while the 25 MB message took ${(processing / 1000).toFixed(1)} s: ` +
        `${busy.length} probes (${busy.filter((ms) => ms >= 50 * Math.max(idleP50, 4)).length} ≥ 50× idle), p50 ${busyP50.toFixed(1)} ms, p95 ${percentile(busy, 0.95).toFixed(1)} ms, max ${busyMax.toFixed(1)} ms`,
    );
    // Parsing on the main thread blocked /healthz for nearly the whole processing time (ratio ~1); other
    // processes on a shared 2-core machine cause pauses of a few hundred ms, far below these ratios.
    expect(busyMax / processing).toBeLessThan(0.15);
    expect(busyP50 / Math.max(idleP50, 1)).toBeLessThan(10);
    // "Under 200 ms" as a ratio: few probes take 50× the idle median (≥ 4 ms) or more. With everything
    // after the SMTP DATA in the pool (parse, unpack, quote stripping, DKIM) that was under 1% on a quiet
    // run and up to 8% with the 2-core machine at load 20 (other processes, not this one: the event loop
    // delay stayed near 100 ms); a parser back on the event loop makes it most of them.
    const slowLine = 50 * Math.max(idleP50, 4);
    const slow = busy.filter((ms) => ms >= slowLine).length;
    expect(slow / busy.length, `${slow} of ${busy.length} probes ≥ ${slowLine.toFixed(0)} ms`).toBeLessThan(
      0.15,
    );
    expect(busy.length).toBeGreaterThan(5);
    expect(idleP50).toBeGreaterThan(0);
  });
});

function swaksFile(file: string, from: string) {
  return new Promise<{ code: number; output: string }>((resolve, reject) => {
    const child = spawn(
      swaksPath,
      [
        '--server',
        '127.0.0.1',
        '--port',
        String(t.smtp.port),
        '--from',
        from,
        '--to',
        INTAKE,
        '--data',
        `@${file}`,
        '--suppress-data',
        '--timeout',
        '300',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const keep = (d: Buffer) => {
      output = (output + String(d)).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

describe('the parser budget', () => {
  it('has documented defaults, each taken from its environment variable', () => {
    const defaults = parseEnv({});
    expect([
      defaults.INBOUND_PARSE_TIMEOUT_MS,
      defaults.INBOUND_PARSE_MEMORY_MB,
      defaults.INBOUND_TEXT_MAX_CHARS,
      defaults.INBOUND_HTML_MAX_CHARS,
      defaults.SMTP_MAX_CONNECTIONS,
      defaults.SMTP_MAX_CONNECTIONS_PER_ADDRESS,
      defaults.SMTP_MESSAGES_PER_MINUTE,
    ]).toEqual([30_000, 512, 200_000, 1_000_000, 100, 10, 60]);
    expect(() => parseEnv({ INBOUND_PARSE_TIMEOUT_MS: 'soon' })).toThrow(/INBOUND_PARSE_TIMEOUT_MS/);
    expect(() => parseEnv({ SMTP_MESSAGES_PER_MINUTE: '0' })).toThrow(/SMTP_MESSAGES_PER_MINUTE/);
  });

  it('sends a message that exceeds INBOUND_PARSE_TIMEOUT_MS to the dead letters with the reason', async () => {
    const saved = { ...parseBudget };
    await configureParsing(parseEnv({ INBOUND_PARSE_TIMEOUT_MS: '100' }));
    try {
      const res = await postMime(t.app, bigHtmlMessage(`lento.${uid()}@example.org`, 4));
      expect(res.status).toBe(202);
      expect(res.body.status).toBe('dead_letter');
      const [row] = await t.db.select().from(inboundEmails).where(eq(inboundEmails.id, res.body.id));
      expect(row?.error).toMatch(/excedeu o tempo de 0\.1 s \(\d{7} bytes\)/);
    } finally {
      Object.assign(parseBudget, saved);
    }
  });

  it.skipIf(!swaksPath)(
    'over SMTP, a parse out of time is a temporary failure (451): the retry is processed',
    async () => {
      // A time-out can be our own load (the wait for a parser thread counts): the sender's server must try
      // again, not bounce the citizen's message; the retry of the same message is processed afresh.
      const from = `adiado.${uid()}@example.org`;
      const raw = bigHtmlMessage(from, 2);
      const messageId = /Message-ID: (<[^>]+>)/.exec(raw)![1]!;
      const saved = { ...parseBudget };
      await configureParsing(parseEnv({ INBOUND_PARSE_TIMEOUT_MS: '100' }));
      try {
        const first = await swaks(t.smtp.port, { from, to: INTAKE, raw });
        expect(first.output).toMatch(/<\*\*\s+451 4\.3\.2 Message not processed in time; try again later/);
      } finally {
        Object.assign(parseBudget, saved);
      }
      const [deferred] = await t.db
        .select()
        .from(inboundEmails)
        .where(eq(inboundEmails.messageId, messageId));
      expect(deferred?.status).toBe('dead_letter'); // visible to staff meanwhile, and replayable
      const retry = await swaks(t.smtp.port, { from, to: INTAKE, raw });
      expect(retry.output).toMatch(/<-\s+250 .*Message queued as/);
      const rows = await t.db.select().from(inboundEmails).where(eq(inboundEmails.messageId, messageId));
      expect(rows).toHaveLength(1);
      expect(rows[0]?.status).toBe('created');
      expect(rows[0]?.protocol).toBeTruthy();
    },
  );

  it('keeps at most INBOUND_TEXT_MAX_CHARS of a message text on the case', async () => {
    const saved = { ...parseBudget };
    await configureParsing(parseEnv({ INBOUND_TEXT_MAX_CHARS: '1000' }));
    try {
      const from = `longo.${uid()}@example.org`;
      const body = `Início da reclamação. ${'texto longo '.repeat(500)}FIM-DO-TEXTO`;
      const res = await postMime(t.app, message({ from, to: INTAKE, subject: 'Texto longo', body }));
      expect(res.body.status).toBe('created');
      const [row] = await t.db.select().from(inboundEmails).where(eq(inboundEmails.id, res.body.id));
      expect(row?.replyText).toContain('Início da reclamação.');
      expect(row?.replyText).not.toContain('FIM-DO-TEXTO');
      expect(row?.replyText?.length).toBeLessThan(1100);
    } finally {
      Object.assign(parseBudget, saved);
    }
  });
});

describe('a message the parser refuses (3,000 MIME parts)', () => {
  const manyParts = (from: string, messageId?: string) =>
    messageWithAttachments({
      from,
      ...(messageId ? { messageId } : {}),
      to: INTAKE,
      subject: 'Muitas fotos',
      body: 'Seguem as fotos.',
      files: Array.from({ length: 3000 }, (_, i) => ({
        filename: `foto-${i}.png`,
        contentType: 'image/png',
        bytes: tinyPng,
      })),
    });

  it('is kept as a dead letter and the HTTP door says why', async () => {
    const res = await postMime(t.app, manyParts(`partes.${uid()}@example.org`));
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'dead_letter', protocol: null });
    expect(res.body.error).toMatch(/^mensagem não pôde ser analisada: /);
  });

  it.skipIf(!swaksPath)('is answered 554 with the reason over SMTP, and kept for staff', async () => {
    const from = `partes.${uid()}@example.org`;
    const messageId = `<partes-${uid()}@example.org>`;
    const sent = await swaks(t.smtp.port, { from, to: INTAKE, raw: manyParts(from, messageId) });
    expect(sent.output).toMatch(
      /<\*\*\s+554 5\.6\.0 Message not processed \(mensagem não pôde ser analisada: /,
    );
    const [row] = await t.db.select().from(inboundEmails).where(eq(inboundEmails.messageId, messageId));
    expect(row?.status).toBe('dead_letter');
    expect(row?.raw?.byteLength).toBeGreaterThan(100_000); // the whole message, replayable
  });
});

describe.skipIf(!swaksPath)('SMTP limits', () => {
  it('answers 421 to a client address over SMTP_MAX_CONNECTIONS_PER_ADDRESS, with the reason', async () => {
    const smtp = await startSmtpListener(t.ctx, {
      port: 0,
      host: '127.0.0.1',
      limits: smtpLimitsFromEnv(parseEnv({ SMTP_MAX_CONNECTIONS_PER_ADDRESS: '2' })),
    });
    const banner = (socket: Socket) =>
      new Promise<string>((resolve) => socket.once('data', (d) => resolve(String(d))));
    const open = [0, 1, 2].map(() => connect(smtp.port, '127.0.0.1'));
    try {
      const greetings = await Promise.all(open.map(banner));
      expect(greetings.filter((g) => g.startsWith('220 '))).toHaveLength(2);
      expect(greetings.find((g) => g.startsWith('421'))).toMatch(
        /421 4\.7\.0 Too many connections .*at most 2/,
      );
    } finally {
      for (const s of open) s.destroy();
      await smtp.close();
    }
  });

  it('answers 452 to the message over SMTP_MESSAGES_PER_MINUTE from one client address', async () => {
    const smtp = await startSmtpListener(t.ctx, {
      port: 0,
      host: '127.0.0.1',
      limits: smtpLimitsFromEnv(parseEnv({ SMTP_MESSAGES_PER_MINUTE: '2' })),
    });
    try {
      const outputs: string[] = [];
      for (let i = 0; i < 3; i++) {
        const from = `rajada.${uid()}@example.org`;
        const sent = await swaks(smtp.port, {
          from,
          to: INTAKE,
          raw: message({
            from,
            to: INTAKE,
            subject: `Mensagem ${i}`,
            body: 'Texto de uma mensagem em rajada.',
          }),
        });
        outputs.push(sent.output);
      }
      expect(outputs[0]).toMatch(/<-\s+250 Message queued/);
      expect(outputs[1]).toMatch(/<-\s+250 Message queued/);
      expect(outputs[2]).toMatch(/<\*\*\s+452 4\.7\.0 Too many messages .*at most 2 per minute/);
    } finally {
      await smtp.close();
    }
  });
});
