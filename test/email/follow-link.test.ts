// The signed follow link in every e-mail to the citizen: a case opened by e-mail (whose citizen never saw an
// access code) gets it in the receipt; the link opens the case page (same signed cookie as the follow
// form); a tampered, foreign or expired link does not, and says why; the route is rate-limited.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followLink, signFollowToken, verifyFollowToken } from '../../activities/email/follow-link.ts';
import { openStoredMessage } from '../../activities/email/sealed-secrets.ts';
import { createNotifyActivities } from '../../activities/notify.ts';
import { listOutboundForCase } from '../../db/queries/email.ts';
import { caseViewQuery } from '../../workflows/messages.ts';
import { type EmailOuvidor, INTAKE, message, postMime, startEmailOuvidor, waitFor } from './support.ts';

let t: EmailOuvidor;

beforeAll(async () => {
  t = await startEmailOuvidor();
});
afterAll(async () => t?.stop());

const uid = () => randomBytes(4).toString('hex');
const linkPattern = (protocol: string) =>
  new RegExp(`http://localhost(/acompanhar/${protocol}/link\\?t=[a-z2-7]{32})`);

/** A case opened by e-mail and the follow link of its receipt. */
async function caseByEmail() {
  const citizen = `gil.${uid()}@example.org`;
  const res = await postMime(
    t.app,
    message({
      from: `Gil Souza <${citizen}>`,
      to: INTAKE,
      subject: 'Praça sem iluminação',
      body: 'A praça central está sem iluminação há três noites.',
    }),
  );
  expect(res.body.status).toBe('created');
  const protocol = res.body.protocol!;
  const receipt = await waitFor(async () =>
    (await listOutboundForCase(t.db, protocol)).find(
      (m) => m.template === 'receipt' && m.recipient === citizen,
    ),
  );
  // The log keeps the link sealed (staff never read it); the transport sends it opened.
  expect(receipt.text).not.toMatch(linkPattern(protocol));
  const sent = { ...receipt, ...openStoredMessage(receipt, t.mail.secret) };
  const link = linkPattern(protocol).exec(sent.text)?.[1];
  return { protocol, citizen, receipt: sent, link };
}

const cookieOf = (res: Response) => /ouvidor_follow=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0];

describe('follow link', () => {
  it('is in the receipt of a case opened by e-mail, and opens the case page without an access code', async () => {
    const { protocol, receipt, link } = await caseByEmail();
    expect(link, receipt.text).toBeDefined();
    expect(receipt.html).toContain(`/acompanhar/${protocol}/link?t=`);
    expect(receipt.text).toContain('90 dias');

    const res = await t.app.request(link!);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/acompanhar/${protocol}`);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\/acompanhar/);
    const cookie = cookieOf(res)!;

    const page = await t.app.request(`/acompanhar/${protocol}`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(protocol);
    expect(html).toContain('Praça sem iluminação');
    // without the cookie, the case page sends the visitor to the follow form
    expect((await t.app.request(`/acompanhar/${protocol}`)).status).toBe(303);
  });

  it('adds to the protocols already followed and keeps the accept/reject/rate intent', async () => {
    const a = await caseByEmail();
    const b = await caseByEmail();
    const first = cookieOf(await t.app.request(a.link!))!;
    const second = await t.app.request(`${b.link!}&acao=aceitar`, { headers: { cookie: first } });
    expect(second.headers.get('location')).toBe(`/acompanhar/${b.protocol}?acao=aceitar`);
    const both = cookieOf(second)!;
    for (const protocol of [a.protocol, b.protocol]) {
      expect((await t.app.request(`/acompanhar/${protocol}`, { headers: { cookie: both } })).status).toBe(
        200,
      );
    }
    const odd = await t.app.request(`${b.link!}&acao=https://evil.example`);
    expect(odd.headers.get('location')).toBe(`/acompanhar/${b.protocol}`);
  });

  it('refuses a tampered link, a link of another case or person, and an expired link — with the reason', async () => {
    const { protocol, citizen, link } = await caseByEmail();
    const other = await caseByEmail();
    const token = /t=([a-z2-7]+)/.exec(link!)![1]!;
    const flipped = `${token.slice(0, 10)}${token[10] === 'a' ? 'b' : 'a'}${token.slice(11)}`;
    const secret = t.mail.secret;
    const inAYear = new Date(Date.now() + 365 * 86_400_000);
    const refused = [
      `/acompanhar/${protocol}/link?t=${flipped}`,
      `/acompanhar/${protocol}/link?t=${token.slice(0, 31)}`,
      `/acompanhar/${protocol}/link`,
      `/acompanhar/${other.protocol}/link?t=${token}`, // another case
      `/acompanhar/${protocol}/link?t=${signFollowToken(secret, protocol, 'someone@else.example', inAYear)}`,
      `/acompanhar/${protocol}/link?t=${signFollowToken('another-secret', protocol, citizen, inAYear)}`,
    ];
    for (const url of refused) {
      const res = await t.app.request(url);
      expect(res.status, url).toBe(403);
      expect(res.headers.get('set-cookie') ?? '', url).not.toContain('ouvidor_follow');
      const html = await res.text();
      expect(html, url).toContain('link de acompanhamento não é válido');
      expect(html, url).toContain('name="accessCode"'); // the follow form, to use the access code instead
    }
    const expired = signFollowToken(secret, protocol, citizen, new Date(Date.now() - 1000));
    const res = await t.app.request(`/acompanhar/${protocol}/link?t=${expired}`);
    expect(res.status).toBe(410);
    expect(res.headers.get('set-cookie') ?? '').not.toContain('ouvidor_follow');
    expect(await res.text()).toContain('expirou');
    const en = await t.app.request(`/acompanhar/${protocol}/link?t=${expired}&lang=en`);
    expect(await en.text()).toContain('has expired');
  });

  it('is rate-limited', async () => {
    const { link } = await caseByEmail();
    const limits = t.deps.rateLimit;
    t.deps.rateLimit = { windowMs: 60_000, limit: 2 };
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await t.app.request(link!)).status);
      expect(statuses.at(-1)).toBe(429);
    } finally {
      t.deps.rateLimit = limits;
    }
  });
});

describe('follow tokens and the citizen e-mails', () => {
  it('verifies in constant time against protocol, e-mail and expiry, and ignores e-mail case', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    const token = signFollowToken(
      's3cret',
      'OUV-2026-000001',
      'Ana@Example.org',
      new Date('2026-05-30T12:00:00Z'),
    );
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    expect(verifyFollowToken('s3cret', token, 'OUV-2026-000001', 'ana@example.org', now)).toBe('valid');
    expect(verifyFollowToken('s3cret', token, 'OUV-2026-000002', 'ana@example.org', now)).toBe('invalid');
    expect(verifyFollowToken('s3cret', token, 'OUV-2026-000001', 'bob@example.org', now)).toBe('invalid');
    expect(verifyFollowToken('other', token, 'OUV-2026-000001', 'ana@example.org', now)).toBe('invalid');
    expect(verifyFollowToken('s3cret', token, 'OUV-2026-000001', null, now)).toBe('invalid');
    expect(
      verifyFollowToken(
        's3cret',
        token,
        'OUV-2026-000001',
        'ana@example.org',
        new Date('2026-06-01T00:00:00Z'),
      ),
    ).toBe('expired');
    const link = followLink('https://ouvidoria.example', 's3cret', 'OUV-2026-000001', 'ana@example.org', now);
    const t90 = /t=([a-z2-7]{32})$/.exec(link)![1]!;
    const day = 86_400_000;
    expect(
      verifyFollowToken('s3cret', t90, 'OUV-2026-000001', 'ana@example.org', new Date(+now + 89 * day)),
    ).toBe('valid');
    expect(
      verifyFollowToken('s3cret', t90, 'OUV-2026-000001', 'ana@example.org', new Date(+now + 91 * day)),
    ).toBe('expired');
  });

  it('puts the link in every e-mail to the citizen, and never in those to staff', async () => {
    const { protocol, citizen } = await caseByEmail();
    const view = await t.client.workflow.getHandle(protocol).query(caseViewQuery);
    const ombudsman = await t.createStaff('ombudsman');
    const n = createNotifyActivities({ db: t.db, mail: t.mail });
    const at = new Date().toISOString();
    const events = [
      { type: 'forwarded', data: { instructions: 'Verificar.' } },
      { type: 'info_requested', data: { question: 'Qual o número do poste?' } },
      { type: 'deadline_extended', data: { justification: 'Vistoria necessária.' } },
      { type: 'answered', data: { text: 'A iluminação foi restabelecida.' } },
      { type: 'closed', data: { reason: 'Resolvido.' } },
      { type: 'sla_breached', data: {} },
    ] as const;
    for (const [i, e] of events.entries()) {
      await n.notifyCaseEvent({
        view,
        event: {
          seq: 100 + i,
          at,
          type: e.type,
          actor: 'attendant@staff.example',
          visibility: 'public',
          data: e.data,
        },
      });
    }
    const rows = (await listOutboundForCase(t.db, protocol))
      .filter((r) => r.eventSeq >= 100)
      .map((r) => ({ ...r, ...openStoredMessage(r, t.mail.secret) }));
    const toCitizen = rows.filter((r) => r.recipient === citizen);
    expect(toCitizen.map((r) => r.template).sort()).toEqual(
      ['answer', 'closed', 'deadline_extended', 'info_request', 'status'].sort(),
    );
    for (const r of toCitizen) expect(r.text, r.template).toMatch(linkPattern(protocol));
    const answer = toCitizen.find((r) => r.template === 'answer')!;
    expect(answer.text).toMatch(new RegExp(`/acompanhar/${protocol}/link\\?t=[a-z2-7]{32}&acao=aceitar`));
    const toStaff = rows.filter((r) => r.recipient === ombudsman.email);
    expect(toStaff.length).toBeGreaterThan(0);
    for (const r of toStaff) expect(r.text).not.toContain('/link?t=');
  });
});
