// Where attachment bytes live: a directory (DATA_DIR/attachments by default), one file per id, written
// atomically. S3-compatible storage would implement the same two methods.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export type AttachmentStore = {
  put(id: string, bytes: Uint8Array): Promise<void>;
  get(id: string): Promise<Buffer>;
};

const safeId = (id: string) => {
  if (!/^[a-f0-9-]{36}$/.test(id)) throw new Error(`invalid attachment id: ${id}`);
  return id;
};

export function diskStore(dir: string): AttachmentStore {
  const fileOf = (id: string) => path.join(dir, safeId(id).slice(0, 2), id);
  return {
    async put(id, bytes) {
      const file = fileOf(id);
      await mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.tmp-${process.pid}`;
      await writeFile(tmp, bytes, { mode: 0o600 });
      await rename(tmp, file);
    },
    async get(id) {
      return readFile(fileOf(id));
    },
  };
}
