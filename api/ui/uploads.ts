// Files sent with the portal forms (Registrar manifestação, the citizen's reply, staff intake): every
// file is checked (count, size, type by magic bytes) BEFORE anything is stored or filed, so a refused
// file leaves no case and no orphan upload behind; then they are stored with api/attachments/upload.ts.
import { allowedExtensions, inspectFile } from '../../activities/storage/policy.ts';
import { storeUploadedFiles } from '../attachments/upload.ts';
import { emailContext } from '../inbound/context.ts';
import type { AppDeps } from '../types.ts';

export type UploadLimits = { maxCount: number; maxMegabytes: number; accept: string; types: string };

export function uploadLimits(deps: AppDeps): UploadLimits {
  const { maxBytes, maxCount } = emailContext(deps).mail.attachments;
  const exts = allowedExtensions.filter((e) => e !== 'jpeg').map((e) => e.toUpperCase());
  return {
    maxCount,
    maxMegabytes: Math.max(1, Math.floor(maxBytes / 1024 / 1024)),
    accept: allowedExtensions.map((e) => `.${e}`).join(','),
    types: exts.join(', '),
  };
}

/** pt-BR messages for the files that would be refused (empty when every file is acceptable). */
export async function checkUploads(deps: AppDeps, files: File[]): Promise<string[]> {
  const { maxBytes, maxCount } = emailContext(deps).mail.attachments;
  const errors: string[] = [];
  if (files.length > maxCount) errors.push(`Envie no máximo ${maxCount} arquivos.`);
  for (const f of files.slice(0, maxCount)) {
    if (f.size > maxBytes) {
      errors.push(`“${f.name}” recusado: arquivo maior que ${Math.floor(maxBytes / 1024 / 1024)} MB.`);
      continue;
    }
    const check = await inspectFile(f.name, new Uint8Array(await f.arrayBuffer()), { maxBytes });
    if (!check.ok) errors.push(`“${f.name}” recusado: ${check.reason}.`);
  }
  return errors;
}

/** Stores files already accepted by checkUploads; returns their ids (in order). */
export async function storeCheckedUploads(
  deps: AppDeps,
  files: File[],
  opts: { protocol: string | null; source: 'citizen' | 'staff'; uploadedBy: string | null },
): Promise<string[]> {
  if (!files.length) return [];
  const saved = await storeUploadedFiles(deps, files, opts);
  const refused = saved.find((s) => !s.ok);
  if (refused && !refused.ok) throw new Error(`upload refused after the check: ${refused.reason}`);
  return saved.flatMap((s) => (s.ok ? [s.id] : []));
}
