import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStoredMessage } from '../../activities/email/sealed-secrets.ts';
import { listOutboundForCase } from '../../db/queries/email.ts';
import { upsertUnit } from '../../db/queries/units.ts';
import { waitFor } from '../email/support.ts';
import { type BrowserApp, hasChromium, noChromiumMessage, signIn, startBrowserApp } from './support.ts';

const slow = 180_000;
const reporter = {
  name: 'Heloísa Brandemburgo',
  email: 'heloisa.brandemburgo@example.org',
  phone: '(21) 97777-1234',
};

describe.skipIf(!hasChromium)(hasChromium ? 'protected identity in the browser' : noChromiumMessage, () => {
  let b: BrowserApp;
  type Staff = Awaited<ReturnType<BrowserApp['t']['createStaff']>>;
  let attendant: Staff;
  let unit: Staff;
  let ombudsman: Staff;
  let protocol = '';
  let accessCode = '';
  let followPath = '';

  beforeAll(async () => {
    b = await startBrowserApp();
    await upsertUnit(b.t.db, {
      code: 'SEC-OBRAS',
      name: 'Secretaria de Obras',
      email: 'obras@prefeitura.example',
    });
    attendant = await b.t.createStaff('attendant');
    unit = await b.t.createStaff('unit', { unitCode: 'SEC-OBRAS' });
    ombudsman = await b.t.createStaff('ombudsman');

    // The citizen files through the public form.
    const { page } = await b.newPage();
    await page.goto('/registrar');
    await page.getByLabel('Tipo de manifestação').selectOption({ label: 'Denúncia' });
    await page.getByLabel('Assunto').fill('Obra irregular na Rua das Acácias');
    await page
      .getByLabel('Descreva sua manifestação')
      .fill('Há uma obra sem alvará na Rua das Acácias, 120, desde março.');
    await page.getByLabel('Identidade preservada').check();
    await page.getByLabel('Nome').fill(reporter.name);
    await page.getByLabel('E-mail').fill(reporter.email);
    await page.getByLabel('Telefone').fill(reporter.phone);
    await page.getByRole('button', { name: 'Enviar manifestação' }).click();
    await page.getByRole('heading', { name: 'Manifestação registrada' }).waitFor();
    protocol = (await page.locator('#protocol').textContent())?.trim() ?? '';
    accessCode = (await page.locator('#access-code').textContent())?.trim() ?? '';
    expect(protocol).toMatch(/^OUV-\d{4}-\d{6}$/);

    // The attendant forwards it to Obras (REST: not what this test is about).
    for (const [action, body] of [
      ['assign', { assignee: attendant.email }],
      ['forward', { units: ['SEC-OBRAS'], instructions: 'Vistoriar a obra e responder.' }],
    ] as const) {
      const res = await b.t.app.request(`/api/v1/manifestations/${protocol}/actions/${action}`, {
        method: 'POST',
        headers: attendant.headers,
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
    }
    const receipt = await waitFor(async () =>
      (await listOutboundForCase(b.t.db, protocol)).find((m) => m.template === 'receipt'),
    );
    const sent = openStoredMessage(receipt, b.t.deps.secret).text;
    followPath = /https?:\/\/[^/\s]+(\/acompanhar\/\S+\/link\?t=[a-z2-7]{32})/.exec(sent)?.[1] ?? '';
    expect(followPath).toContain('/link?t=');
    await waitFor(async () =>
      (await listOutboundForCase(b.t.db, protocol)).some((m) => m.recipient === 'obras@prefeitura.example'),
    );
  }, slow);
  afterAll(async () => b?.stop());

  const secretsAndReporter = () => [
    reporter.name,
    'Brandemburgo',
    reporter.email,
    reporter.phone,
    '977771234',
    accessCode,
    followPath.split('t=')[1]!,
  ];

  it(
    'unit staff open the case and its mail log and find neither the reporter nor a citizen secret',
    async () => {
      const { page } = await b.newPage();
      await signIn(page, unit);
      await page.getByRole('link', { name: protocol }).click();
      await page.waitForURL(`**/painel/casos/${protocol}`);
      await expect
        .poll(() => page.locator('#case-reporter').textContent())
        .toContain('Identidade do manifestante protegida');
      expect(await page.getByRole('button', { name: 'Revelar identidade' }).count()).toBe(0);
      await page.getByText('E-mails do caso').click();
      await page.locator('.mail-list').waitFor();
      // open every message so its text is on the page
      for (const toggle of await page.locator('.mail-list summary').all()) await toggle.click();
      const text = (await page.locator('body').textContent()) + (await page.content());
      expect(text).toContain('Vistoriar a obra'); // the unit's own instructions are there
      expect(text).toContain('[código de acesso oculto]'); // the receipt is listed, redacted
      for (const value of secretsAndReporter()) expect(text, value).not.toContain(value);

      // The citizen's follow link, opened in the unit's session, does not open the citizen's portal.
      await page.goto(followPath);
      await expect.poll(() => page.locator('#follow-error').textContent()).toContain('conectado como equipe');
      expect(page.url()).toContain('/link?t=');
      expect(await page.getByRole('button', { name: /Aceitar|Enviar resposta/ }).count()).toBe(0);
    },
    slow,
  );

  it(
    'the ombudsman reveals the identity with a purpose; the reveal is in the access log',
    async () => {
      const { page } = await b.newPage();
      await signIn(page, ombudsman);
      await page.goto(`/painel/casos/${protocol}`);
      await expect
        .poll(() => page.locator('#case-reporter').textContent())
        .toContain('Identidade do manifestante protegida');
      await page.getByText('Revelar identidade', { exact: true }).first().click();
      await page.getByRole('button', { name: 'Revelar identidade' }).click();
      await expect.poll(() => page.locator('#reveal-purpose-error').textContent()).toContain('finalidade');
      expect(await page.locator('#case-reporter').textContent()).not.toContain(reporter.name);

      await page
        .getByLabel('Finalidade do acesso')
        .fill('Verificar indício de retaliação contra o denunciante');
      await page.getByRole('button', { name: 'Revelar identidade' }).click();
      await expect.poll(() => page.locator('#case-reporter').textContent()).toContain(reporter.name);
      const shown = (await page.locator('#case-reporter').textContent()) ?? '';
      expect(shown).toContain(reporter.email);
      expect(shown).toContain('acesso foi registrado');

      await page.getByRole('link', { name: 'Acessos à identidade' }).click();
      await page.waitForURL('**/painel/acessos-identidade');
      const row = page.locator('#access-log tbody tr', { hasText: protocol });
      await expect.poll(() => row.textContent()).toContain('Verificar indício de retaliação');
      expect(await row.textContent()).toContain(ombudsman.email);

      // The reveal was for that one response: the case page hides the identity again.
      await page.goto(`/painel/casos/${protocol}`);
      expect(await page.locator('#case-reporter').textContent()).not.toContain(reporter.name);
    },
    slow,
  );
});
