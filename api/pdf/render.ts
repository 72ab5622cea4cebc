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

/**
 * The logo for a PDF title block from the `org.logoUrl` setting: a `/static/…` file of this server or an
 * http(s) URL (fetched with a 3 s timeout, at most 1 MB). Only PNG and JPEG (what PDF embeds); anything
 * else, or any failure, means no logo (the document still renders).
 */
export async function organisationLogo(url: string): Promise<PdfDocument['logo']> {
  if (!url) return undefined;
  try {
    let bytes: Uint8Array;
    if (url.startsWith('/static/')) {
      const name = url.slice('/static/'.length).split('?')[0] ?? '';
      if (!/^[\w./-]+$/.test(name) || name.includes('..')) return undefined;
      bytes = await readFile(staticDir + name);
    } else if (/^https?:\/\//.test(url)) {
      const res = await fetch(url, { signal: AbortSignal.timeout(3000), redirect: 'follow' });
      if (!res.ok) return undefined;
      const buf = new Uint8Array(await res.arrayBuffer());
      if (buf.byteLength > 1_000_000) return undefined;
      bytes = buf;
    } else return undefined;
    if (bytes[0] === 0x89 && bytes[1] === 0x50) return { data: bytes, format: 'png' };
    if (bytes[0] === 0xff && bytes[1] === 0xd8) return { data: bytes, format: 'jpg' };
    return undefined;
  } catch {
    return undefined;
  }
}
