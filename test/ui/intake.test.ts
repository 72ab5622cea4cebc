// Staff pages beyond the actions: "Registrar atendimento" (phone / letter / in person / e-mail, with the
// moment it arrived in local time) and the case's mail log, over HTTP without JavaScript and with htmx.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundEmails, outboundEmails } from '../../db/schema.ts';
import { json, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';
import { htmx, pageClient, pngFile, useTestUploads } from './support.ts';

let t: TestOuvidor;
let c: ReturnType<typeof pageClient>;
let attendant: Awaited<ReturnType<TestOuvidor['createStaff']>>;
let staffCookie: string;
let unitCookie: string;

beforeAll(async () => {
  t = await startTestOuvidor();
  useTestUploads(t);
  c = pageClient(t);
  attendant = await t.createStaff('attendant');
  staffCookie = await c.signIn(attendant.email, attendant.password);
  const unit = await t.createStaff('unit', { unitCode: 'obras' });
  unitCookie = await c.signIn(unit.email, unit.password);
});
afterAll(async () => t?.stop());

const letter = (over: Record<string, string> = {}) => ({
  channel: 'letter',
  receivedAt: '2026-09-08T00:30',
  kind: 'complaint',
  subject: 'Carta sobre buraco na rua',
  description: 'Recebemos carta relatando um buraco na Rua das Flores, 100.',
  identity: 'identified',
  name: 'José Pereira',
  phone: '+55 11 3333-4444',
  ...over,
});

describe('Registrar atendimento (staff intake)', () => {
  it('is linked from the staff nav and opens with channel and "now" in local time', async () => {
    const list = await (await c.get('/painel', { cookie: staffCookie })).text();
    expect(list).toContain('<a href="/painel/registrar">Registrar atendimento</a>');
    const res = await c.get('/painel/registrar', { cookie: staffCookie });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<a href="\/painel\/registrar" aria-current=page>/);
    expect(html).toContain('<form method="post" action="/painel/registrar" enctype="multipart/form-data"');
    for (const ch of ['phone', 'in_person', 'letter', 'email'])
      expect(html).toContain(`<option value="${ch}"`);
    expect(html).not.toContain('<option value="web"');
    const now = html.match(
      /<input id="receivedAt" name="receivedAt" type="datetime-local"[^>]*value="([^"]+)"/,
    )?.[1];
    expect(now).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    // "now" is São Paulo wall-clock time (UTC−3), not the server's UTC
    const expected = new Date(Date.now() - 3 * 3600_000).toISOString().slice(0, 16);
    expect(Math.abs(Date.parse(`${now}Z`) - Date.parse(`${expected}Z`))).toBeLessThan(2 * 60_000);
  });

  it('files with the arrival time honoured: the deadline counts from it (Lei 9.784/1999, art. 66)', async () => {
    const res = await c.postMultipart('/painel/registrar', letter(), [pngFile('carta.png')], {
      cookie: staffCookie,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('Atendimento registrado');
    const protocol = html.match(/<strong id="protocol"[^>]*>(OUV-2026-\d{6})<\/strong>/)?.[1];
    const accessCode = html.match(
      /<strong id="access-code"[^>]*>([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})</,
    )?.[1];
    expect(protocol).toBeTruthy();
    expect(accessCode).toBeTruthy();
    expect(html).toContain(`href="/painel/casos/${protocol}"`);
    expect(html).toContain('leia-os por telefone ou escreva-os na resposta à carta');
    expect(html).toMatch(/id="received-at">08\/09\/2026,? 00:30</);

    const view = await json<{
      receivedAt: string;
      dueAt: string;
      channel: string;
      timeline: Array<{ actor: string }>;
    }>(t.app.request(`/api/v1/manifestations/${protocol}`, { headers: attendant.headers }));
    // 00:30 on Tue 8 Sep in São Paulo is 03:30 UTC (read as UTC it would be Mon 7 Sep, a holiday).
    expect(view.body.receivedAt).toBe('2026-09-08T03:30:00.000Z');
    expect(view.body.channel).toBe('letter');
    // Start day excluded: 8 Sep + 30 days = Thu 8 Oct, a business day → due at the end of that day, local time.
    expect(view.body.dueAt).toBe('2026-10-09T02:59:59.999Z');
    expect(view.body.timeline[0]?.actor).toBe(attendant.email);

    // the staff case page lists the scanned letter; the citizen can follow with the code read to them
    const casePage = await (await c.get(`/painel/casos/${protocol}`, { cookie: staffCookie })).text();
    expect(casePage).toMatch(/>carta.png<\/a>\s*<span class="muted">[^<]*anexado pela equipe/);
    expect(casePage).toContain('Canal: Carta');
    await c.follow(protocol!, accessCode!);
  });

  it('re-renders 422 for a missing, malformed or future arrival time and a channel that is not intake', async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ receivedAt: '' }, /Informe a data e a hora em que a manifestação chegou/],
      [{ receivedAt: '2026-02-30T10:00' }, /Informe a data e a hora/],
      [{ receivedAt: '2099-01-01T10:00' }, /não pode estar no futuro/],
      [{ channel: 'web' }, /Escolha por onde a manifestação chegou/],
    ];
    for (const [over, message] of cases) {
      const res = await c.postMultipart('/painel/registrar', letter(over), [], { cookie: staffCookie });
      expect(res.status, JSON.stringify(over)).toBe(422);
      const html = await res.text();
      expect(html).toMatch(message);
      expect(html).toContain('value="Carta sobre buraco na rua"');
      expect(html).not.toContain('id="access-code"');
    }
  });

  it('swaps in place through htmx', async () => {
    const res = await c.postMultipart('/painel/registrar', letter({ channel: 'phone' }), [], {
      cookie: staffCookie,
      ...htmx,
    });
    expect(res.status).toBe(200);
    const html = (await res.text()).trim();
    expect(html.startsWith('<section class="card narrow receipt" id="file-card"')).toBe(true);
    expect(html).toContain('Telefone');
  });

  it('is for the office only: unit staff get 403, no session goes to sign-in', async () => {
    expect((await c.get('/painel/registrar', { cookie: unitCookie })).status).toBe(403);
    expect((await c.postMultipart('/painel/registrar', letter(), [], { cookie: unitCookie })).status).toBe(
      403,
    );
    const list = await (await c.get('/painel', { cookie: unitCookie })).text();
    expect(list).not.toContain('href="/painel/registrar"');
    const anonymous = await c.get('/painel/registrar');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/entrar');
    expect((await c.postMultipart('/painel/registrar', letter())).status).toBe(401);
  });
});

describe('mail log on the case page', () => {
  async function caseWithMail() {
    const { protocol } = await c.file();
    const now = Date.now();
    await t.db.insert(outboundEmails).values({
      id: randomUUID(),
      idempotencyKey: `${protocol}:1:citizen`,
      protocol,
      eventSeq: 1,
      eventType: 'received',
      template: 'receipt',
      recipient: 'maria@example.org',
      recipientRole: 'citizen',
      fromAddress: 'ouvidoria@localhost',
      replyTo: 'reply+abc@localhost',
      messageId: `<${randomUUID()}@localhost>`,
      subject: `[${protocol}] Manifestação registrada <b>`,
      html: '<p>x</p>',
      text: 'Recebemos sua manifestação.',
      status: 'failed',
      error: 'SMTP 550 <mailbox unavailable>',
      createdAt: new Date(now - 60_000),
    });
    const other = (n: number, status: 'logged' | 'sent') => ({
      id: randomUUID(),
      idempotencyKey: `${protocol}:${n}:group`,
      protocol,
      eventSeq: n,
      eventType: 'note_added',
      template: 'staff_update',
      recipient: 'equipe@example.org',
      recipientRole: 'group' as const,
      fromAddress: 'ouvidoria@localhost',
      replyTo: 'reply+def@localhost',
      messageId: `<${randomUUID()}@localhost>`,
      subject: `[${protocol}] Nota ${status}`,
      html: '<p>x</p>',
      text: 'Nova nota.',
      status,
      transport: status === 'sent' ? 'smtp' : 'log',
      transportResult: status === 'sent' ? { response: '250 2.0.0 Ok: queued as 4F1A2' } : { logged: true },
      sentAt: status === 'sent' ? new Date(now - 50_000) : null,
      createdAt: new Date(now - 55_000),
    });
    await t.db.insert(outboundEmails).values([other(90, 'logged'), other(91, 'sent')]);
    await t.db.insert(inboundEmails).values({
      id: randomUUID(),
      messageId: `<${randomUUID()}@example.org>`,
      door: 'smtp',
      protocol,
      status: 'threaded',
      fromAddress: 'maria@example.org',
      fromRole: 'citizen',
      subject: `Re: [${protocol}] Manifestação registrada`,
      replyText: 'Obrigada! Segue o número do poste: 1234.',
      receivedAt: new Date(now + 60_000), // after the notifications the worker logs for the new case
    });
    return protocol;
  }

  it('is a collapsed section loaded by htmx on toggle, with a plain link as fallback', async () => {
    const protocol = await caseWithMail();
    const html = await (await c.get(`/painel/casos/${protocol}`, { cookie: staffCookie })).text();
    expect(html).toMatch(
      new RegExp(
        `<details class="mail-log" hx-get="/painel/casos/${protocol}/emails" hx-trigger="toggle once"[^>]*>\\s*<summary[^>]*>E-mails do caso</summary>`,
      ),
    );
    expect(html).toContain(`<a href="/painel/casos/${protocol}/emails">Abrir o registro de e-mails</a>`);
  });

  it('lists both directions, newest first, escaped; a full page without htmx', async () => {
    const protocol = await caseWithMail();
    const res = await c.get(`/painel/casos/${protocol}/emails`, { cookie: staffCookie, ...htmx });
    expect(res.status).toBe(200);
    const fragment = (await res.text()).trim();
    expect(fragment.startsWith('<ol class="mail-list">')).toBe(true);
    // (the worker also logs the real notifications of the new case: rows are found by content)
    const rows = fragment.split('<li class="mail-').slice(1);
    expect(rows[0]).toMatch(/^in"/);
    expect(rows[0]).toContain('Entrada');
    expect(rows[0]).toContain('Obrigada! Segue o número do poste: 1234.');
    expect(rows[0]).toContain('Anexado ao caso');
    const failed = rows.find((r) => r.includes('Manifestação registrada &lt;b&gt;'));
    expect(failed).toMatch(/^out"/);
    expect(failed).toContain('para maria@example.org');
    expect(failed).toContain('Falhou');
    expect(failed).toContain('SMTP 550 &lt;mailbox unavailable&gt;');
    expect(fragment).not.toContain('<b>');
    // One honest delivery state per message: a message only logged never also reads "Enviado".
    const logged = rows.filter((r) => r.includes('Registrado (sem envio)'));
    expect(logged.length).toBeGreaterThan(0);
    for (const r of logged) expect(r).not.toContain('Enviado');
    expect(failed).not.toContain('Enviado');
    const sent = rows.find((r) => r.includes('Nota sent'));
    expect(sent).toContain('Enviado');
    expect(sent).toContain('250 2.0.0 Ok: queued as 4F1A2'); // the transport's answer
    expect(sent).not.toContain('Registrado');

    const page = await c.get(`/painel/casos/${protocol}/emails`, { cookie: staffCookie });
    const full = await page.text();
    expect(full).toContain('<html');
    expect(full).toContain(`href="/painel/casos/${protocol}"`);
  });

  it('checks the same authorization as the case', async () => {
    const { protocol } = await c.file();
    expect((await c.get(`/painel/casos/${protocol}/emails`, { cookie: unitCookie })).status).toBe(404);
    expect((await c.get(`/painel/casos/${protocol}/emails`)).status).toBe(303);
  });
});
