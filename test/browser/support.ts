// Browser tests: the in-process test app served on a real port, and Debian Chromium driven by
// playwright-core. Tests skip (with a message) only when there is no Chromium binary.
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { startTestOuvidor, type TestOuvidor } from '../support/harness.ts';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);
export const noChromiumMessage = `browser tests skipped: no Chromium at ${chromiumPath} (set CHROMIUM_PATH)`;

export type BrowserApp = {
  t: TestOuvidor;
  browser: Browser;
  baseUrl: string;
  /** A fresh context (own cookies) whose pages record CSP violations into `cspViolations`. */
  newPage: (opts?: { width?: number; height?: number }) => Promise<{ context: BrowserContext; page: Page }>;
  cspViolations: string[];
  stop: () => Promise<void>;
};

export async function startBrowserApp(): Promise<BrowserApp> {
  const t = await startTestOuvidor();
  const server = serve({ fetch: t.app.fetch, port: 0 });
  await new Promise<void>((resolve) => {
    if (server.listening) resolve();
    else server.once('listening', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  // One origin everywhere: the browser uses http://localhost:PORT, so the CSRF check (Origin) and the
  // cookies agree with publicUrl.
  const baseUrl = `http://localhost:${port}`;
  t.deps.publicUrl = baseUrl;
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const cspViolations: string[] = [];
  const contexts: BrowserContext[] = [];

  async function newPage(opts: { width?: number; height?: number } = {}) {
    const context = await browser.newContext({
      baseURL: baseUrl,
      locale: 'pt-BR',
      viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 },
    });
    // A loaded CI machine (two cores, a worker, Temporal and Chromium per file) can take longer than
    // Playwright's 30 s for one step; a real failure still fails, later.
    context.setDefaultTimeout(60_000);
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (msg) => {
      const text = msg.text();
      if (msg.type() === 'error' && /Content[ -]Security[ -]Policy/i.test(text))
        cspViolations.push(`${page.url()}: ${text} (${msg.location().url}:${msg.location().lineNumber})`);
    });
    return { context, page };
  }

  async function stop() {
    for (const c of contexts) await c.close().catch(() => {});
    await browser.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t.stop();
  }

  return { t, browser, baseUrl, newPage, cspViolations, stop };
}

/** Signs `who` in through the sign-in form, as a person does, and waits for the workspace. */
export async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto('/entrar');
  await page.getByLabel('E-mail').fill(who.email);
  await page.getByLabel('Senha').fill(who.password);
  await page.getByRole('button', { name: 'Entrar', exact: true }).click();
  await page.waitForURL('**/painel');
}
