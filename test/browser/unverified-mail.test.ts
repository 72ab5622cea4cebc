// An e-mail that reached a case only by its subject, with the citizen's From: (not authenticated), in a real
// browser: the case page shows it as "não verificada" in the internal history, and the attendant accepts it
// as the citizen's reply by choosing it and clicking — the case then leaves "Aguardando complementação".
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseViewQuery } from '../../workflows/messages.ts';
import { INTAKE, message, postMime, waitFor } from '../email/support.ts';
import { json, newManifestation } from '../support/harness.ts';
import { type BrowserApp, hasChromium, noChromiumMessage, startBrowserApp } from './support.ts';

describe.skipIf(!hasChromium)(hasChromium ? 'unverified e-mail on the case page' : noChromiumMessage, () => {
  let b: BrowserApp;
  let staff: Awaited<ReturnType<BrowserApp['t']['createStaff']>>;

  beforeAll(async () => {
    b = await startBrowserApp();
    staff = await b.t.createStaff('attendant');
  });
  afterAll(async () => b?.stop());

  it('staff see the não verificada e-mail and accept it as the citizen’s reply with a click', async () => {
    const citizen = `maria.${randomBytes(3).toString('hex')}@example.org`;
    const filed = await json<{ protocol: string }>(
      b.t.app.request('/api/v1/manifestations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(newManifestation({ citizen: { name: 'Maria Souza', email: citizen } })),
      }),
    );
    const protocol = filed.body.protocol;
    const act = (action: string, body: unknown) =>
      b.t.app.request(`/api/v1/manifestations/${protocol}/actions/${action}`, {
        method: 'POST',
        headers: staff.headers,
        body: JSON.stringify(body),
      });
    expect((await act('assign', { assignee: staff.email })).status).toBe(200);
    expect((await act('request-info', { question: 'Qual o número do poste?' })).status).toBe(200);

    const posted = await postMime(
      b.t.app,
      message({
        from: `Maria Souza <${citizen}>`,
        to: INTAKE,
        subject: `Re: [${protocol}] Precisamos de mais informações`,
        body: 'É o poste número 4471, em frente à escola.',
      }),
    );
    expect(posted.status).toBe(202);
    const handle = b.t.client.workflow.getHandle(protocol);
    await waitFor(async () =>
      (await handle.query(caseViewQuery)).timeline.find((e) => e.data.verification === 'unverified'),
    );

    const { page } = await b.newPage();
    await page.goto('/entrar');
    await page.getByLabel('E-mail').fill(staff.email);
    await page.getByLabel('Senha').fill(staff.password);
    await page.getByRole('button', { name: 'Entrar', exact: true }).click();
    await page.waitForURL('**/painel');
    await page.goto(`/painel/casos/${protocol}`);

    const entry = page.locator('.event-email_received', { hasText: 'não verificada' });
    await expect.poll(() => entry.count()).toBe(1);
    expect(await entry.textContent()).toContain('É o poste número 4471, em frente à escola.');

    // the decision is the next natural step: its form is shown open
    const choice = page.locator('#act-accept-email-emailId');
    expect(await page.locator('label[for="act-accept-email-emailId"]').textContent()).toBe(
      'E-mail não verificado',
    );
    await choice.selectOption({ index: 0 });
    await choice
      .locator('xpath=ancestor::form[1]')
      .getByRole('button', { name: 'Aceitar como resposta do manifestante' })
      .click();
    await page.locator('.event-email_accepted').waitFor();
    await page.locator('.event-citizen_replied', { hasText: 'É o poste número 4471' }).waitFor();

    const v = await handle.query(caseViewQuery);
    expect(v.status).toBe('in_progress');
    expect(v.timeline.find((e) => e.type === 'email_accepted')?.actor).toBe(staff.email);
    // decided: the forms are gone
    expect(await page.getByRole('button', { name: 'Aceitar como resposta do manifestante' }).count()).toBe(0);
    expect(b.cspViolations).toEqual([]);
  }, 180_000);
});
