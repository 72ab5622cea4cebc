// The disclosure matrix, end to end: for every viewer (admin, ombudsman, attendant, unit, citizen) × identity
// (identified, preserved, anonymous) × surface (case page, REST case JSON with its timeline, list JSON and
// HTML, mail log HTML and JSON with attachment metadata, the notification e-mails each role receives), no
// identifying value (name, e-mail, phone) appears where the matrix hides it, and no citizen secret (access
// code, follow-link token, reply token) reaches any staff member. Real PostgreSQL, real Temporal, the real
// mail doors. The expected table is written out here, not taken from api/disclosure.ts.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signReplyToken } from '../../activities/email/reply-token.ts';
import { openStoredMessage } from '../../activities/email/sealed-secrets.ts';
import { listOutboundForCase } from '../../db/queries/email.ts';
import { upsertUnit } from '../../db/queries/units.ts';
import {
  type EmailOuvidor,
  INTAKE,
  messageWithAttachments,
  postMime,
  startEmailOuvidor,
  tinyPng,
  waitFor,
} from '../email/support.ts';

type Identity = 'identified' | 'preserved' | 'anonymous';
type StaffRole = 'admin' | 'ombudsman' | 'attendant' | 'unit';
/** What each staff viewer may read of the reporter without a reveal (README "Quem vê o quê"). */
const expected: Record<Identity, Record<StaffRole, 'full' | 'name' | 'none'>> = {
  identified: { admin: 'full', ombudsman: 'full', attendant: 'full', unit: 'name' },
  preserved: { admin: 'none', ombudsman: 'none', attendant: 'none', unit: 'none' },
  anonymous: { admin: 'none', ombudsman: 'none', attendant: 'none', unit: 'none' },
};
const identities: Identity[] = ['identified', 'preserved', 'anonymous'];
const roles: StaffRole[] = ['admin', 'ombudsman', 'attendant', 'unit'];

let t: EmailOuvidor;
const staff = {} as Record<StaffRole, Awaited<ReturnType<EmailOuvidor['createStaff']>>>;
const unitEmail = `obras-${randomBytes(3).toString('hex')}@prefeitura.example`;
const UNIT = 'SEC-PRIV';

type Case = {
  identity: Identity;
  protocol: string;
  subjectWord: string;
  reporter: { name: string; email: string; phone: string };
  secrets: { accessCode: string; followToken: string; replyToken: string };
};
const cases = {} as Record<Identity, Case>;

async function act(protocol: string, action: string, body: Record<string, unknown>, as = staff.attendant) {
  const res = await t.app.request(`/api/v1/manifestations/${protocol}/actions/${action}`, {
    method: 'POST',
    headers: as.headers,
    body: JSON.stringify(body),
  });
  expect(res.status, `${action}: ${await res.clone().text()}`).toBe(200);
}

async function fileCase(identity: Identity): Promise<Case> {
  const tag = randomBytes(3).toString('hex');
  // Distinctive values, so a match anywhere is a leak and never a coincidence.
  const reporter = {
    name: `Gertrudes Quixabeira${tag}`,
    email: `gertrudes.${tag}@cidada.example`,
    phone: `(11) 9${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
  };
  const subjectWord = `Vazamento${tag}`;
  const res = await t.app.request('/api/v1/manifestations', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      kind: 'report',
      subject: `${subjectWord} na rede de esgoto`,
      // An anonymous reporter's data is dropped at filing; what they would type about themselves in the
      // text is theirs to leave out. Identified and preserved reporters sign their text.
      description:
        identity === 'anonymous'
          ? 'Vi o vazamento na Rua das Palmeiras.'
          : `Eu, ${reporter.name}, vi o vazamento na Rua das Palmeiras. Telefone ${reporter.phone}.`,
      identity,
      citizen: reporter,
    }),
  });
  expect(res.status).toBe(201);
  const { protocol, accessCode } = (await res.json()) as { protocol: string; accessCode: string };
  await act(protocol, 'assign', { assignee: staff.attendant.email });
  await act(protocol, 'forward', { units: [UNIT], instructions: 'Verificar o vazamento e responder.' });
  let followToken = '';
  if (identity !== 'anonymous') {
    const receipt = await waitFor(async () =>
      (await listOutboundForCase(t.db, protocol)).find((m) => m.template === 'receipt'),
    );
    followToken = /\/link\?t=([a-z2-7]{32})/.exec(openStoredMessage(receipt, t.mail.secret).text)?.[1] ?? '';
    expect(followToken).toMatch(/^[a-z2-7]{32}$/);
    // The reporter writes in from their address, signs, and attaches a file named after themselves.
    const sent = await postMime(
      t.app,
      messageWithAttachments({
        from: `${reporter.name} <${reporter.email}>`,
        to: INTAKE,
        subject: `Re: ${protocol} complemento`,
        body: `Seguem fotos. Código ${accessCode}.\n\n${reporter.name}\n${reporter.phone}`,
        files: [{ filename: `RG ${reporter.name}.png`, contentType: 'image/png', bytes: tinyPng }],
      }).replace(
        'MIME-Version: 1.0',
        `Authentication-Results: mx.ouvidor.test; spf=pass smtp.mailfrom=${reporter.email}\r\nMIME-Version: 1.0`,
      ),
    );
    expect(sent.body.protocol).toBe(protocol);
  }
  await act(protocol, 'unit-response', { unit: UNIT, text: 'Equipe enviada ao local.' }, staff.unit);
  // wait until the unit was mailed and the timeline has the unit's answer
  await waitFor(async () =>
    (await listOutboundForCase(t.db, protocol)).some(
      (m) => m.recipient === unitEmail && m.status === 'logged',
    ),
  );
  return {
    identity,
    protocol,
    subjectWord,
    reporter,
    secrets: { accessCode, followToken, replyToken: signReplyToken(t.mail.secret, protocol, reporter.email) },
  };
}

beforeAll(async () => {
  t = await startEmailOuvidor();
  await upsertUnit(t.db, { code: UNIT, name: 'Secretaria de Saneamento', email: unitEmail });
  for (const r of roles) staff[r] = await t.createStaff(r, r === 'unit' ? { unitCode: UNIT } : {});
  for (const i of identities) cases[i] = await fileCase(i);
}, 120_000);
afterAll(async () => t?.stop());

const get = async (path: string, headers: Record<string, string>) => {
  const res = await t.app.request(path, { headers });
  expect(res.status, path).toBe(200);
  return res.text();
};

/** Every surface as `role` reads it, by name. */
async function surfaces(role: StaffRole, c: Case): Promise<Record<string, string>> {
  const h = { authorization: staff[role].headers.authorization };
  const out: Record<string, string> = {
    'case page': await get(`/painel/casos/${c.protocol}`, h),
    'case JSON (with timeline)': await get(`/api/v1/manifestations/${c.protocol}`, h),
    'list JSON': await get(`/api/v1/manifestations?q=${c.subjectWord}`, h),
    'list HTML': await get(`/painel?q=${c.subjectWord}`, h),
    'mail log HTML': await get(`/painel/casos/${c.protocol}/emails`, h),
    'mail log JSON (with attachment metadata)': await get(`/api/v1/manifestations/${c.protocol}/emails`, h),
  };
  // The notification e-mails this role receives, as sent (secrets opened: what the transport delivers).
  const address = role === 'unit' ? unitEmail : staff[role].email;
  const mails = (await listOutboundForCase(t.db, c.protocol)).filter((m) => m.recipient === address);
  out['notification e-mails'] = mails
    .map((m) => Object.values(openStoredMessage(m, t.mail.secret)).join('\n'))
    .join('\n');
  return out;
}

describe.each(identities)('a %s case', (identity) => {
  it.each(roles)('as %s, shows only what the matrix allows on every surface', async (role) => {
    const c = cases[identity];
    const access = expected[identity][role];
    const all = await surfaces(role, c);
    const phoneDigits = c.reporter.phone.replace(/\D/g, '');
    for (const [surface, body] of Object.entries(all)) {
      const where = `${role} · ${identity} · ${surface}`;
      // Secrets: never to staff.
      expect(body, `${where}: access code`).not.toContain(c.secrets.accessCode);
      if (c.secrets.followToken) expect(body, `${where}: follow link`).not.toContain(c.secrets.followToken);
      expect(body, `${where}: reply token`).not.toContain(c.secrets.replyToken);
      if (access !== 'full') {
        expect(body.toLowerCase(), `${where}: e-mail`).not.toContain(c.reporter.email.toLowerCase());
        expect(body, `${where}: phone`).not.toContain(c.reporter.phone);
        expect(body, `${where}: phone digits`).not.toContain(phoneDigits);
      }
      if (access === 'none') {
        expect(body, `${where}: name`).not.toContain(c.reporter.name);
        expect(body, `${where}: surname`).not.toContain(c.reporter.name.split(' ')[1]!);
      }
    }
    // Not vacuous: who may see the reporter does see them, on the case page and in the JSON.
    if (access === 'full') {
      expect(all['case page']).toContain(c.reporter.email);
      expect(all['case JSON (with timeline)']).toContain(c.reporter.phone);
      if (identity !== 'anonymous')
        expect(all['mail log JSON (with attachment metadata)']).toContain(`RG ${c.reporter.name}.png`);
    }
    if (access === 'name') expect(all['case page']).toContain(c.reporter.name);
    // Every surface was really rendered with this case in it.
    expect(all['list JSON']).toContain(c.protocol);
    expect(all['mail log JSON (with attachment metadata)']).toContain('"outbound"');
  });

  it('as the citizen (X-Access-Code), shows exactly the portal: no internal notes, staff, unit work', async () => {
    const c = cases[identity];
    const res = await t.app.request(`/api/v1/manifestations/${c.protocol}`, {
      headers: { 'x-access-code': c.secrets.accessCode },
    });
    expect(res.status).toBe(200);
    const body = await res.text();
    for (const r of roles) expect(body, `staff identity ${r}`).not.toContain(staff[r].email);
    expect(body).not.toContain('Verificar o vazamento'); // unit instructions
    expect(body).not.toContain('Equipe enviada ao local'); // the unit's answer
    expect(body).not.toContain(UNIT);
    const view = JSON.parse(body) as Record<string, unknown> & { timeline: Array<{ visibility: string }> };
    for (const key of [
      'assignee',
      'auxiliaries',
      'units',
      'unitAssignments',
      'workMinutes',
      'estimateMinutes',
    ])
      expect(view, key).not.toHaveProperty(key);
    expect(view.timeline.every((e) => e.visibility === 'public')).toBe(true);
    if (identity !== 'anonymous') expect(body).toContain(c.reporter.name); // their own data
  });
});
