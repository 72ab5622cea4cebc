// The operator's path in the real Temporal Web UI (issue 7): a dev server started as `npm start` starts
// it (config/temporal-dev-server.ts, with --ui-codec-endpoint), Ouvidor served on a real port, Chromium.
// The case input shows as ciphertext; after the one-time codec setting the README describes, it decodes
// for a signed-in admin only — not for a visitor, not for unit staff.
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevServer, startDevServer } from '../../config/temporal-dev-server.ts';
import { newManifestation, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';
import { chromiumPath, hasChromium, noChromiumMessage } from './support.ts';

const citizen = { name: 'Iracema Albuquerque Lins', email: 'iracema.lins@example.org' };

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let dev: DevServer;
let t: TestOuvidor;
let server: ReturnType<typeof serve>;
let browser: Browser;
let appUrl: string;
let uiUrl: string;
let protocol: string;

beforeAll(async () => {
  if (!hasChromium) return;
  const [appPort, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  appUrl = `http://localhost:${appPort}`;
  dev = await startDevServer({
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'ouvidor-temporal-ui-')),
    port: temporalPort,
    uiPort,
    namespace: 'default',
    codecEndpoint: `${appUrl}/codec`,
  });
  uiUrl = dev.uiUrl;
  t = await startTestOuvidor({ temporal: { address: dev.address, namespace: 'default' } });
  t.deps.publicUrl = appUrl;
  t.deps.temporal.uiOrigins = [uiUrl];
  server = serve({ fetch: t.app.fetch, port: appPort });
  await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  const res = await t.app.request('/api/v1/manifestations', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(newManifestation({ identity: 'preserved', citizen })),
  });
  expect(res.status).toBe(201);
  protocol = ((await res.json()) as { protocol: string }).protocol;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (server) await new Promise<void>((r) => server.close(() => r()));
  await t?.stop();
  await dev?.stop();
});

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${appUrl}/entrar`);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL(/\/painel/), page.click('button[type=submit]')]);
}

/** Opens the case in the Temporal UI and waits for the UI's decode call to be answered. */
async function openCase(page: Page): Promise<{ status: number; input: string }> {
  const decoded = page.waitForResponse(
    (r) => r.url().startsWith(`${appUrl}/codec/decode`) && r.request().method() === 'POST',
  );
  await page.goto(`${uiUrl}/namespaces/default/workflows/${protocol}`);
  const status = (await decoded).status();
  await page.getByText('Input', { exact: true }).filter({ visible: true }).first().waitFor();
  return { status, input: (await page.textContent('body')) ?? '' };
}

/** The README's one-time step: the codec icon → browser setting → endpoint → include credentials → Apply. */
async function useCodecWithCredentials(page: Page) {
  await page.goto(`${uiUrl}/namespaces/default/workflows/${protocol}`);
  await page.locator('[data-testid^=data-encoder-status]').first().click();
  await page.click('[data-testid=use-local-endpoint-input]');
  await page.fill('#data-encoder-endpoint-input', `${appUrl}/codec`);
  await page.locator('label[data-testid=data-encoder-include-credentials]').click();
  expect(await page.isChecked('#pass-access-credentials')).toBe(true);
  await page.click('[data-testid=confirm-modal-button]');
}

describe.skipIf(!hasChromium)('Temporal Web UI with the codec endpoint', () => {
  if (!hasChromium) console.warn(noChromiumMessage);

  it('shows ciphertext to everyone, and the citizen only to a signed-in admin', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();

    // out of the box (cluster setting, no credentials): the UI calls the codec, which refuses it
    const plain = await openCase(page);
    expect(plain.status).toBe(401);
    expect(plain.input).toContain(protocol);
    expect(plain.input).not.toContain(citizen.email);
    expect(plain.input).not.toContain(citizen.name);

    await useCodecWithCredentials(page);
    const anonymous = await openCase(page);
    expect(anonymous.status).toBe(401);
    expect(anonymous.input).not.toContain(citizen.email);

    const unit = await t.createStaff('unit', { unitCode: 'SEC-OBRAS' });
    await signIn(page, unit.email, unit.password);
    const asUnit = await openCase(page);
    expect(asUnit.status).toBe(403);
    expect(asUnit.input).not.toContain(citizen.email);

    // signs out on the Ouvidor page, as the unit user would, then the admin signs in
    await page.goto(`${appUrl}/painel`);
    await Promise.all([page.waitForURL(/\/entrar|\/$/), page.locator('form[action="/sair"] button').click()]);
    const admin = await t.createStaff('admin');
    await signIn(page, admin.email, admin.password);
    const asAdmin = await openCase(page);
    expect(asAdmin.status).toBe(200);
    await page.getByText(citizen.email).first().waitFor();
    expect(await page.textContent('body')).toContain(citizen.name);
    await context.close();
  }, 180_000);
});
