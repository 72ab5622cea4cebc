// Issue 11, "How it will be judged", on the demo (SEED_DEMO=1), only through the pages:
// - the demo citizen asks for a sign-in link, reads it where the README says development puts it (the server
//   log: "[desenvolvimento] link de acesso de …"), sees her cases, files one with her data filled in and
//   updates her company;
// - the attendant registers a phone call for the VIP customer found by CPF, sees his history and VIP badge
//   on the case, sets the OS number, opening reason and estimate, and answers with a file attached;
// - unit staff never learn who filed a preserved case: not on the case, not through a person record.
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_PASSWORD, seedDemo } from '../../db/seed-demo.ts';
import { type BrowserApp, hasChromium, noChromiumMessage, startBrowserApp } from './support.ts';

const slow = 240_000;
const shots = 'test/.artifacts';
const citizenEmail = 'cidadao@demo.ouvidor.local';
// the demo's VIP customer (README, "A living demo")
const vip = { name: 'João Batista Ferreira', email: 'joao.ferreira@example.com', cpf: '390.533.447-05' };

describe.skipIf(!hasChromium)(
  hasChromium ? 'journey of issue 11: people and the citizen account' : noChromiumMessage,
  () => {
    let b: BrowserApp;
    const serverLog: string[] = [];

    async function signIn(page: Page, email: string) {
      await page.goto('/entrar');
      await page.getByLabel('E-mail', { exact: true }).fill(email);
      await page.getByLabel('Senha', { exact: true }).fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Entrar', exact: true }).click();
      await page.waitForLoadState('load');
    }

    /** Console errors of a page (a stylesheet answered with HTML, a failed script…). */
    function consoleErrors(page: Page) {
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      return errors;
    }

    beforeAll(async () => {
      mkdirSync(shots, { recursive: true });
      // the terminal running `npm start`: what the server prints
      vi.spyOn(console, 'info').mockImplementation((...args: unknown[]) => {
        serverLog.push(args.map(String).join(' '));
      });
      b = await startBrowserApp();
      await seedDemo(b.t.deps);
    }, 600_000);
    afterAll(async () => {
      vi.restoreAllMocks();
      await b?.stop();
    });

    it(
      'the demo citizen signs in with the link from the server log and sees her cases',
      async () => {
        const { page } = await b.newPage();
        const errors = consoleErrors(page);
        await page.goto('/');
        await page.getByRole('link', { name: 'Minhas manifestações' }).first().click();
        await page.getByLabel('E-mail').fill(citizenEmail);
        await page.getByRole('button', { name: 'Enviar link de acesso' }).click();
        await page.waitForLoadState('load');
        expect(await page.locator('main').textContent()).toContain(citizenEmail);
        let link = '';
        await expect
          .poll(() => {
            const line = serverLog.findLast((l) => l.includes(`link de acesso de ${citizenEmail}:`));
            link = line?.split(': ').at(-1)?.trim() ?? '';
            return link;
          })
          .toMatch(/\/conta\/link\?token=/);
        await page.goto(link); // what clicking the link in the e-mail does
        await page.waitForLoadState('load');
        expect(new URL(page.url()).pathname).toBe('/conta');
        const mine = page.locator('#my-cases');
        for (const subject of [
          'Calçada quebrada em frente à padaria',
          'Poda de árvore na Rua das Flores',
          'Alvará de funcionamento da padaria',
          'Atendimento rápido na troca de lâmpadas',
        ])
          expect(await mine.textContent()).toContain(subject);
        await page.screenshot({ path: `${shots}/journey-people-account.png`, fullPage: true });

        // files a new one: her data is already in the form
        await page.getByRole('link', { name: 'Registrar nova manifestação' }).click();
        await page.waitForLoadState('load');
        expect(await page.getByLabel('Nome').inputValue()).toBe('Maria da Silva');
        expect(await page.getByLabel('E-mail').inputValue()).toBe(citizenEmail);
        expect(await page.getByLabel('CPF (opcional)').inputValue()).toMatch(/529\.?982\.?247-?25/);
        await page.getByLabel('Tipo de manifestação').selectOption({ label: 'Sugestão' });
        await page
          .getByRole('textbox', { name: 'Assunto', exact: true })
          .fill('Bicicletário na Rua das Flores');
        await page
          .getByLabel('Descreva sua manifestação')
          .fill('Sugiro um bicicletário em frente à padaria.');
        await page.getByRole('button', { name: 'Enviar manifestação' }).click();
        await page.locator('#protocol').waitFor();
        const filed = ((await page.locator('#protocol').textContent()) ?? '').trim();
        expect(filed).toMatch(/^OUV-\d{4}-\d{6}$/);
        await page.goto('/conta');
        await expect.poll(() => page.locator('#my-cases').textContent()).toContain(filed);

        // updates her company
        await page.getByRole('link', { name: 'Meus dados', exact: true }).click();
        await page.waitForLoadState('load');
        expect(await page.getByLabel('Razão social').inputValue()).toBe('Padaria Pão Quente Ltda');
        await page.getByLabel('Telefone da empresa').fill('(11) 3333-2000');
        await page.getByRole('button', { name: 'Salvar' }).click();
        await page.waitForLoadState('load');
        expect(await page.locator('#data-saved').isVisible()).toBe(true);
        await page.reload();
        expect(await page.getByLabel('Telefone da empresa').inputValue()).toBe('(11) 3333-2000');
        await page.screenshot({ path: `${shots}/journey-people-data.png`, fullPage: true });
        expect(errors).toEqual([]);
      },
      slow,
    );

    let vipCase = '';
    let vipCode = '';
    it(
      'the attendant registers a phone call for the VIP customer found by CPF and sees his history and badge',
      async () => {
        const { page } = await b.newPage();
        await signIn(page, 'atendente@demo.ouvidor.local');
        await page.getByRole('link', { name: 'Registrar atendimento' }).first().click();
        await page.waitForLoadState('load');
        await page.getByLabel('Buscar pessoa').fill(vip.cpf);
        await page.locator('#intake-lookup').getByRole('button', { name: 'Buscar' }).click();
        await page.waitForLoadState('load');
        const results = page.locator('#intake-results');
        expect(await results.textContent()).toContain(vip.name);
        await results.getByRole('link', { name: 'Registrar para esta pessoa' }).first().click();
        await page.waitForLoadState('load');
        expect(await page.locator('#intake-chosen').textContent()).toContain(vip.name);
        expect(await page.getByLabel('Nome').inputValue()).toBe(vip.name);
        await page.getByLabel('Como chegou').selectOption({ label: 'Telefone' });
        await page.getByLabel('Tipo de manifestação').selectOption({ label: 'Reclamação' });
        await page
          .getByRole('textbox', { name: 'Assunto', exact: true })
          .fill('Buraco na Rua Jardim América');
        await page
          .getByLabel('Relato do manifestante')
          .fill('Ligou para relatar um buraco na Rua Jardim América, 300.');
        await page.getByRole('button', { name: 'Registrar atendimento' }).click();
        await page.locator('#access-code').waitFor();
        vipCode = ((await page.locator('#access-code').textContent()) ?? '').trim(); // read to him on the phone
        await page.getByRole('link', { name: 'Abrir a manifestação' }).click();
        await page.waitForLoadState('load');
        vipCase = /OUV-\d{4}-\d{6}/.exec(page.url())?.[0] ?? '';
        expect(vipCase).not.toBe('');
        const panel = page.locator('#manifestante');
        expect(await panel.locator('.badge.vip').count()).toBe(1);
        const history = (await panel.textContent()) ?? '';
        for (const subject of [
          'Iluminação apagada no Jardim América',
          'Faixa de pedestres na escola do Jardim América',
        ])
          expect(history).toContain(subject);
        // his preserved case is never listed as his
        expect(history).not.toContain('Descarte irregular de entulho');
        await panel
          .locator('li', { hasText: 'Iluminação apagada no Jardim América' })
          .getByRole('link')
          .click();
        await page.waitForLoadState('load');
        expect(await page.locator('main h1, main').first().textContent()).toContain(
          'Iluminação apagada no Jardim América',
        );
        await page.goBack();
        await page.waitForLoadState('load');

        // OS number, opening reason and estimate: one update, on the timeline
        await page.getByText('Detalhes do atendimento', { exact: true }).click();
        const details = page.locator('form[action$="/details"]');
        await details.getByLabel('Número da OS').fill('OS-2026-4411');
        await details.getByLabel('Motivo de abertura').selectOption({ label: 'Problema recorrente' });
        await details.getByLabel('Estimativa para concluir, em minutos').fill('150');
        await details.getByRole('button', { name: 'Salvar detalhes' }).click();
        await expect.poll(() => page.locator('main').textContent()).toContain('OS-2026-4411');
        const main = (await page.locator('main').textContent()) ?? '';
        expect(main).toContain('estimativa 2h30');
        expect(main).toContain('Detalhes do atendimento alterados');
        await page.screenshot({ path: `${shots}/journey-people-case.png`, fullPage: true });
      },
      slow,
    );

    it(
      'the attendant answers with a file attached, and the customer finds it on the portal',
      async () => {
        expect(vipCase).not.toBe('');
        const { page } = await b.newPage();
        await signIn(page, 'atendente@demo.ouvidor.local');
        await page.goto('/painel');
        await page.getByRole('link', { name: vipCase }).first().click();
        await page.waitForLoadState('load');
        if (await page.getByRole('button', { name: 'Assumir' }).count())
          await page.getByRole('button', { name: 'Assumir' }).first().click();
        const answer = page.locator('form[action$="/answer"]');
        await answer.waitFor({ state: 'attached' });
        if (!(await answer.isVisible())) await page.getByText('Responder', { exact: true }).first().click();
        await answer
          .getByLabel('Resposta conclusiva ao manifestante')
          .fill('A equipe de Obras tapou o buraco da Rua Jardim América em 28/11. Segue o ofício.');
        await answer.getByLabel('Anexos (opcional)').setInputFiles({
          name: 'oficio-obras.pdf',
          mimeType: 'application/pdf',
          buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
        });
        await answer.getByRole('button', { name: 'Enviar resposta' }).click();
        await expect
          .poll(() => page.locator('main').textContent(), { timeout: 20_000 })
          .toContain('oficio-obras');
        await page.screenshot({ path: `${shots}/journey-people-answer.png`, fullPage: true });

        const { page: portal } = await b.newPage();
        await portal.goto('/');
        await portal.getByRole('link', { name: 'Acompanhar manifestação' }).first().click();
        await portal.locator('#protocol').fill(vipCase);
        await portal.locator('#accessCode').fill(vipCode);
        await portal.locator('#accessCode').press('Enter');
        await portal.waitForLoadState('load');
        const seen = (await portal.locator('main').textContent()) ?? '';
        expect(seen).toContain('tapou o buraco');
        expect(seen).toContain('oficio-obras');
        await portal.screenshot({ path: `${shots}/journey-people-portal.png`, fullPage: true });
      },
      slow,
    );

    it(
      'unit staff never learn who filed a preserved case: not on the case, not through a person record',
      async () => {
        // the attendant forwards the VIP's preserved case to Obras
        const { page } = await b.newPage();
        await signIn(page, 'atendente@demo.ouvidor.local');
        await page.getByLabel('Buscar').first().fill('Descarte irregular de entulho');
        await page.getByRole('button', { name: 'Filtrar' }).click();
        await page.waitForLoadState('load');
        // the demo also has "Descarte irregular de entulho no bairro …" cases of other people
        await page
          .locator('#case-rows tr[data-protocol]')
          .filter({ has: page.locator('td.subject', { hasText: /Descarte irregular de entulho\s*$/ }) })
          .getByRole('link')
          .first()
          .click();
        await page.waitForLoadState('load');
        const preserved = /OUV-\d{4}-\d{6}/.exec(page.url())?.[0] ?? '';
        expect(preserved).not.toBe('');
        expect(await page.locator('#manifestante').count()).toBe(0);
        await page.getByRole('button', { name: 'Assumir' }).first().click();
        await page.getByText('Encaminhar a unidades', { exact: true }).waitFor();
        await page.getByText('Encaminhar a unidades', { exact: true }).click();
        const fwd = page.locator('form[action$="/forward"]');
        await fwd.getByLabel('Secretaria de Obras').check();
        await fwd.getByLabel('Instruções para a unidade').fill('Verificar o terreno da Rua Sete.');
        await fwd.getByRole('button').last().click();
        await expect.poll(() => page.locator('main').textContent()).toContain('Aguardando');

        const { page: unit } = await b.newPage();
        await signIn(unit, 'obras@demo.ouvidor.local');
        await unit.getByRole('link', { name: preserved }).click();
        await unit.waitForLoadState('load');
        const seen = (await unit.locator('body').textContent()) ?? '';
        expect(seen).toContain('Descarte irregular de entulho');
        for (const secret of [vip.name, vip.email, vip.cpf, '97777-4321']) expect(seen).not.toContain(secret);
        expect(await unit.locator('#manifestante').count()).toBe(0);
        await unit.screenshot({ path: `${shots}/journey-people-unit-case.png`, fullPage: true });
        // no way into the records: the Pessoas pages answer 403 to a unit
        expect((await unit.goto('/painel/pessoas'))?.status()).toBe(403);
        expect((await unit.goto(`/painel/pessoas?q=${encodeURIComponent(vip.cpf)}`))?.status()).toBe(403);
        // nor through the workspace's search: by the subject the unit finds the case, by the reporter never
        const search = async (q: string) => {
          await unit.goto('/painel');
          await unit.getByLabel('Buscar').first().fill(q);
          await unit.getByRole('button', { name: 'Filtrar' }).click();
          await unit.waitForURL((u) => u.searchParams.get('q') === q);
          await unit.reload(); // the page as the server renders it for that search (no swap in flight)
          return unit
            .locator('#case-rows tr[data-protocol]')
            .evaluateAll((r) => r.map((x) => x.getAttribute('data-protocol')));
        };
        expect(await search('entulho')).toContain(preserved);
        for (const q of [vip.name, vip.email, '39053344705'])
          expect(await search(q)).not.toContain(preserved);
      },
      slow,
    );
  },
);
