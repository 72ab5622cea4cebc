// Users and access in Chromium, as an admin and the invited person use them (issue 10 items 1 and 10):
// invite (bad input refused with messages, nothing created) → the invitee opens the mailed link (read by
// the admin in the account mail log, since the test sends no real mail) and sets a password → signs in;
// deactivation ends the session and refuses sign-in; own password change from the header name; security
// rules turn two-factor on → the admin must enrol (QR and key), then signs in with a TOTP code computed
// here as an authenticator app would.
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../db/schema.ts';
import { type BrowserApp, hasChromium, noChromiumMessage, startBrowserApp } from './support.ts';

const slow = 180_000;
const shots = 'test/.artifacts';

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) from a base32 key, as an authenticator app computes it. */
function totp(base32: string, at = Date.now()): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of base32.replace(/=+$/, '').toUpperCase())
    bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => Number.parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = (mac[mac.length - 1] as number) & 0xf;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, '0');
}

describe.skipIf(!hasChromium)(hasChromium ? 'users and access in the browser' : noChromiumMessage, () => {
  let b: BrowserApp;
  type Staff = Awaited<ReturnType<BrowserApp['t']['createStaff']>>;
  let admin: Staff;
  const invitee = {
    name: 'Carla Convidada',
    email: `carla-${Date.now()}@test.local`,
    password: 'senha-da-carla-1',
  };

  /** Serious or critical accessibility problems on the page (axe). */
  async function axeProblems(page: Page) {
    const { violations } = await new AxeBuilder({ page }).analyze();
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
  }

  async function signIn(page: Page, email: string, password: string) {
    await page.goto('/entrar');
    await page.getByLabel('E-mail', { exact: true }).fill(email);
    await page.getByLabel('Senha', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.waitForLoadState('load');
  }

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    b = await startBrowserApp();
    admin = await b.t.createStaff('admin', { name: 'Alice Administradora' });
  }, slow);
  afterAll(async () => {
    await b?.stop();
  });

  it(
    'invite: bad input shows messages and creates nothing; the invitee sets a password from the link and signs in',
    async () => {
      const { page } = await b.newPage();
      await signIn(page, admin.email, admin.password);
      await page.getByRole('link', { name: 'Administração' }).first().click();
      await page.getByRole('link', { name: 'Usuários e convites' }).first().click();
      await page.waitForLoadState('load');
      const before = (await b.t.db.select().from(users)).length;

      await page.getByLabel('Nome', { exact: true }).fill('C');
      await page.getByLabel('E-mail', { exact: true }).fill('carla-sem-arroba');
      await page.locator('#invite-role').selectOption('unit');
      await page.getByRole('button', { name: 'Enviar convite' }).click();
      await page.waitForLoadState('load');
      await expect
        .poll(() => page.locator('#invite-email-error').textContent())
        .toContain('E-mail inválido.');
      expect(await page.locator('#invite-name-error').textContent()).toContain('pelo menos 2 caracteres');
      expect(await page.locator('#invite-unitCode-error').textContent()).toContain('precisa de uma unidade');
      expect((await b.t.db.select().from(users)).length).toBe(before);
      await page.screenshot({ path: `${shots}/admin-access-invite-errors.png`, fullPage: true });
      expect(await axeProblems(page)).toEqual([]);

      await page.getByLabel('Nome', { exact: true }).fill(invitee.name);
      await page.getByLabel('E-mail', { exact: true }).fill(invitee.email);
      await page.locator('#invite-role').selectOption('attendant');
      await page.getByRole('button', { name: 'Enviar convite' }).click();
      await page.waitForLoadState('load');
      expect(await page.getByRole('status').first().textContent()).toContain(
        `Convite enviado para ${invitee.email}`,
      );
      expect(await page.locator('#user-status').textContent()).toContain('Convite pendente');
      const link = await page.getByTestId('password-link').getAttribute('href');
      expect(link).toMatch(/\/definir-senha\//);
      await page.screenshot({ path: `${shots}/admin-access-user.png`, fullPage: true });
      expect(await axeProblems(page)).toEqual([]);

      const guest = (await b.newPage()).page;
      await guest.goto(link as string);
      await guest.getByLabel('Nova senha').fill('curta');
      await guest.getByLabel('Repita a senha').fill('curta');
      await guest.getByRole('button', { name: 'Definir senha' }).click();
      await guest.waitForLoadState('load');
      expect(await guest.locator('#password-error').textContent()).toContain('pelo menos 8 caracteres');
      await guest.getByLabel('Nova senha').fill(invitee.password);
      await guest.getByLabel('Repita a senha').fill(invitee.password);
      await guest.getByRole('button', { name: 'Definir senha' }).click();
      await guest.waitForLoadState('load');
      expect(await guest.getByRole('status').first().textContent()).toContain('Senha definida');
      await signIn(guest, invitee.email, invitee.password);
      expect(new URL(guest.url()).pathname).toBe('/painel');
      expect(await guest.locator('header .who').textContent()).toContain(invitee.name);

      await guest.goto(link as string); // the link works once
      expect(await guest.locator('#link-invalid').textContent()).toContain('não vale mais');
    },
    slow,
  );

  it(
    'deactivation ends the open session and refuses sign-in; the list shows the user as deactivated',
    async () => {
      const { page } = await b.newPage();
      const person = await b.t.createStaff('attendant', { name: 'Diego Desativado' });
      const other = (await b.newPage()).page;
      await signIn(other, person.email, person.password);
      expect(new URL(other.url()).pathname).toBe('/painel');

      await signIn(page, admin.email, admin.password);
      await page.goto('/painel/admin/usuarios');
      await page.getByLabel('Buscar por nome ou e-mail').fill('Diego');
      await page.getByRole('button', { name: 'Filtrar' }).click();
      await page.getByRole('link', { name: 'Diego Desativado' }).click();
      await page.getByRole('button', { name: 'Desativar usuário' }).click();
      await page.waitForLoadState('load');
      expect(await page.locator('#user-status').textContent()).toContain('Desativado');

      await other.reload();
      expect(new URL(other.url()).pathname).toBe('/entrar');
      await signIn(other, person.email, person.password);
      expect(await other.locator('#signin-error').textContent()).toContain('Esta conta está desativada');

      // the audit list shows the change, before → after, filtered by object and action
      await page.getByRole('link', { name: 'Auditoria' }).click();
      await page.locator('#audit-entity').selectOption('user');
      await page.locator('#audit-action').fill('users.deactivated');
      await page.getByRole('button', { name: 'Filtrar' }).click();
      await page.waitForLoadState('load');
      const rows = page.locator('#audit-table tbody tr');
      expect(await rows.count()).toBe(1);
      expect(await rows.first().textContent()).toContain(admin.email);
      expect(await rows.first().locator('dt').allTextContents()).toEqual(['active']);
      expect(await rows.first().locator('dd').allTextContents()).toEqual(['true → false']);
      await page.locator('#audit-from').fill('2026-12-31');
      await page.locator('#audit-to').fill('2026-01-01');
      await page.getByRole('button', { name: 'Filtrar' }).click();
      await page.waitForLoadState('load');
      expect(await page.locator('#audit-to-error').textContent()).toContain('posterior à inicial');
      await page.screenshot({ path: `${shots}/admin-access-audit.png`, fullPage: true });
    },
    slow,
  );

  it(
    'own password change from the name in the header: wrong current password refused, then the new one works',
    async () => {
      const person = await b.t.createStaff('unit', { name: 'Úrsula Unidade', unitCode: 'obras' });
      const { page } = await b.newPage();
      await signIn(page, person.email, person.password);
      await page.locator('header a.who').click();
      await page.waitForLoadState('load');
      expect(new URL(page.url()).pathname).toBe('/painel/conta');
      await page.getByLabel('Senha atual').first().fill('nao-e-esta');
      await page.getByLabel('Nova senha', { exact: true }).fill('nova-senha-da-ursula');
      await page.getByLabel('Repita a nova senha').fill('nova-senha-da-ursula');
      await page.getByRole('button', { name: 'Trocar senha' }).click();
      await page.waitForLoadState('load');
      expect(await page.locator('#currentPassword-error').textContent()).toContain(
        'A senha atual não confere.',
      );
      await page.getByLabel('Senha atual').first().fill(person.password);
      await page.getByLabel('Nova senha', { exact: true }).fill('nova-senha-da-ursula');
      await page.getByLabel('Repita a nova senha').fill('nova-senha-da-ursula');
      await page.getByRole('button', { name: 'Trocar senha' }).click();
      await page.waitForLoadState('load');
      expect(await page.getByRole('status').first().textContent()).toContain('Senha alterada');
      await page.screenshot({ path: `${shots}/admin-access-account.png`, fullPage: true });
      expect(await axeProblems(page)).toEqual([]);

      const fresh = (await b.newPage()).page;
      await signIn(fresh, person.email, person.password);
      expect(new URL(fresh.url()).pathname).toBe('/entrar');
      await signIn(fresh, person.email, 'nova-senha-da-ursula');
      expect(new URL(fresh.url()).pathname).toBe('/painel');
    },
    slow,
  );

  it(
    'security rules: invalid values refused; two-factor on → the admin enrols with a TOTP code and signs in with one',
    async () => {
      const { page } = await b.newPage();
      await signIn(page, admin.email, admin.password);
      await page.goto('/painel/admin/seguranca');
      await page.getByLabel('Tamanho mínimo da senha (caracteres)').fill('3');
      await page.getByRole('button', { name: 'Salvar regras' }).click();
      await page.waitForLoadState('load');
      expect(await page.locator('[id="security-passwordMinLength-error"]').textContent()).toContain(
        'O mínimo é 8',
      );
      await page.goto('/painel/admin/seguranca');
      expect(await page.getByLabel('Tamanho mínimo da senha (caracteres)').inputValue()).toBe('8');

      await page.getByLabel(/Verificação em duas etapas/).check();
      await page.getByRole('button', { name: 'Salvar regras' }).click();
      await page.waitForLoadState('load');
      // saved: from now on this admin (no TOTP yet) is sent to enrol before anything else
      expect(new URL(page.url()).pathname).toBe('/painel/conta');
      await page.goto('/painel/admin/usuarios');
      expect(new URL(page.url()).pathname).toBe('/painel/conta');
      const rest = await b.t.app.request('/api/v1/admin/users', { headers: admin.headers });
      expect(rest.status).toBe(403);
      expect(((await rest.json()) as { error: { code: string } }).error.code).toBe('two_factor_required');
      expect(await page.locator('#twofa-required').textContent()).toContain('exigem');
      await page.locator('#enrol-password').fill(admin.password);
      await page.getByRole('button', { name: 'Ativar verificação em duas etapas' }).click();
      await page.waitForLoadState('load');
      expect(await page.locator('.totp-qr svg').count()).toBe(1);
      const key = ((await page.locator('#totp-secret').textContent()) ?? '').trim();
      await page.getByLabel('Código').fill('000000');
      await page.getByRole('button', { name: 'Confirmar código' }).click();
      await page.waitForLoadState('load');
      expect(await page.locator('#totp-code-error').textContent()).toContain('Código inválido');
      await page.screenshot({ path: `${shots}/admin-access-two-factor.png`, fullPage: true });
      await page.getByLabel('Código').fill(totp(key));
      await page.getByRole('button', { name: 'Confirmar código' }).click();
      await page.waitForLoadState('load');
      expect(await page.getByRole('status').first().textContent()).toContain('ativada');
      await page.goto('/painel/admin/usuarios');
      expect(new URL(page.url()).pathname).toBe('/painel/admin/usuarios');

      const next = (await b.newPage()).page;
      await signIn(next, admin.email, admin.password);
      expect(new URL(next.url()).pathname).toBe('/entrar/codigo');
      await next.getByLabel('Código').fill('123456');
      await next.getByRole('button', { name: 'Verificar' }).click();
      await next.waitForLoadState('load');
      expect(await next.locator('#code-error').textContent()).toContain('Código inválido');
      await next.getByLabel('Código').fill(totp(key));
      await next.getByRole('button', { name: 'Verificar' }).click();
      await next.waitForLoadState('load');
      expect(new URL(next.url()).pathname).toBe('/painel');
      // a password alone no longer gets an API token for this account
      const tokenRes = await b.t.app.request('/api/v1/auth/token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: admin.email, password: admin.password }),
      });
      expect(tokenRes.status).toBe(401);
      expect(((await tokenRes.json()) as { error: { code: string } }).error.code).toBe('two_factor_required');
      expect(b.cspViolations).toEqual([]);
    },
    slow,
  );
});
