// PDF rendering off the event loop: a piscina pool of worker threads runs api/pdf/document.ts with a time
// and memory budget per document. Callers describe the document as plain data (PdfDocument) and get the
// bytes; `organisationLogo` turns the `org.logoUrl` setting into PNG/JPEG bytes for the title block.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { PdfDocument } from './document.ts';

export type { PdfBlock, PdfDocument } from './document.ts';

/** Per-document budgets: wall time (ms) and the worker's old-generation heap (MB). */
export const pdfBudget = { timeMs: 60_000, memoryMb: 512 };

export class PdfBudgetExceeded extends Error {}

let pool: Piscina | undefined;

function pdfPool(): Piscina {
  pool ??= new Piscina({
    filename: new URL('./document.ts', import.meta.url).href,
    maxThreads: 1, // one PDF at a time: rendering is CPU-bound and the web server keeps the other core
    minThreads: 0,
    idleTimeout: 30_000,
    resourceLimits: { maxOldGenerationSizeMb: pdfBudget.memoryMb, maxYoungGenerationSizeMb: 64 },
    execArgv: [],
  });
  return pool;
}

/**
 * Renders `doc` to PDF bytes in the pool. Rejects with PdfBudgetExceeded when the time or memory budget is
 * exceeded, or with the renderer's error.
 */
export async function renderPdf(doc: PdfDocument): Promise<Buffer> {
  const signal = AbortSignal.timeout(pdfBudget.timeMs);
  try {
    const bytes = (await pdfPool().run(doc, { signal })) as Uint8Array;
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (err) {
    if (signal.aborted) throw new PdfBudgetExceeded(`PDF excedeu o tempo de ${pdfBudget.timeMs / 1000} s`);
    if ((err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY')
      throw new PdfBudgetExceeded(`PDF excedeu a memória de ${pdfBudget.memoryMb} MB`);
    throw err;
  }
}

export async function closePdfPool(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.destroy();
}

const staticDir = fileURLToPath(new URL('../../views/static/', import.meta.url));

/** Largest logo embedded in a PDF (bytes): a print logo is a few hundred KB at most. */
export const LOGO_MAX_BYTES = 1_000_000;
/** How long fetching an http(s) logo may take (ms) before the PDF goes without it. */
export const LOGO_FETCH_MS = 3000;

/**
 * The logo for a PDF title block from the `org.logoUrl` setting (Administração → Regras gerais). Where it
 * comes from, in this order of preference (the choice: a PDF must render even when the logo cannot):
 *  - `/static/<file>`: a file of this server (views/static), read from disk — no network, always there;
 *  - `http(s)://…`: fetched with a 3 s timeout, at most 1 MB (the body is read only up to the limit).
 * (No data: URL: the setting takes an https:// address or a path, and the site shows the same logo.)
 * Only PNG and JPEG are embedded (what PDF takes natively; recognised by their signature, not the name).
 * Anything else — an SVG, a 404, a timeout, a larger file — means a PDF without a logo, never an error.
 */
export async function organisationLogo(url: string): Promise<PdfDocument['logo']> {
  if (!url) return undefined;
  try {
    let bytes: Uint8Array | undefined;
    if (url.startsWith('/static/')) {
      const name = url.slice('/static/'.length).split('?')[0] ?? '';
      if (!/^[\w./-]+$/.test(name) || name.includes('..')) return undefined;
      bytes = await readFile(staticDir + name);
    } else if (/^https?:\/\//.test(url)) bytes = await fetchLimited(url);
    if (!bytes || bytes.byteLength > LOGO_MAX_BYTES) return undefined;
    if (bytes[0] === 0x89 && bytes[1] === 0x50) return { data: bytes, format: 'png' };
    if (bytes[0] === 0xff && bytes[1] === 0xd8) return { data: bytes, format: 'jpg' };
    return undefined;
  } catch {
    return undefined;
  }
}

/** The body of `url`, or undefined when it fails, is slower than LOGO_FETCH_MS or larger than LOGO_MAX_BYTES. */
async function fetchLimited(url: string): Promise<Uint8Array | undefined> {
  const res = await fetch(url, { signal: AbortSignal.timeout(LOGO_FETCH_MS), redirect: 'follow' });
  if (!res.ok || !res.body) return undefined;
  if (Number(res.headers.get('content-length') ?? 0) > LOGO_MAX_BYTES) {
    await res.body.cancel();
    return undefined;
  }
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const part of res.body) {
    size += part.byteLength;
    if (size > LOGO_MAX_BYTES) return undefined; // leaving the loop cancels the body
    parts.push(part);
  }
  return Buffer.concat(parts);
}
