// The small faults of issue 8 item 4, each a clear 4xx with the standard error body: long URLs (414, also
// with a session cookie over a real socket), a Bearer POST without Content-Type (415, not 403 from CSRF),
// downloads that keep their `sandbox` CSP, stored names whose extension matches the detected type, an empty
// file refused with a message, and `Cache-Control: no-store` on staff pages and API responses.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServedApp, serveApp } from '../../api/serve.ts';
import { attachments } from '../../db/schema.ts';
import { json, newManifestation, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';
import { pageClient, pngBytes, useTestUploads } from '../ui/support.ts';

let t: TestOuvidor;
let served: ServedApp;
let staff: Awaited<ReturnType<TestOuvidor['createStaff']>>;
let cookie: string;
let c: ReturnType<typeof pageClient>;

beforeAll(async () => {
  t = await startTestOuvidor();
  useTestUploads(t);
  served = await serveApp(t.app, { port: 0, hostname: '127.0.0.1' });
  staff = await t.createStaff('attendant');
  c = pageClient(t);
  cookie = await c.signIn(staff.email, staff.password);
});
afterAll(async () => {
  await served?.close();
  await t?.stop();
});

const base = () => `http://127.0.0.1:${served.port}`;
const pdfBytes = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

describe('long URLs', () => {
  it('answer 414 over a real socket, with and without a session cookie, as JSON for the API', async () => {
    const q = 'x'.repeat(8 * 1024);
    const variants: Array<Record<string, string>> = [
      { cookie },
      {},
      { authorization: staff.headers.authorization },
    ];
    for (const headers of variants) {
      const res = await fetch(`${base()}/api/v1/manifestations?q=${q}`, { headers });
      expect(res.status).toBe(414);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('uri_too_long');
    }
    const page = await fetch(`${base()}/painel?q=${q}`, { headers: { cookie } });
    expect(page.status).toBe(414);
    expect(await page.text()).toContain('longo demais');
    // a 40 KB URL with the cookie still gets an answer, never a dropped connection
    const huge = await fetch(`${base()}/painel?q=${'y'.repeat(40 * 1024)}`, { headers: { cookie } });
    expect(huge.status).toBe(414);
    const ok = await fetch(`${base()}/api/v1/manifestations?q=${'z'.repeat(100)}`, { headers: { cookie } });
    expect(ok.status).toBe(200);
  });
});

describe('control characters in the path', () => {
  it('answer 404 (never 500) for an id, code or protocol holding a NUL or another control character', async () => {
    const admin = await t.createStaff('admin');
    for (const path of [
      '/api/v1/admin/users/%00',
      '/api/v1/admin/units/a%00b',
      '/api/v1/admin/calendars/x%01y',
      '/api/v1/admin/sla-policies/%7F',
      '/api/v1/manifestations/OUV-2026-%00',
      '/api/v1/attachments/%C2%85',
    ]) {
      const res = await t.app.request(path, { headers: admin.headers });
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code, path).toBe('not_found');
    }
    const patch = await t.app.request('/api/v1/admin/units/%00', {
      method: 'PATCH',
      headers: admin.headers,
      body: JSON.stringify({ name: 'Unidade' }),
    });
    expect(patch.status).toBe(404);
    // the codec endpoint (Temporal UI) is an API too: its refusal is JSON, as documented
    const codec = await t.app.request('/codec/default%00/decode', {
      method: 'POST',
      headers: admin.headers,
      body: JSON.stringify({ payloads: [] }),
    });
    expect(codec.status).toBe(404);
    expect(codec.headers.get('content-type')).toMatch(/application\/json/);
    const page = await t.app.request('/painel/casos/%00');
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  });
});

describe('content types and CSRF', () => {
  it('answers 415 (not 403) to a Bearer POST without Content-Type, and to a non-JSON body', async () => {
    const body = JSON.stringify(newManifestation());
    const bare = await json<{ error: { code: string } }>(
      t.app.request('/api/v1/manifestations', {
        method: 'POST',
        headers: { authorization: staff.headers.authorization },
        body: new Blob([body]),
      }),
    );
    expect(bare.status).toBe(415);
    expect(bare.body.error.code).toBe('unsupported_media_type');
    const plain = await t.app.request('/api/v1/manifestations', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body,
    });
    expect(plain.status).toBe(415);
    // a cookie session from a foreign origin is still refused by the CSRF check
    const forged = await t.app.request('/api/v1/manifestations', {
      method: 'POST',
      headers: { cookie, origin: 'http://evil.example', 'content-type': 'text/plain' },
      body,
    });
    expect(forged.status).toBe(403);
  });
});

describe('uploads and downloads', () => {
  const fields = () => ({
    kind: 'complaint',
    subject: 'Documentos anexos',
    description: 'Seguem os documentos do pedido de providência.',
    identity: 'identified',
    name: 'Maria Souza',
    email: `maria.${randomBytes(3).toString('hex')}@example.org`,
  });

  it('stores a lying extension under the detected type, and the download keeps its sandbox CSP', async () => {
    const res = await c.postMultipart('/registrar', fields(), [
      new File([pdfBytes], 'polyglot.html', { type: 'text/html' }),
      new File([pngBytes], 'photo.exe', { type: 'application/octet-stream' }),
    ]);
    expect(res.status).toBe(200);
    const protocol = (await res.text()).match(/id="protocol"[^>]*>(OUV-\d{4}-\d{6})</)![1]!;
    const files = await t.db.select().from(attachments).where(eq(attachments.protocol, protocol));
    expect(files.map((f) => f.filename).sort()).toEqual(['photo.png', 'polyglot.pdf']);
    const pdf = files.find((f) => f.filename === 'polyglot.pdf')!;
    const download = await t.app.request(`/api/v1/attachments/${pdf.id}`, { headers: { cookie } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toContain('filename="polyglot.pdf"');
    expect(download.headers.get('content-security-policy')).toMatch(/\bsandbox\b/);
  });

  it('refuses an empty file with a message on the form, and files nothing', async () => {
    const before = (await t.db.select().from(attachments)).length;
    const res = await c.postMultipart('/registrar', fields(), [new File([], 'vazio.pdf')]);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('“vazio.pdf” recusado: arquivo vazio');
    expect((await t.db.select().from(attachments)).length).toBe(before);
  });

  it('refuses a type outside the allowlist and says which types are accepted', async () => {
    const res = await c.postMultipart('/registrar', fields(), [
      new File(['<html><script>alert(1)</script></html>'], 'pagina.html'),
    ]);
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/“pagina.html” recusado: tipo de arquivo não permitido \(aceitos: PDF/);
  });
});

describe('caching', () => {
  it('sends no-store on staff pages and API responses, not on static assets', async () => {
    for (const path of ['/painel', '/painel/registrar']) {
      const res = await t.app.request(path, { headers: { cookie } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toContain('no-store');
    }
    const api = await t.app.request('/api/v1/manifestations', { headers: staff.headers });
    expect(api.headers.get('cache-control')).toContain('no-store');
    const refused = await t.app.request('/api/v1/manifestations?q=%00', { headers: staff.headers });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('cache-control')).toContain('no-store');
    const css = await t.app.request('/static/app.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('cache-control')).not.toContain('no-store');
  });
});
