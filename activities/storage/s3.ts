// S3-compatible attachment storage (AWS S3, MinIO, Ceph, R2…), used instead of the disk when S3_BUCKET is
// set (config/env.ts). Same two methods as the disk store; objects are named `attachments/<id>`, written
// once (ids are random UUIDs) and private (served only through GET /api/v1/attachments/{id}). With
// S3_ENDPOINT the client uses path-style URLs (what most S3-compatible servers expect) and only sends
// checksums when the operation requires them.
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { AttachmentStore } from './store.ts';

export type S3Config = {
  bucket: string;
  region: string;
  /** S3-compatible endpoint (e.g. http://minio:9000); unset = AWS S3 of `region`. */
  endpoint: string | null;
  /** Static credentials; unset = the AWS SDK's default chain (instance or task role). */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
};

const safeId = (id: string) => {
  if (!/^[a-f0-9-]{36}$/.test(id)) throw new Error(`invalid attachment id: ${id}`);
  return id;
};

export const s3Key = (id: string) => `attachments/${safeId(id)}`;

export function s3Store(config: S3Config): AttachmentStore {
  const client = new S3Client({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint, forcePathStyle: true } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  });
  return {
    async put(id, bytes) {
      await client.send(
        new PutObjectCommand({
          Bucket: config.bucket,
          Key: s3Key(id),
          Body: bytes,
          ContentLength: bytes.byteLength,
          ContentType: 'application/octet-stream',
        }),
      );
    },
    async get(id) {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: config.bucket, Key: s3Key(id) }));
        if (!res.Body) throw new Error(`attachment ${id}: empty S3 response`);
        return Buffer.from(await res.Body.transformToByteArray());
      } catch (err) {
        if (err instanceof NoSuchKey)
          throw Object.assign(new Error(`attachment ${id} not in S3`), { code: 'ENOENT' });
        throw err;
      }
    },
  };
}
