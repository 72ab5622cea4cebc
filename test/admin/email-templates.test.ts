// Editable e-mail templates (REST /api/v1/admin/email-templates): roles, validation, audit, preview,
// reset — and the effect: the receipt a citizen gets uses the edited text inside the React Email frame,
// escaped, with the access code filled at sending only (sealed in the mail log).
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStoredMessage, secretMarkers } from '../../activities/email/sealed-secrets.ts';
import { listOutboundForCase } from '../../db/queries/email.ts';
import { auditLog } from '../../db/schema.ts';
import { waitFor } from '../email/support.ts';
import { json, newManifestation, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';

type Staff = Awaited<ReturnType<TestOuvidor['createStaff']>>;
type Template = { template: string; lang: string; edited: boolean; subject: string; body: string };
type ErrorBody = { error: { code: string; fields: Record<string, string[]> } };

let t: TestOuvidor;
let admin: Staff;
let ombudsman: Staff;
let attendant: Staff;
let unit: Staff;
const path = '/api/v1/admin/email-templates/receipt/pt-BR';
const edited = {
  subject: 'Recebemos sua manifestação {{protocolo}}',
  body: 'Olá, {{nome}}! Sua manifestação sobre “{{assunto}}” foi registrada.\n\nCódigo de acesso: {{codigo}}\n\n<b>negrito</b> <script>alert(1)</script>\n\n{{link}}',
};

beforeAll(async () => {
  t = await startTestOuvidor();
  [admin, ombudsman, attendant, unit] = await Promise.all([
    t.createStaff('admin'),
    t.createStaff('ombudsman'),
    t.createStaff('attendant'),
    t.createStaff('unit', { unitCode: 'SEC-OBRAS' }),
  ]);
});
afterAll(async () => t?.stop());

const put = (who: Staff, body: unknown) =>
  json<Template & ErrorBody>(
    t.app.request(path, { method: 'PUT', headers: who.headers, body: JSON.stringify(body) }),
  );

describe('REST /api/v1/admin/email-templates', () => {
  it('lists every template in both languages with the built-in drafts and the placeholders', async () => {
    const r = await json<{ placeholders: string[]; items: Template[] }>(
      t.app.request('/api/v1/admin/email-templates', { headers: ombudsman.headers }),
    );
    expect(r.status).toBe(200);
    expect(r.body.placeholders).toEqual(
      expect.arrayContaining(['protocolo', 'nome', 'prazo', 'link', 'codigo']),
    );
    const receipt = r.body.items.find((i) => i.template === 'receipt' && i.lang === 'pt-BR');
    expect(receipt).toMatchObject({ edited: false, subject: 'Manifestação registrada' });
    expect(receipt?.body).toContain('{{codigo}}');
    expect(r.body.items).toHaveLength(24);
  });

  it('attendant and unit get 403, the ombudsman cannot edit, no credentials 401, unknown template 404', async () => {
    for (const who of [attendant, unit])
      expect((await t.app.request('/api/v1/admin/email-templates', { headers: who.headers })).status).toBe(
        403,
      );
    expect((await put(ombudsman, edited)).status).toBe(403);
    expect((await t.app.request('/api/v1/admin/email-templates')).status).toBe(401);
    expect(
      (await t.app.request('/api/v1/admin/email-templates/nope/pt-BR', { headers: admin.headers })).status,
    ).toBe(404);
  });

  it('refuses an unknown placeholder and an empty subject with field errors', async () => {
    const r = await put(admin, { subject: '', body: 'Olá {{cpf}}' });
    expect(r.status).toBe(422);
    expect(r.body.error.fields.subject).toEqual(['Informe o assunto.']);
    expect(r.body.error.fields.body?.[0]).toContain('Marcador desconhecido: {{cpf}}');
    const list = await json<{ items: Template[] }>(
      t.app.request('/api/v1/admin/email-templates', { headers: admin.headers }),
    );
    expect(list.body.items.find((i) => i.template === 'receipt' && i.lang === 'pt-BR')?.edited).toBe(false);
  });

  it('previews for a sample case without saving, escaping what was typed', async () => {
    const r = await json<{ subject: string; html: string }>(
      t.app.request(`${path}/preview`, {
        method: 'POST',
        headers: admin.headers,
        body: JSON.stringify(edited),
      }),
    );
    expect(r.status).toBe(200);
    expect(r.body.subject).toBe('[OUV-2026-000123] Recebemos sua manifestação OUV-2026-000123');
    expect(r.body.html).toContain('Olá, Maria Souza!');
    expect(r.body.html).toContain('&lt;script&gt;');
    expect(r.body.html).not.toContain('<script>');
    expect(r.body.html).not.toContain('<b>negrito</b>');
  });
});

describe('an edited receipt reaches the citizen', () => {
  it('is used for the next filing, keeps the access code out of the mail log, is audited, and resets', async () => {
    const saved = await put(admin, edited);
    expect(saved.status).toBe(200);
    expect(saved.body.edited).toBe(true);
    const [row] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'email_template.saved'));
    expect(row?.data).toMatchObject({
      entity: 'email_template',
      id: 'receipt/pt-BR',
      before: null,
      after: edited,
    });

    const filed = await json<{ protocol: string; accessCode: string }>(
      t.app.request('/api/v1/manifestations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(newManifestation()),
      }),
    );
    expect(filed.status).toBe(201);
    const receipt = await waitFor(async () =>
      (await listOutboundForCase(t.db, filed.body.protocol)).find((m) => m.recipientRole === 'citizen'),
    );
    expect(receipt.subject).toBe(
      `[${filed.body.protocol}] Recebemos sua manifestação ${filed.body.protocol}`,
    );
    expect(receipt.text).toContain(
      'Olá, Maria Souza! Sua manifestação sobre “Iluminação pública apagada” foi registrada.',
    );
    // the log keeps the code sealed; the transport gets it opened
    expect(receipt.text).not.toContain(filed.body.accessCode);
    expect(receipt.text).toContain(secretMarkers.accessCode);
    expect(receipt.html).toContain('&lt;script&gt;');
    const sent = openStoredMessage(receipt, t.deps.secret);
    expect(sent.text).toContain(`Código de acesso: ${filed.body.accessCode}`);

    const reset = await json<Template>(t.app.request(path, { method: 'DELETE', headers: admin.headers }));
    expect(reset.body).toMatchObject({ edited: false, subject: 'Manifestação registrada' });
    const again = await json<{ protocol: string }>(
      t.app.request('/api/v1/manifestations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(newManifestation()),
      }),
    );
    const builtIn = await waitFor(async () =>
      (await listOutboundForCase(t.db, again.body.protocol)).find((m) => m.recipientRole === 'citizen'),
    );
    expect(builtIn.subject).toBe(`[${again.body.protocol}] Manifestação registrada`);
  });
});
