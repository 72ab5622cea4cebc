// HEIC/HEIF (iPhone photos) → JPEG, for a preview staff can open in any browser (only Safari shows HEIC).
// Runs in a worker thread of the parse pool (api/inbound/parse-worker.ts re-exports it; api/inbound/parse.ts
// runs it under the same time and memory budget as mail parsing), never on the event loop: heic-convert
// decodes with libheif (WebAssembly) and encodes with jpeg-js, seconds of CPU for a 12-megapixel photo.
// The original file is kept untouched; the preview is a derived copy. Erasable TypeScript only.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const convert = require('heic-convert') as (opts: {
  buffer: Uint8Array;
  format: 'JPEG' | 'PNG';
  quality?: number;
}) => Promise<ArrayBuffer | Uint8Array>;

/** The first image of a HEIC/HEIF file as JPEG bytes (quality 0.8). Rejects when the file cannot be decoded. */
export async function heicPreview(bytes: Uint8Array): Promise<Uint8Array> {
  const out = await convert({ buffer: bytes, format: 'JPEG', quality: 0.8 });
  return out instanceof Uint8Array ? out : new Uint8Array(out);
}
