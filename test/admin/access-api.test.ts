// Users and access over REST and the public password pages (issue 10 item 1 and 9): invite → the mailed
// one-time link (kept sealed in the account mail log) → the person sets the password → signs in;
// invalid input refused with field errors and nothing created; deactivation revokes the token and
// refuses sign-in; per-account throttling; session lifetime; the audit list with before → after.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountLinkMarker, openLink } from '../../activities/email/account-mail.ts';
import { staffAddresses } from '../../db/queries/email.ts';
import { writeSettings } from '../../db/queries/settings.ts';
import { listStaff } from '../../db/queries/users.ts';
import { accountEmails, attendantGroups, sessions, users } from '../../db/schema.ts';
import { json, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';

let t: TestOuvidor;
let admin: Awaited<ReturnType<TestOuvidor['createStaff']>>;
let ombudsman: Awaited<ReturnType<TestOuvidor['createStaff']>>;
const origin = 'http://localhost';
type User = { id: string; email: string; role: string; active: boolean; invitationPending: boolean };
type Fields = { error: { code: string; fields?: Record<string, string[]> } };

const post = (path: string, body: unknown, headers: Record<string, string>) =>
  json(t.app.request(path, { method: 'POST', headers, body: JSON.stringify(body) }));
const form = (path: string, fields: Record<string, string>) =>
  t.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
const token = (email: string, password: string) =>
  post('/api/v1/auth/token', { email, password }, { 'content-type': 'application/json' });

/** The one-time link of the last account message to `userId`, opened as only the transport would. */
async function mailedLink(userId: string) {
  const [row] = await t.db
    .select()
    .from(accountEmails)
    .where(eq(accountEmails.userId, userId))
    .orderBy(accountEmails.createdAt);
  if (!row) throw new Error('no account mail');
  return { row, link: openLink(t.deps.secret, row.sealedLink) };
}

beforeAll(async () => {
  t = await startTestOuvidor();
  admin = await t.createStaff('admin');
  ombudsman = await t.createStaff('ombudsman');
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

describe('invitations', () => {
  it('refuses invalid input with pt-BR field messages and creates nothing', async () => {
    const before = (await t.db.select().from(users)).length;
    const bad = await post(
      '/api/v1/admin/users',
      { name: 'A', email: 'not-an-email', role: 'boss' },
      admin.headers,
    );
    expect(bad.status).toBe(422);
    const fields = (bad.body as unknown as Fields).error.fields ?? {};
    expect(fields.email).toEqual(['E-mail inválido.']);
    expect(fields.name?.[0]).toMatch(/pelo menos 2/);
    expect(fields.role?.[0]).toMatch(/Escolha um perfil/);
    const noUnit = await post(
      '/api/v1/admin/users',
      { name: 'Ana Obras', email: 'ana@x.test', role: 'unit' },
      admin.headers,
    );
    expect((noUnit.body as unknown as Fields).error.fields?.unitCode).toEqual([
      'Um usuário de unidade precisa de uma unidade.',
    ]);
    const taken = await post(
      '/api/v1/admin/users',
      { name: 'Dup', email: admin.email, role: 'attendant' },
      admin.headers,
    );
    expect((taken.body as unknown as Fields).error.fields?.email).toEqual([
      'Já existe um usuário com este e-mail.',
    ]);
    expect((await t.db.select().from(users)).length).toBe(before);
  });

  it('invite → sealed mail → the person sets the password from the link → signs in; the link works once', async () => {
    const email = `convite-${Date.now()}@test.local`;
    const res = await post(
      '/api/v1/admin/users',
      { name: 'Carla Atendente', email, role: 'attendant' },
      admin.headers,
    );
    expect(res.status).toBe(201);
    const user = res.body as unknown as User;
    expect(user).toMatchObject({ email, role: 'attendant', active: true, invitationPending: true });
    expect((await token(email, 'anything-at-all')).status).toBe(401); // no password yet

    const { row, link } = await mailedLink(user.id);
    expect(row).toMatchObject({ kind: 'invitation', recipient: email, status: 'logged' });
    const path = new URL(link).pathname;
    const secretPart = path.split('/').pop() as string;
    expect(row.html).toContain(accountLinkMarker);
    expect(row.html).not.toContain(secretPart);
    expect(row.text).not.toContain(secretPart);

    expect((await t.app.request(path)).status).toBe(200);
    const short = await form(path, { password: 'curta', confirmPassword: 'curta' });
    expect(short.status).toBe(422);
    expect(await short.text()).toContain('A senha precisa ter pelo menos 8 caracteres.');
    const mismatch = await form(path, { password: 'senha-boa-123', confirmPassword: 'outra-senha-123' });
    expect(mismatch.status).toBe(422);
    const ok = await form(path, { password: 'senha-boa-123', confirmPassword: 'senha-boa-123' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/entrar?senha=definida');
    expect((await token(email, 'senha-boa-123')).status).toBe(200);

    const again = await t.app.request(path);
    expect(again.status).toBe(410);
    expect((await form(path, { password: 'outra-senha-99', confirmPassword: 'outra-senha-99' })).status).toBe(
      410,
    );
    expect((await token(email, 'outra-senha-99')).status).toBe(401);

    const listed = await json<{ items: User[] }>(
      t.app.request(`/api/v1/admin/users?q=${email}`, { headers: admin.headers }),
    );
    expect(listed.body.items.map((u) => [u.email, u.invitationPending])).toEqual([[email, false]]);
  });
});

describe('control characters never reach the database', () => {
  it('answers 422, 401 or an empty result instead of a server error', async () => {
    const nul = '\u0000';
    const q = await t.app.request(`/api/v1/admin/users?q=a${encodeURIComponent(nul)}`, {
      headers: admin.headers,
    });
    expect(q.status).toBe(422);
    const page = await t.app.request(`/painel/admin/usuarios?q=a${encodeURIComponent(nul)}`, {
      headers: admin.headers,
    });
    expect(page.status).toBe(200);
    expect((await form('/entrar', { email: `a${nul}@x.test`, password: 'x' })).status).toBe(401);
    expect((await form('/entrar/esqueci', { email: `a${nul}@x.test` })).status).toBe(200);
    const invite = await post(
      '/api/v1/admin/users',
      { name: 'Nome', email: 'n@x.test', role: 'unit', unitCode: `a${nul}` },
      admin.headers,
    );
    expect(invite.status).toBe(422);
  });
});

describe('forgotten password', () => {
  it('mails a reset link to an active staff account only; the answer is the same for anyone', async () => {
    const person = await t.createStaff('ombudsman');
    const [row] = await t.db.select().from(users).where(eq(users.email, person.email));
    const asked = await form('/entrar/esqueci', { email: person.email });
    const unknown = await form('/entrar/esqueci', { email: 'ninguem@test.local' });
    expect(asked.status).toBe(200);
    expect(unknown.status).toBe(200);
    const sent = 'Se houver uma conta ativa com esse e-mail, o link foi enviado.';
    expect(await asked.text()).toContain(sent);
    expect(await unknown.text()).toContain(sent);
    const { row: mail, link } = await mailedLink(row?.id as string);
    expect(mail.kind).toBe('password_reset');
    const path = new URL(link).pathname;
    const reset = await form(path, {
      password: 'senha-nova-da-ouvidoria',
      confirmPassword: 'senha-nova-da-ouvidoria',
    });
    expect(reset.status).toBe(303);
    expect((await token(person.email, person.password)).status).toBe(401);
    expect((await token(person.email, 'senha-nova-da-ouvidoria')).status).toBe(200);
    // the admin's page never shows a reset link (only an invitation's, while nothing left the server)
    const again = await form('/entrar/esqueci', { email: person.email });
    expect(again.status).toBe(200);
    const adminPage = await t.app.request(`/painel/admin/usuarios/${row?.id}`, { headers: admin.headers });
    expect(await adminPage.text()).not.toContain('/definir-senha/');
  });
});

describe('groups', () => {
  it('puts a user in attendant groups (unknown groups refused) and audits the change', async () => {
    await t.db.insert(attendantGroups).values({ code: 'triagem', name: 'Triagem' }).onConflictDoNothing();
    const person = await t.createStaff('attendant');
    const [row] = await t.db.select().from(users).where(eq(users.email, person.email));
    const patch = (body: unknown) =>
      json<User & { groups: string[] } & Fields>(
        t.app.request(`/api/v1/admin/users/${row?.id}`, {
          method: 'PATCH',
          headers: admin.headers,
          body: JSON.stringify(body),
        }),
      );
    const unknown = await patch({ groups: ['triagem', 'nao-existe'] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.fields?.groups).toEqual(['Grupo desconhecido: nao-existe.']);
    const ok = await patch({ groups: ['triagem'] });
    expect(ok.status).toBe(200);
    expect(ok.body.groups).toEqual(['triagem']);
    const audit = await json<{ items: Array<{ before: { groups: string[] }; after: { groups: string[] } }> }>(
      t.app.request('/api/v1/admin/audit?action=users.updated&limit=1', { headers: admin.headers }),
    );
    expect(audit.body.items[0]).toMatchObject({ before: { groups: [] }, after: { groups: ['triagem'] } });
  });
});

describe('deactivation', () => {
  it('revokes the token, refuses sign-in, keeps the row; the last admin cannot deactivate themselves', async () => {
    const person = await t.createStaff('attendant', { name: 'Diego Desligado' });
    expect((await t.app.request('/api/v1/units', { headers: person.headers })).status).toBe(200);
    const [row] = await t.db.select().from(users).where(eq(users.email, person.email));
    const off = await json<User>(
      t.app.request(`/api/v1/admin/users/${row?.id}`, {
        method: 'PATCH',
        headers: admin.headers,
        body: JSON.stringify({ active: false }),
      }),
    );
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    expect((await t.app.request('/api/v1/units', { headers: person.headers })).status).toBe(401);
    expect((await token(person.email, person.password)).status).toBe(401);
    const page = await form('/entrar', { email: person.email, password: person.password });
    expect(await page.text()).toContain('Esta conta está desativada');
    expect((await t.db.select().from(users).where(eq(users.email, person.email)))[0]?.name).toBe(
      'Diego Desligado',
    );
    // no more mail to them, no more new work for them; their name stays on what they did
    expect((await staffAddresses(t.db, ['attendant'])).map((a) => a.email)).not.toContain(person.email);
    const pickable = await listStaff(t.db, ['attendant'], { activeOnly: true });
    expect(pickable.map((a) => a.email)).not.toContain(person.email);
    expect((await listStaff(t.db, ['attendant'])).map((a) => a.email)).toContain(person.email);

    const [me] = await t.db.select().from(users).where(eq(users.email, admin.email));
    const self = await json<Fields>(
      t.app.request(`/api/v1/admin/users/${me?.id}`, {
        method: 'PATCH',
        headers: admin.headers,
        body: JSON.stringify({ active: false }),
      }),
    );
    expect(self.status).toBe(422);
    expect(self.body.error.fields?.active?.[0]).toMatch(/sua própria conta/);
  });
});

describe('security rules', () => {
  it('locks an account after the configured failures, whatever the IP, even with the right password', async () => {
    const person = await t.createStaff('attendant');
    await writeSettings(
      t.db,
      { id: admin.email },
      { 'security.signInMaxFailures': 3, 'security.signInLockMinutes': 10 },
    );
    for (let i = 0; i < 3; i++) expect((await token(person.email, 'wrong-password')).status).toBe(401);
    const locked = await token(person.email, person.password);
    expect(locked.status).toBe(429);
    expect((locked.body as unknown as Fields).error.code).toBe('account_locked');
    const page = await form('/entrar', { email: person.email, password: person.password });
    expect(page.status).toBe(429);
    expect(await page.text()).toContain('tente de novo em 10 minutos');
    await writeSettings(t.db, { id: admin.email }, { 'security.signInMaxFailures': 5 });
  });

  it('ends a session older than the configured lifetime', async () => {
    const person = await t.createStaff('attendant');
    expect((await t.app.request('/api/v1/units', { headers: person.headers })).status).toBe(200);
    await writeSettings(t.db, { id: admin.email }, { 'security.sessionHours': 2 });
    const [row] = await t.db.select().from(users).where(eq(users.email, person.email));
    await t.db
      .update(sessions)
      .set({ createdAt: new Date(Date.now() - 3 * 3_600_000) })
      .where(eq(sessions.userId, row?.id as string));
    expect((await t.app.request('/api/v1/units', { headers: person.headers })).status).toBe(401);
    await writeSettings(t.db, { id: admin.email }, { 'security.sessionHours': 12 });
  });
});

describe('audit list', () => {
  it('shows who changed which user, before → after, filtered; the ombudsman reads it', async () => {
    const res = await json<{ items: Array<Record<string, unknown>>; nextCursor: string | null }>(
      t.app.request('/api/v1/admin/audit?entity=user&action=users.deactivated', {
        headers: ombudsman.headers,
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(res.body.items[0]).toMatchObject({
      actor: admin.email,
      action: 'users.deactivated',
      entity: 'user',
      before: { active: true, name: 'Diego Desligado' },
      after: { active: false, name: 'Diego Desligado' },
    });
    const settings = await json<{
      items: Array<{ before: Record<string, unknown>; after: Record<string, unknown> }>;
    }>(t.app.request('/api/v1/admin/audit?entity=settings&limit=1', { headers: admin.headers }));
    expect(settings.body.items[0]?.after).toEqual({ 'security.sessionHours': 12 });
    const page1 = await json<{ items: unknown[]; nextCursor: string }>(
      t.app.request('/api/v1/admin/audit?limit=1', { headers: admin.headers }),
    );
    const page2 = await json<{ items: Array<{ id: string }> }>(
      t.app.request(`/api/v1/admin/audit?limit=1&cursor=${page1.body.nextCursor}`, {
        headers: admin.headers,
      }),
    );
    expect(page2.body.items[0]?.id).not.toBe((page1.body.items[0] as { id: string }).id);
    const bad = await json<Fields>(
      t.app.request('/api/v1/admin/audit?from=2026-13-01', { headers: admin.headers }),
    );
    expect(bad.status).toBe(422);
    for (const q of [
      'from=0000-01-01',
      'to=2026-02-31',
      'from=2026-12-01&to=2026-11-01',
      'cursor=bm90LWEtY3Vyc29y',
      'limit=0',
    ])
      expect((await t.app.request(`/api/v1/admin/audit?${q}`, { headers: admin.headers })).status, q).toBe(
        422,
      );
  });
});
