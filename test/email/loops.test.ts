// Loops across cases (issue 13 item 15), over SMTP (swaks): a peer that answers every Ouvidor mail to the
// intake address, without auto-reply or threading headers, cannot open a case per answer; what exceeds the
// limits is held for staff, listed, and released by hand; automatic mail to one address is capped across
// cases.
import { randomBytes } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subjectPattern } from '../../api/inbound/loops.ts';
import { listOutboundForCase } from '../../db/queries/email.ts';
import { inboundEmails } from '../../db/schema.ts';
import {
  type EmailOuvidor,
  INTAKE,
  message,
  startEmailOuvidor,
  swaks,
  swaksPath,
  waitFor,
} from './support.ts';

let t: EmailOuvidor;
let staff: Awaited<ReturnType<EmailOuvidor['createStaff']>>;

beforeAll(async () => {
  t = await startEmailOuvidor({
    loops: {
      windowMs: 60 * 60_000,
      newCasesPerSender: 3,
      newCasesPerDomain: 4,
      repeats: 3,
      mailPerRecipient: 2,
      mailPerDomain: 100,
    },
  });
  staff = await t.createStaff('attendant');
});
afterAll(async () => t?.stop());

const uid = () => randomBytes(4).toString('hex');
const rowsFrom = async (from: string) =>
  t.db
    .select()
    .from(inboundEmails)
    .where(eq(inboundEmails.fromAddress, from))
    .orderBy(desc(inboundEmails.receivedAt));

async function send(from: string, subject: string) {
  const raw = message({ from, to: INTAKE, subject, body: `Recebemos sua mensagem. ${uid()}` });
  const sent = await swaks(t.smtp.port, { from, to: INTAKE, raw });
  expect(sent.code, sent.output).toBe(0);
  return (await rowsFrom(from))[0]!;
}

describe('subject patterns', () => {
  it('ignore reply prefixes, tags, protocols and numbers', () => {
    expect(subjectPattern('RES: Re: [OUV-2026-000123] Obrigado pelo contato nº 45')).toBe(
      'obrigado pelo contato no #',
    );
    expect(subjectPattern('Obrigado pelo contato nº 46')).toBe('obrigado pelo contato no #');
  });
});

describe.skipIf(!swaksPath)('loops across cases', () => {
  it('holds the answer that repeats a sender and subject pattern, and staff release it', async () => {
    const peer = `robo.${uid()}@peer-a.example`;
    expect((await send(peer, 'Obrigado pelo contato 1')).status).toBe('created');
    expect((await send(peer, 'RE: Obrigado pelo contato 2')).status).toBe('created');
    const held = await send(peer, 'Obrigado pelo contato 3');
    expect(held).toMatchObject({ status: 'held', protocol: null });
    expect(held.error).toMatch(
      /^possível laço: 3 mensagens de robo\..*@peer-a\.example com o mesmo assunto em 60 min/,
    );

    const list = await t.app.request('/api/v1/inbound/held', { headers: staff.headers });
    const items = ((await list.json()) as { items: Array<{ id: string; error: string }> }).items;
    expect(items.map((i) => i.id)).toContain(held.id);

    const released = await t.app.request(`/api/v1/inbound/${held.id}/release`, {
      method: 'POST',
      headers: staff.headers,
    });
    expect(released.status).toBe(200);
    const body = (await released.json()) as { status: string; protocol: string; actions: string[] };
    expect(body.status).toBe('created');
    expect(body.actions.at(-1)).toBe(`liberada por ${staff.email}`);
    expect((await rowsFrom(peer)).filter((r) => r.status === 'created')).toHaveLength(3);
    // released once: a second release is refused
    const again = await t.app.request(`/api/v1/inbound/${held.id}/release`, {
      method: 'POST',
      headers: staff.headers,
    });
    expect(again.status).toBe(409);
  });

  it('caps the new cases one address opens by e-mail, whatever the subjects', async () => {
    const sender = `muitos.${uid()}@peer-b.example`;
    for (const s of ['Buraco na rua', 'Poste apagado', 'Lixo acumulado']) {
      expect((await send(sender, s)).status).toBe('created');
    }
    const fourth = await send(sender, 'Calçada quebrada');
    expect(fourth).toMatchObject({ status: 'held' });
    expect(fourth.error).toBe(`limite de 3 manifestações novas por e-mail de ${sender} em 60 min`);
    // the Falhas page lists it with a Release button, which processes it
    const auth = { authorization: `Bearer ${staff.token}` };
    const page = await (await t.app.request('/painel/falhas', { headers: auth })).text();
    expect(page).toContain('E-mails retidos (possível laço)');
    expect(page).toContain(`/painel/falhas/emails/${fourth.id}/liberar`);
    const released = await t.app.request(`/painel/falhas/emails/${fourth.id}/liberar`, {
      method: 'POST',
      headers: auth,
    });
    expect(released.status).toBe(200);
    const row = (await rowsFrom(sender))[0]!;
    expect(row).toMatchObject({ id: fourth.id, status: 'created' });
    expect(await released.text()).toContain(`${sender} → ${row.protocol}: mensagem liberada e processada`);
  });

  it('caps the new cases one domain opens by e-mail', async () => {
    const domain = `peer-c-${uid()}.example`;
    const subjects = ['Buraco', 'Poste', 'Lixo', 'Calçada', 'Árvore caída'];
    const rows = [];
    for (const [i, s] of subjects.entries()) rows.push(await send(`pessoa${i}@${domain}`, s));
    expect(rows.map((r) => r.status)).toEqual(['created', 'created', 'created', 'created', 'held']);
    expect(rows[4]!.error).toBe(`limite de 4 manifestações novas por e-mail do domínio ${domain} em 60 min`);
  });

  it('suppresses automatic mail to one address beyond the cap across cases', async () => {
    const citizen = `maria.${uid()}@example.org`;
    const protocols: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await t.app.request('/api/v1/manifestations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          kind: 'complaint',
          subject: `Reclamação número ${i + 1}`,
          description: 'Descrição suficiente da reclamação.',
          identity: 'identified',
          citizen: { name: 'Maria', email: citizen },
        }),
      });
      expect(res.status).toBe(201);
      const { protocol } = (await res.json()) as { protocol: string };
      protocols.push(protocol);
      // one at a time, so the order of the receipts is known
      await waitFor(async () =>
        (await listOutboundForCase(t.db, protocol)).find(
          (m) => m.template === 'receipt' && m.status !== 'sending',
        ),
      );
    }
    const receipts = await Promise.all(
      protocols.map(async (p) => (await listOutboundForCase(t.db, p)).find((m) => m.template === 'receipt')!),
    );
    expect(receipts.map((r) => r.status)).toEqual(['logged', 'logged', 'suppressed']);
    expect(receipts[2]!.error).toBe(
      `limite de 2 mensagens automáticas para ${citizen} em 60 min (todos os casos)`,
    );
  });
});
