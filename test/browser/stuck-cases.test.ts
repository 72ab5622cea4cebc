// Issue 8.2 in a real browser and on real PostgreSQL (or PGlite locally): a projection that fails for good
// (a trigger refuses a marker value with check_violation) never freezes the case. The note still lands,
// the case page shows the failure to staff, later actions work, "Falhas" lists the case; repairing while the
// cause is still there says what fails; after the trigger is dropped, Reparar brings the read model back.
import { eq, sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestations, timelineEvents } from '../../db/schema.ts';
import { json, newManifestation } from '../support/harness.ts';
import { type BrowserApp, hasChromium, noChromiumMessage, startBrowserApp } from './support.ts';

const slow = 180_000;
const MARKER = 'MARCADOR-DE-FALHA';

describe.skipIf(!hasChromium)(
  hasChromium ? 'stuck cases: recorded, visible, repairable' : noChromiumMessage,
  () => {
    let b: BrowserApp;
    let staff: Awaited<ReturnType<BrowserApp['t']['createStaff']>>;

    beforeAll(async () => {
      b = await startBrowserApp();
      staff = await b.t.createStaff('attendant');
    });
    afterAll(async () => b?.stop());

    async function signIn(page: Page) {
      await page.goto('/entrar');
      await page.getByLabel('E-mail').fill(staff.email);
      await page.getByLabel('Senha').fill(staff.password);
      await page.getByRole('button', { name: 'Entrar', exact: true }).click();
      await page.waitForURL('**/painel');
    }

    async function addNote(page: Page, text: string) {
      const before = await page.locator('.timeline li').count();
      await page.locator('summary', { hasText: 'Adicionar nota' }).click();
      await page.getByLabel('Nota', { exact: true }).fill(text);
      await page.getByRole('button', { name: 'Salvar nota' }).click();
      await page.waitForFunction((n) => document.querySelectorAll('.timeline li').length > n, before);
    }

    const projectedRevision = async (protocol: string) =>
      (await b.t.db.select().from(manifestations).where(eq(manifestations.protocol, protocol)))[0]?.revision;

    const stuckRow = (page: Page, protocol: string) =>
      page.locator(`#stuck-cases tr[data-protocol="${protocol}"]`);

    it(
      'a failing projection: the case answers, shows the failure, lists in Falhas, and recovers after repair',
      async () => {
        const filed = await json<{ protocol: string; accessCode: string }>(
          b.t.app.request('/api/v1/manifestations', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(newManifestation({ subject: 'Poste caído na praça central' })),
          }),
        );
        const { protocol, accessCode } = filed.body;

        // the injected fault: the database refuses any timeline row carrying the marker
        await b.t.db.execute(
          sql.raw(`CREATE FUNCTION refuse_marker() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF NEW.data::text LIKE '%${MARKER}%' THEN
              RAISE EXCEPTION 'valor recusado pelo teste' USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
          END $$`),
        );
        await b.t.db.execute(
          sql.raw(
            'CREATE TRIGGER refuse_marker BEFORE INSERT ON timeline_events FOR EACH ROW EXECUTE FUNCTION refuse_marker()',
          ),
        );

        const { page } = await b.newPage();
        await signIn(page);
        await page.goto(`/painel/casos/${protocol}`);
        await page.getByRole('button', { name: 'Assumir' }).click();
        await page.locator('#case-status', { hasText: 'Em atendimento' }).waitFor();
        const healthyRevision = await projectedRevision(protocol);

        // the note whose projection fails: the action still completes, and staff see the failure
        await addNote(page, `Observação com ${MARKER} para o teste.`);
        await page.locator('.timeline li', { hasText: MARKER }).waitFor();
        await page.locator('.timeline li', { hasText: 'Falha de um passo automático' }).waitFor();
        expect(await page.locator('.timeline li', { hasText: 'SQLSTATE 23514' }).count()).toBe(1);

        // the case keeps serving Updates and Queries
        await addNote(page, 'Segunda nota, depois da falha.');
        await page.locator('.timeline li', { hasText: 'Segunda nota' }).waitFor();
        expect(await projectedRevision(protocol)).toBe(healthyRevision); // the read model is behind, not lost
        const citizenView = await json<{ timeline: Array<{ type: string }> }>(
          b.t.app.request(`/api/v1/manifestations/${protocol}`, { headers: { 'x-access-code': accessCode } }),
        );
        expect(citizenView.status).toBe(200);
        expect(citizenView.body.timeline.map((e) => e.type)).not.toContain('step_failed');

        // "Falhas" lists it (Temporal visibility catches up within moments)
        await page.getByRole('link', { name: 'Falhas' }).click();
        await page.waitForURL('**/painel/falhas');
        await expect
          .poll(
            async () => {
              await page.reload();
              return stuckRow(page, protocol).count();
            },
            { timeout: 30_000, interval: 500 },
          )
          .toBe(1);
        expect(await stuckRow(page, protocol).textContent()).toContain('Atualização da lista e da busca');

        // repairing while the cause is still there: nothing changes, and the page says what still fails
        await stuckRow(page, protocol).getByRole('button', { name: 'Reparar' }).click();
        await page.locator('#failures-error', { hasText: 'Still failing' }).waitFor();
        expect(await projectedRevision(protocol)).toBe(healthyRevision);

        // the cause fixed: repair brings the read model up to date
        await b.t.db.execute(sql.raw('DROP TRIGGER refuse_marker ON timeline_events'));
        await stuckRow(page, protocol).getByRole('button', { name: 'Reparar' }).click();
        await page.locator('#failures-notice', { hasText: 'Reparada' }).waitFor();
        const view = await json<{ revision: number; timeline: Array<{ type: string }> }>(
          b.t.app.request(`/api/v1/manifestations/${protocol}`, { headers: staff.headers }),
        );
        expect(await projectedRevision(protocol)).toBe(view.body.revision);
        const projected = await b.t.db
          .select()
          .from(timelineEvents)
          .where(eq(timelineEvents.protocol, protocol));
        expect(projected.map((e) => e.type)).toEqual(
          expect.arrayContaining(['note_added', 'step_failed', 'step_repaired']),
        );
        expect(projected.some((e) => JSON.stringify(e.data).includes(MARKER))).toBe(true);
        await expect
          .poll(
            async () => {
              await page.goto('/painel/falhas');
              return stuckRow(page, protocol).count();
            },
            { timeout: 30_000, interval: 500 },
          )
          .toBe(0);

        // nothing left to repair
        const again = await json<{ error: { code: string } }>(
          b.t.app.request(`/api/v1/manifestations/${protocol}/repair`, {
            method: 'POST',
            headers: staff.headers,
          }),
        );
        expect(again.status).toBe(409);
        expect(again.body.error.code).toBe('nothing_to_repair');
      },
      slow,
    );
  },
);
