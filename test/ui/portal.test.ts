// The citizen portal over HTTP without JavaScript (and the htmx fragment): reply to a request for
// complementation (with files), accept / reject the answer, rate; files on the public form; downloads.
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachments, protocolSequences } from '../../db/schema.ts';
import { startTestOuvidor, type TestOuvidor } from '../support/harness.ts';
import { actionForm, fakePng, htmx, pageClient, pngBytes, pngFile, useTestUploads } from './support.ts';

let t: TestOuvidor;
let c: ReturnType<typeof pageClient>;
let attendant: Awaited<ReturnType<TestOuvidor['createStaff']>>;
let staffCookie: string;

beforeAll(async () => {
  t = await startTestOuvidor();
  useTestUploads(t);
  c = pageClient(t);
  attendant = await t.createStaff('attendant');
  staffCookie = await c.signIn(attendant.email, attendant.password);
});
afterAll(async () => t?.stop());

/** A staff action through the REST API (setting the scene, not under test here). */
async function act(protocol: string, action: string, body: Record<string, unknown>) {
  const res = await t.app.request(`/api/v1/manifestations/${protocol}/actions/${action}`, {
    method: 'POST',
    headers: attendant.headers,
    body: JSON.stringify(body),
  });
  expect(res.status, `${action}: ${await res.clone().text()}`).toBe(200);
}

/** A case in `stage`, followed by this "browser" (cookie). */
async function caseAt(stage: 'received' | 'in_progress' | 'awaiting' | 'answered') {
  const { protocol, accessCode } = await c.file();
  if (stage !== 'received') await act(protocol, 'assign', { assignee: attendant.email });
  if (stage === 'awaiting')
    await act(protocol, 'request-info', { question: 'Qual é o número do poste apagado?' });
  if (stage === 'answered') await act(protocol, 'answer', { text: 'A equipe religou os postes em 02/12.' });
  const cookie = await c.follow(protocol, accessCode);
  const page = async (headers: Record<string, string> = {}) =>
    (await c.get(`/acompanhar/${protocol}`, { cookie, ...headers })).text();
  const portal = (verb: string, data: Record<string, string>, headers: Record<string, string> = {}) =>
    c.post(`/acompanhar/${protocol}/${verb}`, data, { cookie, ...headers });
  return { protocol, accessCode, cookie, page, portal };
}

const attachmentCount = async () => (await t.db.select({ n: count() }).from(attachments))[0]!.n;
const lastProtocolNumbers = async () =>
  (await t.db.select().from(protocolSequences))
    .map((r) => `${r.year}:${r.last}`)
    .sort()
    .join(',');

describe('reply to a request for complementation', () => {
  it('shows the question and its deadline prominently, with the reply form; nothing else to decide', async () => {
    const k = await caseAt('awaiting');
    const html = await k.page();
    expect(html).toContain('Aguardando complementação');
    expect(html).toContain('A ouvidoria precisa de mais informações');
    expect(html).toMatch(/<blockquote[^>]*id="pending-question"[^>]*>Qual é o número do poste apagado\?</);
    expect(html).toMatch(/Responda até <strong id="pending-due">\d{1,2} de [a-zç]+ de \d{4}<\/strong>/);
    const form = actionForm(html, 'responder') ?? '';
    expect(form).toContain('enctype="multipart/form-data"');
    expect(form).toContain('method="post"');
    expect(form).toContain(`hx-post="/acompanhar/${k.protocol}/responder"`);
    expect(form).toMatch(/<input[^>]*type="file"[^>]*name="attachments"|name="attachments"[^>]*type="file"/);
    expect(actionForm(html, 'aceitar')).toBeUndefined();
    expect(actionForm(html, 'recusar')).toBeUndefined();
    // the request is in the public timeline with its question
    expect(html).toContain('Complementação solicitada');
  });

  it('a plain-form reply with a PNG: 303 back, the case resumes, the reply and its file are shown', async () => {
    const k = await caseAt('awaiting');
    const res = await c.postMultipart(
      `/acompanhar/${k.protocol}/responder`,
      { text: 'O poste é o de número 1234, em frente à escola.' },
      [pngFile('poste.png')],
      { cookie: k.cookie },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/acompanhar/${k.protocol}?feito=responder`);
    const html = await (await c.get(res.headers.get('location')!, { cookie: k.cookie })).text();
    expect(html).toContain('Recebemos sua resposta.');
    expect(html).toMatch(/id="case-status"[^>]*>Em atendimento</);
    expect(html).not.toContain('A ouvidoria precisa de mais informações');
    expect(html).toContain('Manifestante complementou');
    expect(html).toContain('O poste é o de número 1234, em frente à escola.');
    const link = html.match(
      new RegExp(`href="(/acompanhar/${k.protocol}/anexos/[0-9a-f-]{36})"[^>]*>poste.png<`),
    );
    expect(link).toBeTruthy();

    // the citizen downloads it through the portal, as an attachment that is never sniffed
    const download = await c.get(link![1]!, { cookie: k.cookie });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="poste.png"/);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await download.arrayBuffer()).equals(pngBytes)).toBe(true);
    // without the follow cookie: back to the access form
    const anonymous = await c.get(link![1]!);
    expect(anonymous.status).toBe(303);

    // staff see it on the case page, linked to the REST download (session cookie)
    const id = link![1]!.split('/').pop()!;
    const staffHtml = await (await c.get(`/painel/casos/${k.protocol}`, { cookie: staffCookie })).text();
    expect(staffHtml).toContain(`href="/api/v1/attachments/${id}"`);
    expect(staffHtml).toContain('enviado pelo manifestante');
    const staffDownload = await c.get(`/api/v1/attachments/${id}`, { cookie: staffCookie });
    expect(staffDownload.status).toBe(200);
  });

  it('through htmx: 200 with the #follow-case fragment only', async () => {
    const k = await caseAt('awaiting');
    const res = await k.portal('responder', { text: 'Número 1234.' }, htmx);
    expect(res.status).toBe(200);
    const html = (await res.text()).trim();
    expect(html.startsWith('<div id="follow-case"')).toBe(true);
    expect(html).not.toContain('<html');
    expect(html).toMatch(/id="case-status"[^>]*>Em atendimento</);
    expect(html).toContain('role="status"');
  });

  it('an empty reply: 422 with the field error, the case still waits', async () => {
    const k = await caseAt('awaiting');
    const res = await k.portal('responder', { text: '' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('<html');
    expect(html).toMatch(/<textarea id="reply-text"[^>]*aria-invalid="true"/);
    expect(html).toMatch(/<p class="field-error" id="reply-text-error">[^<]+<\/p>/);
    expect(html).toMatch(/id="case-status"[^>]*>Aguardando complementação</);
  });

  it('an executable disguised as .png: 422 with a clear message, nothing stored, the case still waits', async () => {
    const k = await caseAt('awaiting');
    const before = await attachmentCount();
    const res = await c.postMultipart(
      `/acompanhar/${k.protocol}/responder`,
      { text: 'Segue a foto do poste.' },
      [fakePng('poste.png')],
      { cookie: k.cookie, ...htmx },
    );
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/id="reply-attachments-error">“poste.png” recusado: tipo de arquivo não permitido/);
    expect(html).toContain('Segue a foto do poste.'); // the typed text is kept
    expect(await attachmentCount()).toBe(before);
    expect(await k.page()).toMatch(/id="case-status"[^>]*>Aguardando complementação</);
  });

  it('extra information is welcome while the case is open (collapsed form), not after it closes', async () => {
    const k = await caseAt('in_progress');
    const html = await k.page();
    expect(html).toContain('Enviar mais informações');
    expect(actionForm(html, 'responder')).toBeTruthy();
    expect((await k.portal('responder', { text: 'Mais um detalhe.' })).status).toBe(303);
    await act(k.protocol, 'close', {});
    const res = await k.portal('responder', { text: 'Depois de encerrada.' });
    expect(res.status).toBe(409);
    const after = await res.text();
    expect(after).toContain('Esta ação não é possível na situação atual da manifestação.');
    expect(actionForm(after, 'responder')).toBeUndefined();
  });
});

describe('accept or reject the answer', () => {
  it('offers accept / reject only when answered; accepting approves the case; a second accept is 409', async () => {
    const k = await caseAt('answered');
    const html = await k.page();
    expect(html).toContain('A resposta atendeu ao seu pedido?');
    expect(actionForm(html, 'aceitar')).toBeTruthy();
    expect(actionForm(html, 'recusar')).toBeTruthy();

    const res = await k.portal('aceitar', {});
    expect(res.status).toBe(303);
    const after = await k.page();
    expect(after).toMatch(/id="case-status"[^>]*>Aprovada</);
    expect(after).toContain('Resposta aceita pelo manifestante');
    expect(actionForm(after, 'aceitar')).toBeUndefined();

    const again = await k.portal('aceitar', {}, htmx);
    expect(again.status).toBe(409);
    const fragment = (await again.text()).trim();
    expect(fragment.startsWith('<div id="follow-case"')).toBe(true);
    expect(fragment).toMatch(/role="alert"[^>]*>Esta ação não é possível/);
  });

  it('rejecting needs a reason (422), then reopens the case for the office', async () => {
    const k = await caseAt('answered');
    const empty = await k.portal('recusar', { reason: '' });
    expect(empty.status).toBe(422);
    const html = await empty.text();
    expect(html).toMatch(/<textarea id="reject-reason"[^>]*aria-invalid="true"/);
    expect(html).toMatch(/<details class="action" open>\s*<summary>Recusar a resposta/);
    expect(html).toMatch(/id="case-status"[^>]*>Respondida</);

    const res = await k.portal('recusar', { reason: 'O poste da esquina continua apagado.' });
    expect(res.status).toBe(303);
    const after = await k.page();
    expect(after).toMatch(/id="case-status"[^>]*>Em atendimento</);
    expect(after).toContain('Resposta recusada pelo manifestante');
    expect(after).toContain('O poste da esquina continua apagado.');
  });

  it('accept while the case is still in progress is 409', async () => {
    const k = await caseAt('in_progress');
    const res = await k.portal('aceitar', {});
    expect(res.status).toBe(409);
    expect(await res.text()).toMatch(/id="case-status"[^>]*>Em atendimento</);
  });
});

describe('rating', () => {
  it('a partial rating during the case, a final one (with "resolved?") after the answer', async () => {
    const k = await caseAt('in_progress');
    let html = await k.page();
    expect(html).toContain('Avaliar o atendimento até agora');
    expect(actionForm(html, 'avaliar')).not.toContain('name="resolved"');
    expect((await k.portal('avaliar', { score: '3', comment: 'Demorando um pouco.' })).status).toBe(303);
    html = await k.page();
    expect(html).toMatch(/id="last-rating"[^>]*>Sua última avaliação: <strong>3\/5<\/strong> \(parcial\)/);

    await act(k.protocol, 'answer', { text: 'Os postes foram religados ontem.' });
    html = await k.page();
    expect(html).toContain('Avalie o atendimento');
    const form = actionForm(html, 'avaliar') ?? '';
    expect(form).toContain('Sua manifestação foi resolvida?');
    for (const v of ['yes', 'partially', 'no']) expect(form).toContain(`name="resolved" value="${v}"`);
    for (const n of [1, 2, 3, 4, 5]) expect(form).toContain(`name="score" value="${n}"`);

    const res = await k.portal('avaliar', { resolved: 'partially', score: '4' }, htmx);
    expect(res.status).toBe(200);
    const fragment = await res.text();
    expect(fragment).toContain('Obrigado pela avaliação.');
    expect(fragment).toMatch(/Sua última avaliação: <strong>4\/5<\/strong> · parcialmente resolvida</);

    // staff see the rating
    const staffHtml = await (await c.get(`/painel/casos/${k.protocol}`, { cookie: staffCookie })).text();
    expect(staffHtml).toContain('4/5');
  });

  it('a score outside 1–5 or missing: 422 on the field; rating a brand-new case: 409', async () => {
    const k = await caseAt('answered');
    for (const score of ['', '7']) {
      const res = await k.portal('avaliar', { score, resolved: 'yes' });
      expect(res.status, score).toBe(422);
      const html = await res.text();
      expect(html).toMatch(/<p class="field-error" id="rate-score-error">[^<]*1 a 5[^<]*<\/p>/);
      expect(html).toMatch(/name="resolved" value="yes" checked/);
    }
    const fresh = await caseAt('received');
    expect(actionForm(await fresh.page(), 'avaliar')).toBeUndefined();
    expect((await fresh.portal('avaliar', { score: '5' })).status).toBe(409);
  });
});

describe('portal access', () => {
  it('every action is 403 without the follow cookie, or with another case’s cookie', async () => {
    const k = await caseAt('answered');
    const other = await caseAt('answered');
    for (const verb of ['responder', 'aceitar', 'recusar', 'avaliar']) {
      const none = await c.post(`/acompanhar/${k.protocol}/${verb}`, {
        text: 'x',
        score: '5',
        reason: 'xxxxx',
      });
      expect(none.status, verb).toBe(403);
      const foreign = await c.post(
        `/acompanhar/${k.protocol}/${verb}`,
        { text: 'x', score: '5', reason: 'xxxxx' },
        { cookie: other.cookie },
      );
      expect(foreign.status, verb).toBe(403);
    }
    const page = await (await c.post(`/acompanhar/${k.protocol}/aceitar`, {})).text();
    expect(page).toContain('informe de novo o protocolo e o código de acesso');
    expect(page).toContain('href="/acompanhar"');
    // an htmx request gets the alert in #messages instead of a page
    const partial = await c.post(`/acompanhar/${k.protocol}/aceitar`, {}, htmx);
    expect(partial.status).toBe(403);
    expect(partial.headers.get('hx-retarget')).toBe('#messages');
    // nothing happened
    expect(await k.page()).toMatch(/id="case-status"[^>]*>Respondida</);
    // an unknown verb is 404
    expect((await k.portal('explodir', {})).status).toBe(404);
  });

  it('refuses a portal post from a foreign origin (CSRF)', async () => {
    const k = await caseAt('answered');
    const res = await k.portal('aceitar', {}, { origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    expect(await k.page()).toMatch(/id="case-status"[^>]*>Respondida</);
  });
});

describe('public timeline', () => {
  it('shows the extension with its justification and new date, public notes, not internal ones', async () => {
    const k = await caseAt('in_progress');
    await act(k.protocol, 'extend', { justification: 'Aguardamos vistoria técnica da concessionária.' });
    await act(k.protocol, 'note', { text: 'A vistoria foi marcada para sexta.', visibility: 'public' });
    await act(k.protocol, 'note', { text: 'Ligar para o fiscal amanhã.', visibility: 'internal' });
    const html = await k.page();
    expect(html).toContain('Prazo prorrogado');
    expect(html).toContain('Aguardamos vistoria técnica da concessionária.');
    expect(html).toMatch(/Novo prazo: <strong>\d{1,2} de [a-zç]+ de \d{4}<\/strong>/);
    expect(html).toContain('Mensagem da ouvidoria');
    expect(html).toContain('A vistoria foi marcada para sexta.');
    expect(html).not.toContain('Ligar para o fiscal amanhã.');
    expect(html).not.toContain('Nota interna');
    expect(html).not.toContain(attendant.email);
  });

  it('speaks English with ?lang=en', async () => {
    const k = await caseAt('answered');
    const en = await (await c.get(`/acompanhar/${k.protocol}?lang=en`, { cookie: k.cookie })).text();
    for (const label of [
      'Did the answer meet your request?',
      'Accept the answer',
      'Reject the answer',
      'Rate the service',
    ])
      expect(en).toContain(label);
    for (const label of ['Aceitar a resposta', 'Avalie o atendimento', 'Histórico'])
      expect(en).not.toContain(label);
  });
});

describe('files on "Registrar manifestação"', () => {
  const fields = {
    kind: 'complaint',
    subject: 'Poste apagado',
    description: 'O poste em frente ao número 1234 está apagado há dias.',
    identity: 'identified',
    name: 'Maria Souza',
    email: 'maria@example.org',
  };

  it('accepts a PNG: the receipt counts it, and the case lists it for the citizen and for staff', async () => {
    const form = await (await c.get('/registrar')).text();
    expect(form).toContain('enctype="multipart/form-data"');
    expect(form).toMatch(/<input id="attachments" name="attachments" type="file" multiple/);
    const res = await c.postMultipart('/registrar', fields, [pngFile('poste.png')]);
    expect(res.status).toBe(200);
    const receipt = await res.text();
    expect(receipt).toMatch(/id="receipt-files">1</);
    const protocol = receipt.match(/id="protocol"[^>]*>(OUV-\d{4}-\d{6})</)![1]!;
    const accessCode = receipt.match(/id="access-code"[^>]*>([A-Z0-9-]+)</)![1]!;
    const cookie = await c.follow(protocol, accessCode);
    const page = await (await c.get(`/acompanhar/${protocol}`, { cookie })).text();
    const link = page.match(
      new RegExp(`href="(/acompanhar/${protocol}/anexos/[0-9a-f-]{36})"[^>]*>poste.png<`),
    );
    expect(link).toBeTruthy();
    expect((await c.get(link![1]!, { cookie })).status).toBe(200);
    const staffHtml = await (await c.get(`/painel/casos/${protocol}`, { cookie: staffCookie })).text();
    expect(staffHtml).toMatch(/href="\/api\/v1\/attachments\/[0-9a-f-]{36}"[^>]*>poste.png</);
  });

  it('takes real-size photos (over the 1 MiB body limit of other routes)', async () => {
    const photo = (name: string) =>
      new File([Buffer.concat([pngBytes, Buffer.alloc(800 * 1024)])], name, { type: 'image/png' });
    const res = await c.postMultipart('/registrar', fields, [photo('frente.png'), photo('lado.png')]);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/id="receipt-files">2</);
    // everything else keeps the 1 MiB limit
    const big = await c.postMultipart(
      '/entrar',
      { email: 'x@y.z', password: 'x'.repeat(2 * 1024 * 1024) },
      [],
    );
    expect(big.status).toBe(413);
  });

  it('refuses an executable disguised as .png: 422, a pt-BR message, no case and no file created', async () => {
    const before = { files: await attachmentCount(), protocols: await lastProtocolNumbers() };
    const res = await c.postMultipart('/registrar', fields, [pngFile('ok.png'), fakePng('foto.png')]);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Corrija os campos destacados.');
    expect(html).toMatch(/<a href="#attachments">“foto.png” recusado: tipo de arquivo não permitido/);
    expect(html).toMatch(/<input id="attachments"[^>]*aria-invalid="true"/);
    expect(html).toContain('selecione-os novamente');
    expect(html).toContain('value="Poste apagado"'); // what was typed stays
    expect(html).not.toContain('id="access-code"');
    expect(await attachmentCount()).toBe(before.files);
    expect(await lastProtocolNumbers()).toBe(before.protocols);
  });

  it('refuses more files than allowed', async () => {
    const res = await c.postMultipart('/registrar', fields, [
      pngFile('1.png'),
      pngFile('2.png'),
      pngFile('3.png'),
      pngFile('4.png'),
    ]);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Envie no máximo 3 arquivos.');
  });

  it('through htmx the form swaps in place: the card with errors, then the receipt card', async () => {
    const bad = await c.postMultipart('/registrar', { ...fields, subject: '' }, [], htmx);
    expect(bad.status).toBe(422);
    const badHtml = (await bad.text()).trim();
    expect(badHtml.startsWith('<section class="card narrow" id="file-card"')).toBe(true);
    expect(badHtml).not.toContain('<html');
    const ok = await c.postMultipart('/registrar', fields, [], htmx);
    expect(ok.status).toBe(200);
    const okHtml = (await ok.text()).trim();
    expect(okHtml.startsWith('<section class="card narrow receipt" id="file-card"')).toBe(true);
    expect(okHtml).toContain('id="access-code"');
  });
});
