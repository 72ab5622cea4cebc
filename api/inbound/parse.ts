// Parsing one raw RFC 822 message for the pipeline, off the event loop: piscina worker threads run
// api/inbound/parse-worker.ts (simpleParser + normalizeText over every string; mailauth) with a time budget and
// a memory budget per message. A message that exceeds either fails with ParseBudgetExceeded; the pipeline
// turns that into a dead letter with the reason (nothing is lost: the raw message stays stored).
// Two pools: small messages (replies: a few KB) share one thread, several at a time; larger ones (and HEIC
// previews) get a thread each, one at a time. With one task per thread, every reply waited for the main
// thread to hand the thread its next message: 16 replies at once queued 80–550 ms there (issue 14, B3).
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { Env } from '../../config/env.ts';
import { defaultParseCaps } from './parse-caps.ts';
import type { ParsedInbound, ParseInput } from './parse-worker.ts';

/**
 * Per-message budgets: wall time in ms, V8 old-generation heap of the worker in MB, and how much text and
 * HTML is kept. Defaults here; the server sets them from the environment (`configureParsing`).
 */
export const parseBudget = { timeMs: 30_000, memoryMb: 512, ...defaultParseCaps };

/**
 * The budgets from INBOUND_PARSE_TIMEOUT_MS, INBOUND_PARSE_MEMORY_MB, INBOUND_TEXT_MAX_CHARS and
 * INBOUND_HTML_MAX_CHARS. The memory budget applies to threads started afterwards: the pool is restarted.
 */
export async function configureParsing(
  env: Pick<
    Env,
    | 'INBOUND_PARSE_TIMEOUT_MS'
    | 'INBOUND_PARSE_MEMORY_MB'
    | 'INBOUND_TEXT_MAX_CHARS'
    | 'INBOUND_HTML_MAX_CHARS'
  >,
): Promise<void> {
  Object.assign(parseBudget, {
    timeMs: env.INBOUND_PARSE_TIMEOUT_MS,
    memoryMb: env.INBOUND_PARSE_MEMORY_MB,
    textChars: env.INBOUND_TEXT_MAX_CHARS,
    htmlChars: env.INBOUND_HTML_MAX_CHARS,
  });
  await closeParsePool();
}

/** A message over a parse budget: `time` (may be our own load: the wait for a pool thread counts) or `memory`. */
export class ParseBudgetExceeded extends Error {
  constructor(
    message: string,
    readonly budget: 'time' | 'memory',
  ) {
    super(message);
  }
}

/**
 * Messages up to this many bytes are parsed in the shared pool, up to `sharedTasks` at a time on its thread.
 * The thread's memory budget then covers them together: should it run out, each of them is parsed again
 * alone (the exclusive pool), so only a message that exceeds the budget by itself is refused for it.
 */
export const sharedParseMaxBytes = 1024 * 1024;
const sharedTasks = 8;

let exclusive: Piscina | undefined;
let shared: Piscina | undefined;

function newPool(opts: { maxThreads: number; concurrentTasksPerWorker: number }): Piscina {
  const pool = new Piscina({
    filename: new URL('./parse-worker.ts', import.meta.url).href,
    ...opts,
    minThreads: 0,
    idleTimeout: 30_000,
    resourceLimits: { maxOldGenerationSizeMb: parseBudget.memoryMb, maxYoungGenerationSizeMb: 64 },
    // Workers run plain Node: no loader flags of the parent (tsx, vitest) are inherited.
    execArgv: [],
  });
  // A thread that dies outside a task (out of memory while starting) is an 'error' event: unheard, it
  // would end the process. The tasks in flight on it are rejected (ERR_WORKER_OUT_OF_MEMORY) either way.
  pool.on('error', (err) => console.error('mail parser thread ended', err));
  return pool;
}

/** One message per thread: large messages, HEIC previews, and a shared parse run again alone. */
function exclusivePool(): Piscina {
  // Leave a core for the web server: with 2 cores, one parser thread.
  exclusive ??= newPool({
    maxThreads: Math.max(1, Math.min(4, availableParallelism() - 1)),
    concurrentTasksPerWorker: 1,
  });
  return exclusive;
}

/** Small messages, several at a time on one thread (their parse is short, and waits on DNS for SPF/DMARC). */
function sharedPool(): Piscina {
  shared ??= newPool({ maxThreads: 1, concurrentTasksPerWorker: sharedTasks });
  return shared;
}

const outOfMemory = (err: unknown) => (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';

/**
 * Parses `raw` and unpacks its attachments in a pool thread (and, given `auth`, checks SPF/DKIM/DMARC on
 * the same bytes in the same task). A large `raw` is handed over (transferred when it owns its memory: a
 * 25 MB message is neither copied nor serialised on the event loop) and must not be used after the call:
 * the stored copy is in inbound_emails. Rejects with ParseBudgetExceeded (time, from the call on, the wait
 * for a thread included; or memory) or the parser's error.
 */
export async function parseMail(raw: Buffer, auth?: ParseInput['auth']): Promise<ParsedInbound> {
  const signal = AbortSignal.timeout(parseBudget.timeMs);
  const size = raw.byteLength; // `raw` is detached once transferred
  const caps = { textChars: parseBudget.textChars, htmlChars: parseBudget.htmlChars };
  /** `bytes` must alone own its ArrayBuffer: it is transferred to the thread. */
  const run = (pool: Piscina, bytes: Uint8Array) =>
    pool.run({ raw: bytes, caps, ...(auth ? { auth } : {}) } satisfies ParseInput, {
      signal,
      transferList: bytes.byteLength > 0 ? [bytes.buffer as ArrayBuffer] : [],
    }) as Promise<ParsedInbound>;
  try {
    let parsed: ParsedInbound;
    if (size <= sharedParseMaxBytes) {
      // a copy goes (≤ 1 MiB): `raw` is kept to be parsed again alone should the shared thread run out of memory
      parsed = await run(sharedPool(), new Uint8Array(raw)).catch((err: unknown) => {
        if (!outOfMemory(err) || signal.aborted) throw err;
        return run(exclusivePool(), new Uint8Array(raw));
      });
    } else {
      parsed = await run(exclusivePool(), transferable(raw));
    }
    for (const f of parsed.unpacked.files) f.bytes = asBuffer(f.bytes); // Uint8Array after the clone
    return parsed;
  } catch (err) {
    if (signal.aborted) {
      throw new ParseBudgetExceeded(
        `análise da mensagem excedeu o tempo de ${parseBudget.timeMs / 1000} s (${size} bytes)`,
        'time',
      );
    }
    if (outOfMemory(err)) {
      throw new ParseBudgetExceeded(
        `análise da mensagem excedeu a memória de ${parseBudget.memoryMb} MB (${size} bytes)`,
        'memory',
      );
    }
    throw err;
  }
}

const asBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/**
 * `bytes` as a Uint8Array that alone owns its ArrayBuffer, so it can be transferred to a worker: itself
 * when it does (Buffer.concat, a request body), else a copy (a Buffer from Node's shared pool must never
 * be transferred: that would detach the pool).
 */
function transferable(bytes: Uint8Array): Uint8Array {
  const owns =
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength &&
    bytes.buffer instanceof ArrayBuffer &&
    bytes.byteLength > 0;
  return owns ? bytes : new Uint8Array(bytes);
}

/** A JPEG preview of a HEIC/HEIF photo (api/attachments/heic-preview.ts), in the pool under the parse budget. */
export async function heicPreviewInPool(bytes: Uint8Array): Promise<Buffer> {
  const signal = AbortSignal.timeout(parseBudget.timeMs);
  try {
    return asBuffer((await exclusivePool().run(bytes, { name: 'heicPreview', signal })) as Uint8Array);
  } catch (err) {
    if (signal.aborted)
      throw new ParseBudgetExceeded(`prévia excedeu o tempo de ${parseBudget.timeMs / 1000} s`, 'time');
    if (outOfMemory(err))
      throw new ParseBudgetExceeded(`prévia excedeu a memória de ${parseBudget.memoryMb} MB`, 'memory');
    throw err;
  }
}

/** Stops the parser threads of both pools (server shutdown, tests). */
export async function closeParsePool(): Promise<void> {
  const pools = [exclusive, shared];
  exclusive = undefined;
  shared = undefined;
  await Promise.all(pools.map((p) => p?.destroy()));
}
