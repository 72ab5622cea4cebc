// Parsing one raw RFC 822 message for the pipeline, off the event loop: a piscina pool of worker threads
// runs api/inbound/parse-worker.ts (simpleParser + normalizeText over every string; mailauth) with a time budget and
// a memory budget per message. A message that exceeds either fails with ParseBudgetExceeded; the pipeline
// turns that into a dead letter with the reason (nothing is lost: the raw message stays stored).
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

let pool: Piscina | undefined;

function parsePool(): Piscina {
  pool ??= new Piscina({
    filename: new URL('./parse-worker.ts', import.meta.url).href,
    // Leave a core for the web server: with 2 cores, one parser thread.
    maxThreads: Math.max(1, Math.min(4, availableParallelism() - 1)),
    minThreads: 0,
    idleTimeout: 30_000,
    resourceLimits: { maxOldGenerationSizeMb: parseBudget.memoryMb, maxYoungGenerationSizeMb: 64 },
    // Workers run plain Node: no loader flags of the parent (tsx, vitest) are inherited.
    execArgv: [],
  });
  return pool;
}

/**
 * Parses `raw` and unpacks its attachments in the pool (and, given `auth`, checks SPF/DKIM/DMARC on the
 * same bytes in the same task). `raw` is handed over (transferred when it owns its
 * memory: a 25 MB message is neither copied nor serialised on the event loop) and must not be used after
 * the call: the stored copy is in inbound_emails. Rejects with ParseBudgetExceeded (time or memory) or the
 * parser's error.
 */
export async function parseMail(raw: Buffer, auth?: ParseInput['auth']): Promise<ParsedInbound> {
  const signal = AbortSignal.timeout(parseBudget.timeMs);
  const size = raw.byteLength; // `raw` is detached once transferred
  try {
    const bytes = transferable(raw);
    const input: ParseInput = {
      raw: bytes,
      caps: { textChars: parseBudget.textChars, htmlChars: parseBudget.htmlChars },
      ...(auth ? { auth } : {}),
    };
    const parsed = (await parsePool().run(input, {
      signal,
      transferList: [bytes.buffer as ArrayBuffer],
    })) as ParsedInbound;
    for (const f of parsed.unpacked.files) f.bytes = asBuffer(f.bytes); // Uint8Array after the clone
    return parsed;
  } catch (err) {
    if (signal.aborted) {
      throw new ParseBudgetExceeded(
        `análise da mensagem excedeu o tempo de ${parseBudget.timeMs / 1000} s (${size} bytes)`,
        'time',
      );
    }
    const code = (err as { code?: string }).code;
    if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
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
    return asBuffer((await parsePool().run(bytes, { name: 'heicPreview', signal })) as Uint8Array);
  } catch (err) {
    if (signal.aborted)
      throw new ParseBudgetExceeded(`prévia excedeu o tempo de ${parseBudget.timeMs / 1000} s`, 'time');
    if ((err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY')
      throw new ParseBudgetExceeded(`prévia excedeu a memória de ${parseBudget.memoryMb} MB`, 'memory');
    throw err;
  }
}

/** Stops the parser threads (server shutdown, tests). */
export async function closeParsePool(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.destroy();
}
