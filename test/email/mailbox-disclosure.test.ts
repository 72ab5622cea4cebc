// Dead letters and held messages go through the disclosure policy: a citizen's reply to a case with a
// preserved identity that could not be processed does not show the office its sender, nor the reporter's
// name in its subject or error; the same reply to an identified case does (the office may see that reporter).
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyAddress } from '../../activities/email/reply-token.ts';
import { inboundEmails } from '../../db/schema.ts';
import { json, newManifestation } from '../support/harness.ts';
import { type EmailOuvidor, MAIL_DOMAIN, message, postMime, startEmailOuvidor } from './support.ts';

let t: EmailOuvidor;
let staff: Awaited<ReturnType<EmailOuvidor['createStaff']>>;

beforeAll(async () => {
  t = await startEmailOuvidor();
  staff = await t.createStaff('attendant');
});
afterAll(async () => t?.stop());

const uid = () => randomBytes(4).toString('hex');

/** Files a case, has its citizen reply by e-mail, and leaves that reply in the dead letters. */
async function deadReply(identity: 'identified' | 'preserved') {
  const email = `graca.${uid()}@example.org`;
  const name = 'Graça Ferreira Tavares';
  const filed = await json<{ protocol: string }>(
    t.app.request('/api/v1/manifestations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(newManifestation({ identity, kind: 'report', citizen: { name, email } })),
    }),
  );
  const protocol = filed.body.protocol;
  const res = await postMime(
    t.app,
    message({
      from: `${name} <${email}>`,
      to: replyAddress(t.mail.secret, MAIL_DOMAIN, protocol, email),
      subject: `Re: [${protocol}] Graça Ferreira pede retorno`,
      body: 'Mais uma informação sobre o caso.',
    }),
  );
  // As if the signal to the case had failed for good after the reply was threaded to it.
  await t.db
    .update(inboundEmails)
    .set({ status: 'dead_letter', error: `falha ao entregar a resposta de ${name} <${email}>` })
    .where(eq(inboundEmails.id, res.body.id));
  const list = await json<{
    items: Array<{ id: string; protocol: string; fromAddress: string; subject: string; error: string }>;
  }>(t.app.request('/api/v1/inbound/dead-letters', { headers: staff.headers }));
  expect(list.status).toBe(200);
  const item = list.body.items.find((i) => i.id === res.body.id)!;
  return { item, email, protocol };
}

describe('dead letters as the office reads them', () => {
  it('hide the sender and the reporter’s name of a case whose identity is preserved', async () => {
    const { item, email, protocol } = await deadReply('preserved');
    expect(item.protocol).toBe(protocol);
    expect(item.fromAddress).toBe('remetente externo');
    const shown = JSON.stringify(item);
    expect(shown).not.toContain(email);
    expect(shown).not.toContain('Graça');
    expect(shown).not.toContain('Ferreira');
    expect(item.subject).toContain(protocol);
    expect(item.error).toContain('falha ao entregar a resposta');
  });

  it('show them for an identified case', async () => {
    const { item, email } = await deadReply('identified');
    expect(item.fromAddress).toBe(email);
    expect(item.error).toContain('Graça Ferreira Tavares');
  });
});
