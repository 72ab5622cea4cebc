// Helpers for the page tests: requests as a browser without JavaScript sends them (form posts with the
// Origin header hono/csrf checks, multipart with files, cookies), and htmx's request headers.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { mailSettingsFromEnv } from '../../activities/email/settings.ts';
import { configureEmail } from '../../api/inbound/context.ts';
import { loadEnv } from '../../config/env.ts';
import { newManifestation, type TestOuvidor } from '../support/harness.ts';

export const origin = 'http://localhost';
export const htmx = { 'hx-request': 'true', 'hx-request-type': 'partial' };

/** Attachments in a temporary directory, small limits (1 MiB, 3 files). */
export function useTestUploads(t: TestOuvidor) {
  const mail = mailSettingsFromEnv(loadEnv(), { secret: t.deps.secret, publicUrl: t.deps.publicUrl });
  return configureEmail(t.deps, {
    ...mail,
    attachments: {
      dir: mkdtempSync(path.join(os.tmpdir(), 'ouvidor-ui-attachments-')),
      maxBytes: 1024 * 1024,
      maxCount: 3,
    },
  });
}

export function pageClient(t: TestOuvidor) {
  const post = (path: string, data: Record<string, string>, headers: Record<string, string> = {}) =>
    t.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin, ...headers },
      body: new URLSearchParams(data).toString(),
    });

  /** multipart/form-data, as a form with enctype="multipart/form-data" sends it */
  const postMultipart = (
    path: string,
    data: Record<string, string>,
    files: File[] = [],
    headers: Record<string, string> = {},
  ) => {
    const body = new FormData();
    for (const [k, v] of Object.entries(data)) body.append(k, v);
    for (const f of files) body.append('attachments', f);
    return t.app.request(path, { method: 'POST', headers: { origin, ...headers }, body });
  };

  const get = (path: string, headers: Record<string, string> = {}) => t.app.request(path, { headers });

  async function signIn(email: string, password: string): Promise<string> {
    const res = await post('/entrar', { email, password });
    expect(res.status).toBe(303);
    return cookiesOf(res);
  }

  /** Files through the REST API (fast path for tests that are not about the form). */
  async function file(over: Record<string, unknown> = {}) {
    const res = await t.app.request('/api/v1/manifestations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(newManifestation(over)),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { protocol: string; accessCode: string };
  }

  /** Protocol + access code on /acompanhar → the follow cookie. */
  async function follow(protocol: string, accessCode: string): Promise<string> {
    const res = await post('/acompanhar', { protocol, accessCode });
    expect(res.status).toBe(303);
    return cookiesOf(res);
  }

  return { post, postMultipart, get, signIn, file, follow };
}

/** "name=value; name2=value2" from a response's Set-Cookie headers. */
export function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** A real 1×1 PNG. */
export const pngBytes = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** A Windows executable ("MZ" header) under an innocent name. */
export const exeBytes = Buffer.concat([
  Buffer.from('MZ'),
  Buffer.alloc(58),
  Buffer.from([0x80, 0, 0, 0]),
  Buffer.alloc(64),
  Buffer.from('PE\0\0'),
  Buffer.alloc(200),
]);

export const pngFile = (name = 'foto.png') => new File([pngBytes], name, { type: 'image/png' });
export const fakePng = (name = 'foto.png') => new File([exeBytes], name, { type: 'image/png' });

/** The first form on the page whose action ends with /ACTION, or undefined. */
export const actionForm = (html: string, action: string) =>
  html.match(new RegExp(`<form[^>]*action="[^"]*/${action}"[\\s\\S]*?</form>`))?.[0];
