// Issue 11 item 5–6 in a real browser: a citizen asks for a sign-in link, opens it (read where development
// puts it: api/account/mail.ts), sees Minhas manifestações (cases filed with their e-mail, news and
// deadlines), files a new one with their data filled in, updates their record and their company (audited),
// downloads their data (LGPD) and asks for a correction. A staff address never gets a link.
import { mkdirSync, readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devSignInLink } from '../../api/account/mail.ts';
import { dataRequests } from '../../db/schema/people.ts';
import { auditLog } from '../../db/schema.ts';
import { json, newManifestation } from '../support/harness.ts';
import { type BrowserApp, hasChromium, noChromiumMessage, startBrowserApp } from './support.ts';

const slow = 180_000;
const email = `helena-${Date.now()}@example.org`;

describe.skipIf(!hasChromium)(hasChromium ? 'the citizen account in the browser' : noChromiumMessage, () => {
  let b: BrowserApp;
  let earlier: string;

  beforeAll(async () => {
    b = await startBrowserApp();
    const r = await json<{ protocol: string }>(
      b.t.app.request('/api/v1/manifestations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(
          newManifestation({ subject: 'Coleta de lixo atrasada', citizen: { name: 'Helena Costa', email } }),
        ),
      }),
    );
    expect(r.status).toBe(201);
    earlier = r.body.protocol;
  }, slow);
  afterAll(async () => b?.stop());

  it(
    'signs in with the e-mailed link, sees the cases, files with data filled in, updates the company, exports',
    async () => {
      mkdirSync('test/.artifacts', { recursive: true });
      const { page } = await b.newPage();
      await page.goto('/');
      await page.getByRole('link', { name: 'Minhas manifestações' }).first().click();
      await page.getByLabel('E-mail').fill(email);
      await page.getByRole('button', { name: 'Enviar link de acesso' }).click();
      await page.waitForLoadState('load');
      await expect.poll(() => page.locator('#link-sent').textContent()).toContain(email);
      const link = devSignInLink(email);
      expect(link).toMatch(/\/conta\/link\?token=/);
      await page.goto(link!); // what clicking the link in the e-mail does
      await page.waitForLoadState('load');
      expect(new URL(page.url()).pathname).toBe('/conta');
      await expect.poll(() => page.locator('#my-cases').textContent()).toContain(earlier);
      expect(await page.locator('#my-cases').textContent()).toContain('Coleta de lixo atrasada');
      await page.screenshot({ path: 'test/.artifacts/account-home.png', fullPage: true });

      // the link works once
      const { page: other } = await b.newPage();
      await other.goto(link!);
      await other.waitForLoadState('load');
      expect(await other.locator('#account-error').textContent()).toMatch(/não vale mais/);

      // following the case from the list works without the access code
      await page.getByRole('link', { name: earlier }).click();
      await page.waitForLoadState('load');
      expect(new URL(page.url()).pathname).toBe(`/acompanhar/${earlier}`);
      await page.goto('/conta');

      // a new case with the data filled in
      await page.getByRole('link', { name: 'Registrar nova manifestação' }).click();
      await page.waitForLoadState('load');
      expect(await page.getByLabel('Nome').inputValue()).toBe('Helena Costa');
      expect(await page.getByLabel('E-mail').inputValue()).toBe(email);
      await page.getByLabel('Tipo de manifestação').selectOption('suggestion');
      await page.getByRole('textbox', { name: 'Assunto', exact: true }).fill('Mais lixeiras na praça');
      await page
        .getByLabel('Descreva sua manifestação')
        .fill('Sugiro instalar mais lixeiras na praça central.');
      await page.getByRole('button', { name: 'Enviar manifestação' }).click();
      await page.getByRole('heading', { name: 'Manifestação registrada' }).waitFor();
      await page.waitForLoadState('load');
      const filed = (await page.locator('main').textContent())?.match(/OUV-\d{4}-\d{6}/)?.[0];
      expect(filed).toBeTruthy();
      await page.goto('/conta');
      await expect.poll(() => page.locator('#my-cases').textContent()).toContain(filed!);

      // my details and my company
      await page.getByRole('link', { name: 'Meus dados', exact: true }).click();
      await page.waitForLoadState('load');
      await page.getByLabel('CNPJ', { exact: true }).fill('12.ABC.345/01DE-36');
      await page.getByLabel('Razão social').fill('Costa Comércio Ltda');
      await page.getByRole('button', { name: 'Salvar' }).click();
      await page.waitForLoadState('load');
      expect(await page.locator('#cnpj-error').textContent()).toMatch(/CNPJ inválido/);
      await page.getByLabel('CNPJ', { exact: true }).fill('12.ABC.345/01DE-35');
      await page.getByLabel('Telefone', { exact: true }).fill('(11) 98888-7777');
      await page.getByRole('button', { name: 'Salvar' }).click();
      await page.waitForLoadState('load');
      expect(await page.locator('#data-saved').isVisible()).toBe(true);
      expect(await page.getByLabel('Razão social').inputValue()).toBe('Costa Comércio Ltda');
      await page.screenshot({ path: 'test/.artifacts/account-data.png', fullPage: true });
      const audits = await b.t.db.select().from(auditLog).where(eq(auditLog.actor, email));
      expect(audits.map((a) => a.action)).toEqual(
        expect.arrayContaining(['company.created_by_citizen', 'person.updated_by_citizen']),
      );

      // LGPD: the export downloads everything, and is logged; a correction request is listed for staff
      await page.goto('/conta');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Baixar meus dados (JSON)' }).click(),
      ]);
      const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as {
        person: { name: string; phone: string; company: { legalName: string } };
        cases: { protocol: string }[];
      };
      expect(exported.person).toMatchObject({
        phone: '(11) 98888-7777',
        company: { legalName: 'Costa Comércio Ltda' },
      });
      expect(exported.cases.map((c) => c.protocol).sort()).toEqual([earlier, filed].sort());
      const [pdfDownload] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Baixar meus dados (PDF)' }).click(),
      ]);
      const pdf = await getDocumentProxy(new Uint8Array(readFileSync((await pdfDownload.path())!)));
      const { text } = await extractText(pdf, { mergePages: true });
      expect(text).toContain('Costa Comércio Ltda');
      expect(text).toContain(earlier);
      expect(text).toContain('Mais lixeiras na praça');
      await page.getByLabel('O que deve ser corrigido?').fill('Meu sobrenome é Costa Lima, não Costa.');
      await page.getByRole('button', { name: 'Pedir correção' }).click();
      await page.waitForLoadState('load');
      expect(await page.locator('#correction-done').isVisible()).toBe(true);
      const requests = await b.t.db.select().from(dataRequests).where(eq(dataRequests.email, email));
      expect(requests.map((r) => `${r.kind}:${r.details.slice(0, 4)}`).sort()).toEqual([
        'correction:Meu ',
        'export:json',
        'export:pdf',
      ]);
      expect(b.cspViolations).toEqual([]);
    },
    slow,
  );

  it('a staff address never receives a sign-in link; a staff session is refused the account API', async () => {
    const staff = await b.t.createStaff('attendant');
    const { page } = await b.newPage();
    await page.goto('/conta/entrar');
    await page.getByLabel('E-mail').fill(staff.email);
    await page.getByRole('button', { name: 'Enviar link de acesso' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('#link-sent').isVisible()).toBe(true); // the same answer…
    expect(devSignInLink(staff.email)).toBeUndefined(); // …and no link
    const me = await b.t.app.request('/api/v1/me', { headers: staff.headers });
    expect(me.status).toBe(403);
  });
});
