// S3-compatible attachment storage against a tiny local fake S3 (path-style, AWS Signature V4 verified with
// the configured secret): objects round-trip byte for byte, bad credentials and missing objects fail, the
// environment selects it, and an e-mail attachment lands in the bucket and downloads through the API.
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailSettingsFromEnv } from '../../activities/email/settings.ts';
import { type S3Config, s3Store } from '../../activities/storage/s3.ts';
import { attachmentStoreFor, configureEmail } from '../../api/inbound/context.ts';
import { parseEnv } from '../../config/env.ts';
import { getInbound } from '../../db/queries/email.ts';
import {
  type EmailOuvidor,
  INTAKE,
  messageWithAttachments,
  postMime,
  startEmailOuvidor,
  tinyPng,
} from './support.ts';

const ACCESS_KEY = 'AKIDOUVIDORTEST';
const SECRET_KEY = 'fake-s3-secret-key-0123456789';
const REGION = 'sa-east-1';
const BUCKET = 'ouvidor-test';

type FakeS3 = Awaited<ReturnType<typeof startFakeS3>>;

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** Recomputes the AWS Signature V4 of a request; true when it matches the Authorization header. */
function verifySigV4(req: IncomingMessage, body: Buffer, secret: string): boolean {
  const auth =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      req.headers.authorization ?? '',
    );
  if (!auth) return false;
  const [, accessKey, day, region, signedHeaders, signature] = auth;
  if (accessKey !== ACCESS_KEY || region !== REGION) return false;
  const url = new URL(req.url ?? '/', 'http://fake');
  const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
  if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256(body)) return false;
  const enc = (s: string) =>
    encodeURIComponent(s).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  const query = [...url.searchParams]
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .sort()
    .join('&');
  const headers = signedHeaders!
    .split(';')
    .map(
      (h) =>
        `${h}:${String(req.headers[h] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`,
    )
    .join('');
  const canonical = [req.method, url.pathname, query, headers, signedHeaders, payloadHash].join('\n');
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const scope = `${day}/${region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day!), region!), 's3'), 'aws4_request');
  return createHmac('sha256', key).update(toSign).digest('hex') === signature;
}

async function startFakeS3() {
  const objects = new Map<string, { body: Buffer; contentType: string }>();
  const requests: Array<{ method: string; path: string; signed: boolean }> = [];
  const xmlError = (code: string, message: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      const signed = verifySigV4(req, body, SECRET_KEY);
      requests.push({ method: req.method ?? '', path, signed });
      const send = (status: number, payload: string | Buffer, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/xml', ...headers });
        res.end(payload);
      };
      if (!signed) return send(403, xmlError('SignatureDoesNotMatch', 'bad signature'));
      const m = /^\/([^/]+)\/(.+)$/.exec(path);
      if (!m || m[1] !== BUCKET) return send(404, xmlError('NoSuchBucket', 'no such bucket'));
      const key = decodeURIComponent(m[2]!);
      if (req.method === 'PUT') {
        objects.set(key, { body, contentType: String(req.headers['content-type'] ?? '') });
        return send(200, '', { etag: `"${createHash('md5').update(body).digest('hex')}"` });
      }
      if (req.method === 'GET') {
        const object = objects.get(key);
        if (!object) return send(404, xmlError('NoSuchKey', 'The specified key does not exist.'));
        return send(200, object.body, {
          'content-type': object.contentType,
          'content-length': String(object.body.byteLength),
        });
      }
      send(405, xmlError('MethodNotAllowed', String(req.method)));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { endpoint, objects, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let s3: FakeS3;
const config = (over: Partial<S3Config> = {}): S3Config => ({
  bucket: BUCKET,
  region: REGION,
  endpoint: s3.endpoint,
  credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
  ...over,
});

beforeAll(async () => {
  s3 = await startFakeS3();
});
afterAll(async () => s3?.close());

describe('s3Store against a local fake S3', () => {
  it('writes and reads an attachment byte for byte, signed, path-style under attachments/', async () => {
    const store = s3Store(config());
    const id = randomUUID();
    const bytes = randomBytes(70 * 1024);
    await store.put(id, bytes);
    expect(s3.objects.get(`attachments/${id}`)?.body.equals(bytes)).toBe(true);
    expect(s3.objects.get(`attachments/${id}`)?.contentType).toBe('application/octet-stream');
    expect((await store.get(id)).equals(bytes)).toBe(true);
    const mine = s3.requests.filter((r) => r.path === `/${BUCKET}/attachments/${id}`);
    expect(mine.map((r) => [r.method, r.signed])).toEqual([
      ['PUT', true],
      ['GET', true],
    ]);
  });

  it('fails on wrong credentials and on a missing object, and refuses ids that are not attachment ids', async () => {
    const wrong = s3Store(
      config({ credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: 'not-the-secret' } }),
    );
    await expect(wrong.put(randomUUID(), Buffer.from('x'))).rejects.toThrow();
    await expect(s3Store(config()).get(randomUUID())).rejects.toMatchObject({ code: 'ENOENT' });
    const before = s3.requests.length;
    await expect(s3Store(config()).put('../../etc/passwd', Buffer.from('x'))).rejects.toThrow(
      /invalid attachment id/,
    );
    expect(s3.requests.length).toBe(before);
  });

  it('is chosen by the environment (S3_BUCKET…); both keys or neither', async () => {
    const env = parseEnv({
      S3_BUCKET: BUCKET,
      S3_ENDPOINT: 'http://minio:9000',
      S3_REGION: REGION,
      S3_ACCESS_KEY_ID: ACCESS_KEY,
      S3_SECRET_ACCESS_KEY: SECRET_KEY,
    });
    const mail = mailSettingsFromEnv(env, { secret: 'x'.repeat(32) });
    expect(mail.s3).toEqual({
      bucket: BUCKET,
      region: REGION,
      endpoint: 'http://minio:9000',
      credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
    });
    expect(mailSettingsFromEnv(parseEnv({}), { secret: 'x'.repeat(32) }).s3).toBeNull();
    expect(() => parseEnv({ S3_BUCKET: BUCKET, S3_ACCESS_KEY_ID: ACCESS_KEY })).toThrow(
      /S3_SECRET_ACCESS_KEY/,
    );
    expect(() => parseEnv({ S3_BUCKET: BUCKET, S3_ENDPOINT: 'not a url' })).toThrow(/S3_ENDPOINT/);
    // the e-mail doors and uploads use the bucket when it is configured
    const id = randomUUID();
    await attachmentStoreFor({ ...mail, s3: config() }).put(id, Buffer.from('conteúdo'));
    expect(s3.objects.get(`attachments/${id}`)?.body.toString()).toBe('conteúdo');
  });
});

describe('attachments of an e-mail with S3 configured', () => {
  let t: EmailOuvidor;
  beforeAll(async () => {
    t = await startEmailOuvidor();
    configureEmail(t.deps, { ...t.mail, s3: config() });
  });
  afterAll(async () => t?.stop());

  it('are stored in the bucket and downloaded through the API', async () => {
    const staff = await t.createStaff('attendant');
    const res = await postMime(
      t.app,
      messageWithAttachments({
        from: `hugo.${randomBytes(3).toString('hex')}@example.org`,
        to: INTAKE,
        subject: 'Árvore caída',
        body: 'Uma árvore caiu sobre a calçada da Rua E.',
        files: [{ filename: 'arvore.png', contentType: 'image/png', bytes: tinyPng }],
      }),
    );
    expect(res.body.status).toBe('created');
    const [id] = (await getInbound(t.db, res.body.id))!.attachmentIds!;
    expect(s3.objects.get(`attachments/${id}`)?.body.equals(tinyPng)).toBe(true);
    const file = await t.app.request(`/api/v1/attachments/${id}`, {
      headers: { authorization: staff.headers.authorization },
    });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="arvore\.png"/);
    expect(Buffer.from(await file.arrayBuffer()).equals(tinyPng)).toBe(true);
  });
});
