// Issue 10, "How it will be judged", as a new user takes it on a fresh start, only through the pages:
// the admin invites an attendant and a unit user (each sets a password from the link the admin reads on
// the user's page, as the README says for a start without mail transport), creates a cost centre and a
// unit in it, a topic with two items, a 5-business-day policy on one item, a municipal holiday inside
// that window, a group with a routing rule on the topic (the attendant as member), and edits the receipt
// template. A citizen then files on that item from the public form; the attendant finds the case in the
// group's queue with the deadline the deadline preview announces (5 business days, the holiday skipped),
// and the case's mail log holds the receipt with the edited text (the access code never in the log).
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserApp, hasChromium, noChromiumMessage, startBrowserApp } from './support.ts';

const slow = 240_000;
const shots = 'test/.artifacts';
const tz = 'America/Sao_Paulo';

/** YYYY-MM-DD of `d` in the organisation's timezone. */
const localDay = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(d);

/** The `n`-th Monday–Friday after the local day of `from` (n ≥ 1), as YYYY-MM-DD. */
function nthWeekdayAfter(from: Date, n: number): string {
  const d = new Date(`${localDay(from)}T12:00:00Z`);
  let left = n;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return d.toISOString().slice(0, 10);
}

const ddmmyyyy = (iso: string) => iso.split('-').reverse().join('/');

describe.skipIf(!hasChromium)(hasChromium ? 'journey of issue 10: administration' : noChromiumMessage, () => {
  let b: BrowserApp;
  let adminPage: Page;
  type Staff = Awaited<ReturnType<BrowserApp['t']['createStaff']>>;
  let admin: Staff;
  const attendant = {
    name: 'Ana Arboreto',
    email: 'ana.arboreto@prefeitura.test',
    password: 'senha-da-ana-1',
  };
  const unitUser = {
    name: 'Ulisses Zelador',
    email: 'ulisses@prefeitura.test',
    password: 'senha-do-ulisses-1',
  };
  const holiday = nthWeekdayAfter(new Date(), 2);
  const editedLine = 'A Prefeitura de Vila Verde agradece o seu contato';
  let protocol = '';
  let accessCode = '';
  let previewDue = '';

  async function signIn(page: Page, email: string, password: string) {
    await page.goto('/entrar');
    await page.getByLabel('E-mail', { exact: true }).fill(email);
    await page.getByLabel('Senha', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Entrar', exact: true }).click();
    await page.waitForLoadState('load');
  }

  /** Invites from the users page; returns the one-time link shown to admins (no mail transport). */
  async function invite(who: { name: string; email: string }, role: string, unit?: string) {
    const page = adminPage;
    await page.goto('/painel/admin');
    await page.getByRole('link', { name: 'Usuários e convites' }).first().click();
    await page.getByLabel('Nome', { exact: true }).fill(who.name);
    await page.getByLabel('E-mail', { exact: true }).fill(who.email);
    await page.getByLabel('Perfil').selectOption({ label: role });
    if (unit) await page.locator('#invite-unitCode').selectOption({ label: unit });
    await page.getByRole('button', { name: 'Enviar convite' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('status').first().textContent()).toContain(
      `Convite enviado para ${who.email}`,
    );
    const link = await page.getByTestId('password-link').getAttribute('href');
    expect(link).toMatch(/\/definir-senha\//);
    return link as string;
  }

  /** The invited person opens the link, sets a password and signs in. */
  async function acceptInvitation(link: string, who: { email: string; password: string }) {
    const { page } = await b.newPage();
    await page.goto(link);
    await page.getByLabel('Nova senha').fill(who.password);
    await page.getByLabel('Repita a senha').fill(who.password);
    await page.getByRole('button', { name: 'Definir senha' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('status').first().textContent()).toContain('Senha definida');
    await signIn(page, who.email, who.password);
    expect(new URL(page.url()).pathname).toBe('/painel');
    return page;
  }

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    b = await startBrowserApp();
    admin = await b.t.createStaff('admin', { name: 'Alice Administradora' });
    adminPage = (await b.newPage()).page;
    await signIn(adminPage, admin.email, admin.password);
    await adminPage.getByRole('link', { name: 'Administração' }).first().click();
    await adminPage.waitForLoadState('load');
  }, slow);
  afterAll(async () => b?.stop());

  it(
    'creates a cost centre and a unit that belongs to it',
    async () => {
      const page = adminPage;
      await page.getByRole('link', { name: 'Unidades e centros de custo' }).first().click();
      await page.getByText('Novo centro de custo').click();
      const cc = page.locator('#create-cost-centres');
      await cc.getByLabel('Código').fill('CC-URB');
      await cc.getByLabel('Nome').fill('Infraestrutura urbana');
      await cc.getByRole('button', { name: 'Criar' }).click();
      await page.waitForURL('**/painel/admin/unidades?salvo=1');
      await page.getByText('Nova unidade').click();
      const unit = page.locator('#create-units');
      await unit.getByLabel('Código').fill('ZELADORIA');
      await unit.getByLabel('Nome').fill('Zeladoria Urbana');
      await unit.getByLabel('E-mail').fill('zeladoria@prefeitura.test');
      await unit.getByLabel('Centro de custo').selectOption({ label: 'Infraestrutura urbana' });
      await unit.getByRole('button', { name: 'Criar' }).click();
      await page.waitForURL('**/painel/admin/unidades?salvo=1');
      const row = page.locator('tr', { hasText: 'ZELADORIA' }).first();
      expect(await row.textContent()).toContain('Zeladoria Urbana');
      expect(await row.textContent()).toContain('Infraestrutura urbana');
      await page.screenshot({ path: `${shots}/journey-admin-units.png`, fullPage: true });
    },
    slow,
  );

  it(
    'invites an attendant and a unit user; each sets a password from the link and signs in',
    async () => {
      const attendantLink = await invite(attendant, 'Atendente');
      const unitLink = await invite(unitUser, 'Unidade', 'Zeladoria Urbana');
      await adminPage.screenshot({ path: `${shots}/journey-admin-invited.png`, fullPage: true });
      await acceptInvitation(attendantLink, attendant);
      const unitPage = await acceptInvitation(unitLink, unitUser);
      // the unit user is not an admin
      expect((await unitPage.goto('/painel/admin'))?.status()).toBe(403);
      // the unit lists its new member
      await adminPage.goto('/painel/admin/unidades');
      expect(await adminPage.locator('body').textContent()).toContain(`${unitUser.name} (${unitUser.email})`);
    },
    slow,
  );

  it(
    'creates a topic with two items and a 5-business-day policy on one of them',
    async () => {
      const page = adminPage;
      await page.goto('/painel/admin');
      await page.getByRole('link', { name: 'Assuntos e serviços' }).first().click();
      await page.getByText('Novo assunto').click();
      const topic = page.locator('#create-topics');
      await topic.getByLabel('Código').fill('arborizacao');
      await topic.getByLabel('Tipo').selectOption({ label: 'Solicitação de providência' });
      await topic.getByLabel('Rótulo (português)').fill('Arborização');
      await topic.getByLabel('Rótulo (inglês)').fill('Trees');
      await topic.getByRole('button', { name: 'Criar' }).click();
      await page.waitForURL('**/painel/admin/catalogo?salvo=1');
      for (const [code, pt, en] of [
        ['queda-arvore', 'Queda de árvore', 'Fallen tree'],
        ['plantio-muda', 'Plantio de muda', 'Tree planting'],
      ] as const) {
        await page.getByText('Novo item ou serviço').click();
        const item = page.locator('#create-items');
        await item.getByLabel('Código').fill(code);
        await item.getByLabel('Assunto').selectOption({ label: 'Solicitação de providência — Arborização' });
        await item.getByLabel('Rótulo (português)').fill(pt);
        await item.getByLabel('Rótulo (inglês)').fill(en);
        await item.getByRole('button', { name: 'Criar' }).click();
        await page.waitForURL('**/painel/admin/catalogo?salvo=1');
      }

      await page.getByRole('link', { name: 'Prazos e calendários' }).first().click();
      await page.getByRole('link', { name: 'Nova política' }).click();
      await page.getByLabel('Nome').fill('Queda de árvore: 5 dias úteis');
      await page.getByLabel('Prazo de').selectOption({ label: 'Resposta conclusiva' });
      await page.getByLabel('Assunto › serviço').selectOption({ label: 'Arborização › Queda de árvore' });
      await page.getByLabel('Prazo', { exact: true }).fill('5');
      await page.getByLabel('Contado em').selectOption({ label: 'dias úteis' });
      await page.getByRole('button', { name: 'Salvar' }).click();
      await page.locator('#deadlines-saved').waitFor();
      const row = page.locator('tr', { hasText: 'Queda de árvore: 5 dias úteis' });
      expect(await row.textContent()).toContain('5 dias úteis');
    },
    slow,
  );

  it(
    'adds a municipal holiday inside that window',
    async () => {
      const page = adminPage;
      await page.goto('/painel/admin/prazos');
      await page.getByRole('link', { name: 'Expediente padrão' }).click();
      await page.getByLabel('Data').fill(holiday);
      await page.getByLabel('Tipo', { exact: true }).selectOption({ label: 'Feriado ou fechamento' });
      await page.getByLabel('Descrição').fill('Aniversário do município');
      await page.getByRole('button', { name: 'Adicionar exceção' }).click();
      await page.locator('#calendar-saved').waitFor();
      expect(await page.locator('#overrides').textContent()).toContain('Aniversário do município');
    },
    slow,
  );

  it(
    'creates a group with the attendant as member and a routing rule on the topic',
    async () => {
      const page = adminPage;
      await page.goto('/painel/admin');
      await page.getByRole('link', { name: 'Grupos de atendentes' }).first().click();
      await page.getByText('Novo grupo').click();
      const f = page.locator('#create-groups');
      await f.getByLabel('Código').fill('verde');
      await f.getByLabel('Nome').fill('Áreas verdes');
      await f.getByLabel('E-mail do grupo (notificações)').fill('verde@prefeitura.test');
      await f.getByRole('button', { name: 'Criar' }).click();
      await page.waitForURL('**/painel/admin/grupos?salvo=1');
      const box = page.locator('#group-verde');
      await box
        .getByLabel('Adicionar membro')
        .selectOption({ label: `${attendant.name} (${attendant.email})` });
      await box.getByRole('button', { name: 'Adicionar', exact: true }).click();
      await page.waitForURL('**/painel/admin/grupos?salvo=1');
      await box.getByText('Nova regra de roteamento').click();
      await box
        .locator('#rule-verde')
        .getByLabel('Assunto')
        .selectOption({ label: 'Solicitação de providência — Arborização' });
      await box.getByRole('button', { name: 'Salvar regra' }).click();
      await page.waitForURL('**/painel/admin/grupos?salvo=1');
      expect(await box.locator('.members').textContent()).toContain(attendant.name);
      expect(await box.textContent()).toContain('Arborização');
      await page.screenshot({ path: `${shots}/journey-admin-group.png`, fullPage: true });
    },
    slow,
  );

  it(
    'edits the receipt template (pt-BR)',
    async () => {
      const page = adminPage;
      await page.goto('/painel/admin');
      await page.getByRole('link', { name: 'E-mails e notificações' }).first().click();
      await page.locator('tr', { hasText: 'Recibo do registro' }).getByRole('link').first().click();
      const body = page.getByLabel('Texto');
      const original = await body.inputValue();
      await body.fill(`${editedLine}, {{nome}}.\n\n${original}`);
      await page.getByRole('button', { name: 'Salvar' }).click();
      await page.waitForLoadState('load');
      expect(await page.getByRole('status').first().textContent()).toContain('Modelo salvo');
      await page.screenshot({ path: `${shots}/journey-admin-template.png`, fullPage: true });
    },
    slow,
  );

  it(
    'a citizen files on the item from the public form',
    async () => {
      const { page } = await b.newPage();
      await page.goto('/');
      await page.getByRole('link', { name: 'Registrar manifestação' }).first().click();
      await page.getByLabel('Tipo de manifestação').selectOption({ label: 'Solicitação de providência' });
      await page.getByLabel('Tema (opcional)').selectOption({ label: 'Arborização' });
      await page.getByLabel('Item ou serviço (opcional)').selectOption({ label: 'Queda de árvore' });
      await page.locator('#subject').fill('Árvore caída na Rua das Palmeiras');
      await page
        .locator('#description')
        .fill('Uma árvore caiu sobre a calçada da Rua das Palmeiras, 45, e bloqueia a passagem.');
      await page.getByLabel('Nome').fill('Marta Moradora');
      await page.getByLabel('E-mail').fill('marta@example.org');
      await page.getByRole('button', { name: 'Enviar manifestação' }).click();
      await page.locator('#protocol').waitFor();
      protocol = ((await page.locator('#protocol').textContent()) ?? '').trim();
      accessCode = ((await page.locator('#access-code').textContent()) ?? '').trim();
      expect(protocol).toMatch(/^OUV-\d{4}-\d{6}$/);
      expect(accessCode.length).toBeGreaterThan(6);
      await page.screenshot({ path: `${shots}/journey-admin-receipt-page.png`, fullPage: true });

      // what the deadline preview announces for a case like this one, received now
      await adminPage.goto('/painel/admin/prazos');
      const now = new Intl.DateTimeFormat('sv-SE', {
        timeZone: tz,
        dateStyle: 'short',
        timeStyle: 'short',
      })
        .format(new Date())
        .replace(' ', 'T');
      await adminPage.getByLabel('Recebida em').fill(now);
      await adminPage
        .getByLabel('Tipo de manifestação')
        .selectOption({ label: 'Solicitação de providência' });
      await adminPage
        .getByLabel('Assunto › serviço', { exact: true })
        .selectOption({ label: 'Arborização › Queda de árvore' });
      await adminPage.getByRole('button', { name: 'Calcular o prazo' }).click();
      await adminPage.locator('#preview-result').waitFor();
      const preview = (await adminPage.locator('#preview-result').textContent()) ?? '';
      expect(preview).toContain('Queda de árvore: 5 dias úteis');
      expect(preview).toContain(`${ddmmyyyy(holiday)} (feriado: Aniversário do município)`);
      previewDue = /Vence em:\s*(\d\d\/\d\d\/\d{4})/.exec(preview)?.[1] ?? '';
      // 5 business days: the holiday is one of the weekdays skipped, so the 6th weekday (no national
      // holiday falls in these days outside late December)
      if (!/^12-(2\d|3\d)$/.test(holiday.slice(5)))
        expect(previewDue).toBe(ddmmyyyy(nthWeekdayAfter(new Date(), 6)));
      await adminPage.screenshot({ path: `${shots}/journey-admin-preview.png`, fullPage: true });
    },
    slow,
  );

  it(
    "the case lands in the group's queue with the 5-business-day deadline",
    async () => {
      expect(protocol).not.toBe('');
      const { page } = await b.newPage();
      await signIn(page, attendant.email, attendant.password);
      const queue = page.locator('#group-queues a[data-group="verde"]');
      await expect.poll(async () => (await queue.textContent()) ?? '', { timeout: 20_000 }).toContain('1');
      await queue.click();
      await page.waitForURL('**/painel?group=verde');
      const row = page.locator(`#case-rows tr[data-protocol="${protocol}"]`);
      await row.waitFor();
      expect(((await row.locator('td.due').textContent()) ?? '').trim()).toContain(previewDue);
      await page.screenshot({ path: `${shots}/journey-admin-queue.png`, fullPage: true });
      await row.getByRole('link', { name: protocol }).click();
      await page.waitForLoadState('load');
      const deadline = page.locator('details.deadline').first();
      await deadline.locator('summary').click();
      const why = (await deadline.textContent()) ?? '';
      expect(why).toContain('Queda de árvore: 5 dias úteis');
      expect(why).toContain('Aniversário do município');
      expect(why).toContain(previewDue);
    },
    slow,
  );

  it(
    'the receipt in the mail log carries the edited text, and never the access code',
    async () => {
      expect(protocol).not.toBe('');
      const page = adminPage;
      await page.goto('/painel');
      await page.getByRole('link', { name: protocol }).first().click();
      await page.waitForLoadState('load');
      const log = page.locator('details.mail-log');
      // the message to the citizen (the group's new-case mail also names her, in its text)
      const receipt = log
        .locator('li.mail-out')
        .filter({ has: page.locator('.mail-who', { hasText: 'marta@example.org' }) })
        .first();
      await expect
        .poll(
          async () => {
            await page.reload();
            await log.locator('summary').first().click();
            await log.locator('.mail-log-body ol.mail-list, .mail-log-body p.muted').first().waitFor();
            return receipt.count();
          },
          { timeout: 30_000 },
        )
        .toBe(1);
      await receipt.locator('summary').click();
      const text = (await receipt.locator('.mail-text').textContent()) ?? '';
      expect(text).toContain(`${editedLine}, Marta Moradora.`);
      expect(text).toContain(protocol);
      expect(text).not.toContain(accessCode);
      await page.screenshot({ path: `${shots}/journey-admin-mail-log.png`, fullPage: true });
    },
    slow,
  );
});
