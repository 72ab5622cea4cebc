// Role checks on every admin route (issue 10 item 10): the routes are read from the app itself, so routes
// added by any area are covered without editing this file. Attendant, unit and citizen get 403 (or 404)
// everywhere under /painel/admin and /api/v1/admin (a citizen's page request goes to /conta instead); signed out, pages redirect to /entrar and REST answers
// 401; the ombudsman reads only the sections flagged for it and never writes. An admin reaches every GET
// page (so a 403 above is the role check, not a broken harness).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSections } from '../../api/ui/admin/sections.ts';
import type { Role } from '../../db/schema.ts';
import { startTestOuvidor, type TestOuvidor } from '../support/harness.ts';

let t: TestOuvidor;
const origin = 'http://localhost';
type Who = { role: Role; bearer: string; cookie: string };
const people: Partial<Record<Role, Who>> = {};

/** Signs in through the form, as a browser does; returns the session cookie. */
async function signInCookie(email: string, password: string): Promise<string> {
  const res = await t.app.request('/entrar', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
    body: new URLSearchParams({ email, password }).toString(),
  });
  expect(res.status).toBe(303);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** Every (method, path) the app registered under `prefix`, with path parameters filled in. */
function routesUnder(prefix: string): Array<{ method: string; path: string }> {
  const seen = new Set<string>();
  const out: Array<{ method: string; path: string }> = [];
  for (const r of t.app.routes) {
    if (r.method === 'ALL' || !r.path.startsWith(prefix)) continue;
    const path = r.path.replace(/:([A-Za-z_]+)(\{[^}]*\})?/g, 'x-$1').replace(/\/\*$/, '/x');
    const key = `${r.method} ${path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ method: r.method, path });
  }
  return out;
}

function request(method: string, path: string, auth: { bearer?: string; cookie?: string } = {}) {
  const headers: Record<string, string> = { origin };
  if (auth.bearer) headers.authorization = `Bearer ${auth.bearer}`;
  if (auth.cookie) headers.cookie = auth.cookie;
  const body = method === 'GET' || method === 'HEAD' ? undefined : path.startsWith('/api/') ? '{}' : '';
  if (body !== undefined)
    headers['content-type'] = path.startsWith('/api/')
      ? 'application/json'
      : 'application/x-www-form-urlencoded';
  return t.app.request(path, { method, headers, body, redirect: 'manual' });
}

beforeAll(async () => {
  t = await startTestOuvidor();
  for (const role of ['admin', 'ombudsman', 'attendant', 'unit', 'citizen'] as Role[]) {
    const s = await t.createStaff(role, role === 'unit' ? { unitCode: 'obras' } : {});
    people[role] = { role, bearer: s.token, cookie: await signInCookie(s.email, s.password) };
  }
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

describe('every admin route refuses who may not use it', () => {
  it('finds the routes of every area (pages and REST)', () => {
    const pages = routesUnder('/painel/admin');
    const rest = routesUnder('/api/v1/admin');
    expect(pages.map((r) => r.path)).toEqual(
      expect.arrayContaining(['/painel/admin', '/painel/admin/usuarios', '/painel/admin/auditoria']),
    );
    expect(rest.map((r) => r.path)).toEqual(
      expect.arrayContaining(['/api/v1/admin/users', '/api/v1/admin/audit', '/api/v1/admin/calendars']),
    );
  });

  it('attendant, unit and citizen get 403 or 404 on every page and every REST route', async () => {
    const failures: string[] = [];
    for (const role of ['attendant', 'unit', 'citizen'] as Role[]) {
      const who = people[role] as Who;
      for (const r of routesUnder('/painel/admin')) {
        const res = await request(r.method, r.path, { cookie: who.cookie });
        // a citizen session is sent to its own account (/conta, issue 11) before any staff page
        const toAccount =
          role === 'citizen' && res.status === 303 && res.headers.get('location') === '/conta';
        if (res.status !== 403 && res.status !== 404 && !toAccount)
          failures.push(`${role} ${r.method} ${r.path} → ${res.status}`);
      }
      for (const r of routesUnder('/api/v1/admin')) {
        const res = await request(r.method, r.path, { bearer: who.bearer });
        if (res.status !== 403 && res.status !== 404)
          failures.push(`${role} ${r.method} ${r.path} → ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('signed out: pages redirect to /entrar, REST answers 401', async () => {
    const failures: string[] = [];
    for (const r of routesUnder('/painel/admin')) {
      const res = await request(r.method, r.path);
      if (res.status !== 303 || res.headers.get('location') !== '/entrar')
        failures.push(`${r.method} ${r.path} → ${res.status} ${res.headers.get('location') ?? ''}`);
    }
    for (const r of routesUnder('/api/v1/admin')) {
      const res = await request(r.method, r.path);
      if (res.status !== 401) failures.push(`${r.method} ${r.path} → ${res.status}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('the ombudsman reads only the sections flagged for it and never writes', async () => {
    const who = people.ombudsman as Who;
    const failures: string[] = [];
    for (const r of routesUnder('/painel/admin')) {
      const res = await request(r.method, r.path, { cookie: who.cookie });
      const section = adminSections.find((s) => r.path.startsWith(s.href));
      const mayRead = r.method === 'GET' && (!section || section.ombudsmanReads);
      if (!mayRead && res.status !== 403 && res.status !== 404)
        failures.push(`ombudsman ${r.method} ${r.path} → ${res.status}`);
    }
    for (const r of routesUnder('/api/v1/admin')) {
      // REST reads are per route (calendars, audit… yes; users no); a preview is a read sent by POST
      if (r.method === 'GET' || r.path.endsWith('-preview')) continue;
      const res = await request(r.method, r.path, { bearer: who.bearer });
      if (res.status !== 403 && res.status !== 404)
        failures.push(`ombudsman ${r.method} ${r.path} → ${res.status}`);
    }
    const users = await request('GET', '/api/v1/admin/users', { bearer: who.bearer });
    expect(users.status).toBe(403);
    const audit = await request('GET', '/api/v1/admin/audit', { bearer: who.bearer });
    expect(audit.status).toBe(200);
    expect(failures).toEqual([]);
  }, 120_000);

  it('an admin reaches every admin page without parameters (the refusals above are role checks)', async () => {
    const who = people.admin as Who;
    const failures: string[] = [];
    for (const r of routesUnder('/painel/admin')) {
      if (r.method !== 'GET' || r.path.includes('x-')) continue;
      const res = await request('GET', r.path, { cookie: who.cookie });
      if (res.status !== 200) failures.push(`admin GET ${r.path} → ${res.status}`);
    }
    for (const r of routesUnder('/api/v1/admin')) {
      if (r.method !== 'GET' || r.path.includes('x-')) continue;
      const res = await request('GET', r.path, { bearer: who.bearer });
      if (res.status === 401 || res.status === 403) failures.push(`admin GET ${r.path} → ${res.status}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
