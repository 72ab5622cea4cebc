// The htmx pages over HTTP, without JavaScript: plain form posts (with the Origin header browsers send,
// which hono/csrf checks), redirects and cookies; plus the fragments htmx asks for with HX-Request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newManifestation, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';

let t: TestOuvidor;
let attendant: Awaited<ReturnType<TestOuvidor['createStaff']>>;
let staffCookie: string;

const origin = 'http://localhost';
const htmx = { 'hx-request': 'true', 'hx-request-type': 'partial' };

beforeAll(async () => {
  t = await startTestOuvidor();
  attendant = await t.createStaff('attendant');
  staffCookie = await signIn(attendant.email, attendant.password);
});
afterAll(async () => t?.stop());

/** A form post as a browser without JavaScript sends it. */
function post(path: string, data: Record<string, string>, headers: Record<string, string> = {}) {
  return t.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin, ...headers },
    body: new URLSearchParams(data).toString(),
  });
}

const get = (path: string, headers: Record<string, string> = {}) => t.app.request(path, { headers });

/** "name=value; name2=value2" from a response's Set-Cookie headers. */
function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

async function signIn(email: string, password: string): Promise<string> {
  const res = await post('/entrar', { email, password });
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe('/painel');
  const cookie = cookiesOf(res);
  expect(cookie).toMatch(/session_token=/);
  return cookie;
}

/** Files through the REST API (fast path for tests that are not about the form). */
async function file(over: Record<string, unknown> = {}) {
  const res = await t.app.request('/api/v1/manifestations', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(newManifestation(over)),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { protocol: string; accessCode: string };
}

const staffGet = (path: string, headers: Record<string, string> = {}) =>
  get(path, { cookie: staffCookie, ...headers });
const staffPost = (path: string, data: Record<string, string>, headers: Record<string, string> = {}) =>
  post(path, data, { cookie: staffCookie, ...headers });

async function follow(protocol: string, accessCode: string): Promise<string> {
  const res = await post('/acompanhar', { protocol, accessCode });
  expect(res.status).toBe(303);
  return cookiesOf(res);
}

/** The first form on the page whose action ends with /ACTION, or undefined. */
const actionForm = (html: string, action: string) =>
  html.match(new RegExp(`<form[^>]*action="[^"]*/${action}"[\\s\\S]*?</form>`))?.[0];

describe('public form (Registrar manifestação)', () => {
  it('renders in pt-BR by default and in English with ?lang=en', async () => {
    const pt = await get('/registrar');
    expect(pt.status).toBe(200);
    const ptHtml = await pt.text();
    expect(ptHtml).toContain('<html lang="pt-BR">');
    expect(ptHtml).toContain('Registrar manifestação');
    expect(ptHtml).toContain('Reclamação');
    expect(ptHtml).toContain('Enviar manifestação');
    expect(ptHtml).toContain('<form method="post" action="/registrar"');

    const en = await get('/registrar?lang=en');
    const enHtml = await en.text();
    expect(enHtml).toContain('<html lang="en">');
    expect(enHtml).toContain('File a manifestation');
    expect(enHtml).toContain('Complaint');
    expect(enHtml).not.toContain('Enviar manifestação');
    expect(enHtml).not.toContain('Pular para o conteúdo');
  });

  it('re-renders an invalid post with 422, field errors and the typed values', async () => {
    const res = await post('/registrar', {
      kind: '',
      subject: 'Oi <b>',
      description: 'curta',
      identity: 'identified',
      name: 'Maria Souza',
      email: 'maria@example.org',
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Corrija os campos destacados.');
    expect(html).toContain('Escolha o tipo de manifestação');
    expect(html).toContain('Descreva a manifestação com pelo menos 10 caracteres');
    expect(html).toMatch(/<select id="kind"[^>]*aria-invalid="true"/);
    expect(html).toMatch(/<textarea id="description"[^>]*aria-invalid="true"[^>]*>curta<\/textarea>/);
    expect(html).toContain('value="Oi &lt;b&gt;"');
    expect(html).toContain('value="Maria Souza"');
    expect(html).toContain('value="maria@example.org"');
  });

  it('refuses a form post from a foreign origin (CSRF)', async () => {
    const res = await post(
      '/registrar',
      {
        kind: 'complaint',
        subject: 'Assunto',
        description: 'Descrição longa o bastante',
        identity: 'anonymous',
      },
      { origin: 'http://evil.example' },
    );
    expect(res.status).toBe(403);
  });

  it('shows the receipt with protocol and access code for a valid post', async () => {
    const res = await post('/registrar', {
      kind: 'complaint',
      subject: 'Calçada quebrada',
      description: 'A calçada da Rua A está quebrada há meses.',
      identity: 'identified',
      name: 'João Lima',
      phone: '+55 11 99999-0000',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('Manifestação registrada');
    expect(html).toMatch(/<strong id="protocol"[^>]*>OUV-\d{4}-\d{6}<\/strong>/);
    expect(html).toMatch(/<strong id="access-code"[^>]*>[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}<\/strong>/);
  });

  it('accepts an anonymous manifestation without contact details', async () => {
    const res = await post('/registrar', {
      kind: 'report',
      subject: 'Denúncia anônima',
      description: 'Descrição com detalhes suficientes.',
      identity: 'anonymous',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('id="access-code"');
  });
});

describe('Acompanhar manifestação', () => {
  it('refuses a wrong access code with 422 and sets no cookie', async () => {
    const { protocol } = await file();
    const res = await post('/acompanhar', { protocol, accessCode: 'AAAA-BBBB-CCCC' });
    expect(res.status).toBe(422);
    expect(res.headers.getSetCookie()).toEqual([]);
    const html = await res.text();
    expect(html).toContain('Protocolo ou código de acesso não conferem.');
    expect(html).toContain(`value="${protocol}"`);
  });

  it('with the right code sets a cookie and shows status and the public timeline', async () => {
    const { protocol, accessCode } = await file({ subject: 'Poste apagado na praça' });
    await staffPost(`/painel/casos/${protocol}/assign`, { assignee: attendant.email });
    const res = await post('/acompanhar', {
      protocol: protocol.toLowerCase(),
      accessCode: accessCode.toLowerCase(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/acompanhar/${protocol}`);
    const setCookie = res.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/ouvidor_follow=/);
    expect(setCookie).toMatch(/HttpOnly/i);

    const page = await get(`/acompanhar/${protocol}`, { cookie: cookiesOf(res) });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(protocol);
    expect(html).toContain('Em atendimento');
    expect(html).toContain('Poste apagado na praça');
    expect(html).toContain('Manifestação registrada');
    // the assignment is internal: neither the event nor the attendant's address is shown
    expect(html).not.toContain('Responsável definido');
    expect(html).not.toContain(attendant.email);
  });

  it('a cookie for one protocol does not open another', async () => {
    const mine = await file();
    const theirs = await file();
    const cookie = await follow(mine.protocol, mine.accessCode);
    const res = await get(`/acompanhar/${theirs.protocol}`, { cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/acompanhar?protocolo=${theirs.protocol}`);
    const none = await get(`/acompanhar/${mine.protocol}`);
    expect(none.status).toBe(303);
  });

  it('a forged cookie opens nothing', async () => {
    const { protocol } = await file();
    const res = await get(`/acompanhar/${protocol}`, { cookie: `ouvidor_follow=${protocol}` });
    expect(res.status).toBe(303);
  });
});

describe('staff sign-in', () => {
  it('signs in with the form (303 + session cookie) and refuses a wrong password with 401', async () => {
    const cookie = await signIn(attendant.email, attendant.password);
    const list = await get('/painel', { cookie });
    expect(list.status).toBe(200);
    expect(await list.text()).toContain('Atendente');

    const wrong = await post('/entrar', { email: attendant.email, password: 'wrong-password' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.getSetCookie().join()).not.toMatch(/session_token=[^;]/);
    const html = await wrong.text();
    expect(html).toContain('E-mail ou senha inválidos.');
    expect(html).toContain(`value="${attendant.email}"`);
  });

  it('sends /painel and case pages to /entrar without a session', async () => {
    const res = await get('/painel');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/entrar');
    const { protocol } = await file();
    const casePage = await get(`/painel/casos/${protocol}`);
    expect(casePage.status).toBe(303);
    expect(casePage.headers.get('location')).toBe('/entrar');
  });

  it('refuses actions without a session', async () => {
    const { protocol } = await file();
    const res = await post(`/painel/casos/${protocol}/assign`, { assignee: attendant.email });
    expect(res.status).toBe(401);
  });
});

describe('case list', () => {
  it('filters by status and by text', async () => {
    const a = await file({
      subject: 'Buraco enorme na avenida',
      description: 'Há um buraco na avenida central.',
    });
    const b = await file({
      subject: 'Praça sem iluminação',
      description: 'A iluminação da praça não funciona.',
    });
    await staffPost(`/painel/casos/${b.protocol}/assign`, { assignee: attendant.email });

    const inProgress = await (await staffGet('/painel?status=in_progress')).text();
    expect(inProgress).toContain(b.protocol);
    expect(inProgress).not.toContain(a.protocol);
    expect(inProgress).toMatch(/<option value="in_progress" selected>/);

    const search = await (await staffGet('/painel?q=iluminacao%20praca')).text();
    expect(search).toContain(b.protocol);
    expect(search).not.toContain(a.protocol);

    const byProtocol = await (await staffGet(`/painel?q=${a.protocol}`)).text();
    expect(byProtocol).toContain(a.protocol);
    expect(byProtocol).not.toContain(b.protocol);

    expect(search).toContain('href="/painel?q=iluminacao+praca&amp;lang=en"'); // language switch keeps the search

    const none = await (await staffGet('/painel?q=zzzinexistentezzz')).text();
    expect(none).toContain('Nenhuma manifestação encontrada com esses filtros.');
  });

  it('answers an htmx request with only the #results fragment', async () => {
    const { protocol } = await file();
    const res = await staffGet(`/painel?q=${protocol}`, htmx);
    expect(res.status).toBe(200);
    expect(res.headers.get('vary')).toMatch(/HX-Request/);
    const html = (await res.text()).trim();
    expect(html.startsWith('<div id="results"')).toBe(true);
    expect(html).not.toContain('<html');
    expect(html).toContain(protocol);
    // a full htmx request (history restore) gets the whole page
    const full = await staffGet(`/painel?q=${protocol}`, { 'hx-request': 'true', 'hx-request-type': 'full' });
    expect(await full.text()).toContain('<html');
  });

  it('pages with "Carregar mais", and the next rows come as a fragment of <tr>', async () => {
    await file();
    await file();
    const first = await (await staffGet('/painel?limit=1')).text();
    const more = first.match(/hx-get="([^"]*fragment=rows[^"]*)"/)?.[1];
    expect(more).toBeTruthy();
    const rows = await staffGet(more!.replaceAll('&amp;', '&'), htmx);
    const html = (await rows.text()).trim();
    expect(html.startsWith('<tr')).toBe(true);
    expect(html).not.toContain('<table');
  });
});

describe('case page and actions', () => {
  it('offers the actions the status allows', async () => {
    const { protocol } = await file();
    const url = `/painel/casos/${protocol}`;
    let html = await (await staffGet(url)).text();
    expect(html).toContain('Nova');
    expect(actionForm(html, 'assign')).toBeTruthy();
    expect(actionForm(html, 'answer')).toBeUndefined();
    expect(actionForm(html, 'close')).toBeUndefined();

    await staffPost(`${url}/assign`, { assignee: attendant.email });
    html = await (await staffGet(url)).text();
    expect(actionForm(html, 'assign')).toBeTruthy();
    expect(actionForm(html, 'answer')).toBeTruthy();
    expect(actionForm(html, 'close')).toBeTruthy();

    await staffPost(`${url}/answer`, { text: 'Resposta completa ao cidadão.' });
    html = await (await staffGet(url)).text();
    expect(actionForm(html, 'assign')).toBeUndefined();
    expect(actionForm(html, 'answer')).toBeUndefined();
    expect(actionForm(html, 'close')).toBeTruthy();

    await staffPost(`${url}/close`, {});
    html = await (await staffGet(url)).text();
    expect(html).toContain('Encerrada');
    for (const gone of ['assign', 'answer', 'close', 'forward', 'extend', 'archive']) {
      expect(actionForm(html, gone), gone).toBeUndefined();
    }
    expect(actionForm(html, 'reopen')).toBeTruthy();
  });

  it('runs actions as plain forms: 303 back to the case, and the change shows', async () => {
    const { protocol } = await file();
    const url = `/painel/casos/${protocol}`;
    const assigned = await staffPost(`${url}/assign`, { assignee: attendant.email });
    expect(assigned.status).toBe(303);
    expect(assigned.headers.get('location')).toBe(url);
    let html = await (await staffGet(url)).text();
    expect(html).toMatch(/id="case-status"[^>]*>Em atendimento</);
    expect(html).toMatch(new RegExp(`id="case-assignee"[^>]*><span title="${attendant.email}">você`));
    // the history names people, the e-mail on hover (issue 9 item 5), not the bare address
    const history = html.slice(html.indexOf('class="timeline"'));
    expect(history).toContain(`<span title="${attendant.email}">Test attendant</span>`);
    expect(history).not.toMatch(new RegExp(`>\\s*${attendant.email.replace(/[.]/g, '\\.')}\\s*<`));

    const answered = await staffPost(`${url}/answer`, { text: 'A equipe religou os postes em 02/12.' });
    expect(answered.status).toBe(303);
    html = await (await staffGet(url)).text();
    expect(html).toMatch(/id="case-status"[^>]*>Respondida</);
    expect(html).toContain('A equipe religou os postes em 02/12.');

    const closed = await staffPost(`${url}/close`, { reason: 'Resolvido' });
    expect(closed.status).toBe(303);
    html = await (await staffGet(url)).text();
    expect(html).toMatch(/id="case-status"[^>]*>Encerrada</);
    expect(html).toContain('Resolvido');
  });

  it('explains the deadline: how the extension was counted and which complementation reading applies', async () => {
    const { protocol } = await file();
    const url = `/painel/casos/${protocol}`;
    await staffPost(`${url}/assign`, { assignee: attendant.email });
    let html = await (await staffGet(url)).text();
    expect(html).toContain('Como o prazo foi calculado');
    expect(html).toContain('interrompe uma vez: recomeça da resposta (Decreto 9.492/2018, art. 18)');
    expect(html).toContain('a partir do vencimento que prorroga; só antes do vencimento');
    const extended = await staffPost(`${url}/extend`, {
      justification: 'Aguardando o laudo técnico da obra',
    });
    expect(extended.status).toBe(303);
    html = await (await staffGet(url)).text();
    expect(html).toMatch(
      /Prorrogação 1: 30 dia\(s\) corrido\(s\) contados a partir do vencimento anterior \(\d{2}\/\d{2}\/\d{4} 23:59\)/,
    );
    expect(html).toContain(
      'cada prorrogação começa no vencimento que ela prorroga (extensionFrom: deadline)',
    );
  });

  it('runs actions through htmx and returns the #case fragment', async () => {
    const { protocol } = await file();
    const res = await staffPost(`/painel/casos/${protocol}/assign`, { assignee: attendant.email }, htmx);
    expect(res.status).toBe(200);
    const html = (await res.text()).trim();
    expect(html.startsWith('<article id="case"')).toBe(true);
    expect(html).not.toContain('<html');
    expect(html).toMatch(/id="case-status"[^>]*>Em atendimento</);
    expect(html).toContain('Manifestação atualizada.');
  });

  it('re-renders with the message on 409 (wrong state), with and without htmx', async () => {
    const { protocol } = await file();
    const plain = await staffPost(`/painel/casos/${protocol}/answer`, { text: 'Resposta antes de assumir.' });
    expect(plain.status).toBe(409);
    const page = await plain.text();
    expect(page).toContain('<html');
    expect(page).toContain('Esta ação não é possível na situação atual da manifestação.');
    expect(page).toMatch(/id="case-status"[^>]*>Nova</);

    const partial = await staffPost(
      `/painel/casos/${protocol}/close`,
      { reason: 'Encerrar sem assumir' },
      htmx,
    );
    expect(partial.status).toBe(409);
    const fragment = (await partial.text()).trim();
    expect(fragment.startsWith('<article id="case"')).toBe(true);
    expect(fragment).toContain('role="alert"');
    expect(fragment).toContain('Esta ação não é possível na situação atual da manifestação.');
  });

  it('re-renders with field errors on 422 (empty answer), keeping the case unchanged', async () => {
    const { protocol } = await file();
    await staffPost(`/painel/casos/${protocol}/assign`, { assignee: attendant.email });
    const res = await staffPost(`/painel/casos/${protocol}/answer`, { text: '' }, htmx);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Corrija os campos destacados.');
    const form = actionForm(html, 'answer') ?? '';
    expect(form).toMatch(/<textarea[^>]*name="text"[^>]*aria-invalid="true"/);
    expect(form).toMatch(/<p class="field-error" id="[^"]+">[^<]+<\/p>/);
    expect(html).toMatch(/id="case-status"[^>]*>Em atendimento</);

    const short = await staffPost(`/painel/casos/${protocol}/answer`, { text: 'curta' });
    expect(short.status).toBe(422);
    const page = await short.text();
    const shortForm = actionForm(page, 'answer') ?? '';
    expect(shortForm).toMatch(/<p class="field-error" id="[^"]+">[^<]*10[^<]*<\/p>/);
    expect(shortForm).toMatch(/<textarea[^>]*name="text"[^>]*>curta<\/textarea>/);
  });

  it('speaks English with ?lang=en, with no Portuguese label left behind', async () => {
    const { protocol } = await file();
    const html = await (await staffGet(`/painel/casos/${protocol}?lang=en`)).text();
    expect(html).toContain('<html lang="en">');
    for (const label of [
      'Complaint',
      'New',
      'Timeline',
      'Actions',
      'Assume',
      'Manifestation filed',
      'Attendant',
    ])
      expect(html).toContain(label);
    for (const label of ['Reclamação', 'Nova<', 'Histórico', 'Ações', 'Assumir', 'Manifestação registrada'])
      expect(html).not.toContain(label);
  });

  it('answers 404 for an unknown case and an unknown action', async () => {
    expect((await staffGet('/painel/casos/OUV-2026-999999')).status).toBe(404);
    const { protocol } = await file();
    expect((await staffPost(`/painel/casos/${protocol}/explode`, {})).status).toBe(404);
    expect((await staffPost(`/painel/casos/${protocol}/toString`, {})).status).toBe(404);
  });

  it('sends an htmx error to #messages instead of replacing the case', async () => {
    const res = await staffPost('/painel/casos/OUV-2026-999999/assign', { assignee: attendant.email }, htmx);
    expect(res.status).toBe(404);
    expect(res.headers.get('hx-retarget')).toBe('#messages');
    const html = await res.text();
    expect(html).not.toContain('<html');
    expect(html).toContain('role="alert"');
  });
});

describe('security headers and escaping', () => {
  it('sends a nonce CSP on every HTML page, and the script tag carries the same nonce', async () => {
    const { protocol, accessCode } = await file();
    const followCookie = await follow(protocol, accessCode);
    const pages: Array<[string, Record<string, string>]> = [
      ['/', {}],
      ['/registrar', {}],
      ['/acompanhar', {}],
      [`/acompanhar/${protocol}`, { cookie: followCookie }],
      ['/entrar', {}],
      ['/painel', { cookie: staffCookie }],
      [`/painel/casos/${protocol}`, { cookie: staffCookie }],
      [`/painel/casos/${protocol}/emails`, { cookie: staffCookie }],
      ['/painel/registrar', { cookie: staffCookie }],
      ['/nao-existe', {}],
    ];
    for (const [path, headers] of pages) {
      const res = await get(path, headers);
      expect(res.headers.get('content-type'), path).toMatch(/text\/html/);
      const csp = res.headers.get('content-security-policy') ?? '';
      const nonce = csp.match(/'nonce-([^']+)'/)?.[1];
      expect(nonce, `${path}: ${csp}`).toBeTruthy();
      expect(csp).toMatch(/style-src 'self'/);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      const html = await res.text();
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length, path).toBeGreaterThan(0);
      for (const s of scripts) expect(s, path).toContain(`nonce="${nonce}"`);
      expect(html, path).not.toMatch(/\sstyle="/);
      expect(html, path).not.toMatch(/\son[a-z]+="/);
    }
    const a = (await get('/')).headers.get('content-security-policy');
    const b = (await get('/')).headers.get('content-security-policy');
    expect(a).not.toBe(b); // a fresh nonce per response
  });

  it('never outputs a subject or description unescaped', async () => {
    const evil = '<script>alert(1)</script>';
    const { protocol, accessCode } = await file({
      subject: `Assunto ${evil}`,
      description: `Descrição ${evil} "aspas" & <img src=x onerror=alert(2)>`,
      citizen: { name: `Nome ${evil}`, email: 'evil@example.org' },
    });
    const followCookie = await follow(protocol, accessCode);
    const pages = [
      await staffGet(`/painel?q=${protocol}`),
      await staffGet(`/painel?q=${protocol}`, htmx),
      await staffGet(`/painel/casos/${protocol}`),
      await get(`/acompanhar/${protocol}`, { cookie: followCookie }),
    ];
    for (const res of pages) {
      const html = await res.text();
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).not.toContain(evil);
      expect(html).not.toContain('<img src=x');
    }
  });
});
