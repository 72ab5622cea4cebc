// The attendant's workspace over HTTP: the /painel form as a browser without JavaScript sends it (every
// field, blank ones included), search (prefix, accents, codes, people), filters, sorts with keyset pages,
// queues with counts, the new-activity marker, and the same through GET /api/v1/manifestations and
// GET /api/v1/queues.
import { eq } from 'drizzle-orm';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexedMatch } from '../../db/queries/manifestations-search.ts';
import { manifestations } from '../../db/schema.ts';
import { json, newManifestation, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';
import { cookiesOf, origin } from './support.ts';

let t: TestOuvidor;
type Staff = Awaited<ReturnType<TestOuvidor['createStaff']>>;
let me: Staff;
let colleague: Staff;
let unitUser: Staff;
let cookie: string;

/** Every field of the filter form, blank: what a browser sends when nothing is chosen. */
const blankForm = {
  q: '',
  status: '',
  kind: '',
  priority: '',
  assignee: '',
  sort: 'received',
  unit: '',
  channel: '',
  sla: '',
  openedFrom: '',
  openedTo: '',
  dueFrom: '',
  dueTo: '',
  topic: '',
  item: '',
};

/** GET /painel as a browser does: a redirect (blank fields dropped from the URL) is followed. */
async function page(query: Record<string, string>, as = cookie) {
  const res = await t.app.request(`/painel?${new URLSearchParams(query)}`, { headers: { cookie: as } });
  const to = res.status === 303 ? res.headers.get('location') : null;
  return to ? t.app.request(to, { headers: { cookie: as } }) : res;
}
const api = <T = { items: { protocol: string }[]; nextCursor: string | null }>(query: string, who = me) =>
  json<T>(t.app.request(`/api/v1/manifestations?${query}`, { headers: who.headers }));
const protocolsOf = (body: { items: { protocol: string }[] }) => body.items.map((i) => i.protocol);

async function file(over: Record<string, unknown> = {}) {
  const res = await json<{ protocol: string; accessCode: string }>(
    t.app.request('/api/v1/manifestations', {
      method: 'POST',
      headers: me.headers,
      body: JSON.stringify(newManifestation(over)),
    }),
  );
  expect(res.status).toBe(201);
  return res.body;
}

async function act(protocol: string, action: string, body: Record<string, unknown>, who = me) {
  const res = await t.app.request(`/api/v1/manifestations/${protocol}/actions/${action}`, {
    method: 'POST',
    headers: who.headers,
    body: JSON.stringify(body),
  });
  expect(res.status, `${action} on ${protocol}`).toBe(200);
}

let semaforo: string;
let placa: string;
let preserved: string;
let anonymous: string;
let mine: string;
let filedAt: number;

beforeAll(async () => {
  t = await startTestOuvidor();
  me = await t.createStaff('attendant', { name: 'Ana Atendente' });
  colleague = await t.createStaff('attendant', { name: 'Beatriz Fontes' });
  unitUser = await t.createStaff('unit', { unitCode: 'SEC-OBRAS' });
  const res = await t.app.request('/entrar', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
    body: new URLSearchParams({ email: me.email, password: me.password }).toString(),
  });
  cookie = cookiesOf(res);
  filedAt = Date.now();
  semaforo = (
    await file({
      subject: 'Semáforo apagado na BR-116',
      description: 'O semáforo do km 20 da BR-116 está apagado desde ontem.',
      channel: 'phone',
    })
  ).protocol;
  placa = (
    await file({
      kind: 'report',
      subject: 'Ônibus ABC1234 sem parar no ponto',
      description: 'O ônibus de placa ABC-1234 passa direto pelo ponto da escola.',
    })
  ).protocol;
  preserved = (
    await file({
      subject: 'Buraco na calçada',
      description: 'Há um buraco grande na calçada da Rua Sete.',
      identity: 'preserved',
      citizen: { name: 'Joaquina Esperança', email: 'joaquina@example.org' },
    })
  ).protocol;
  anonymous = (
    await file({
      kind: 'report',
      subject: 'Obra sem placa',
      description: 'Há uma obra sem placa de identificação na praça.',
      identity: 'anonymous',
      citizen: undefined,
    })
  ).protocol;
  mine = (await file({ subject: 'Merenda escolar', description: 'A merenda da escola chegou estragada.' }))
    .protocol;
  await act(mine, 'assign', { assignee: me.email });
  await act(semaforo, 'assign', { assignee: colleague.email });
  await act(semaforo, 'priority', { priority: 'urgent' });
  await act(preserved, 'assign', { assignee: me.email });
  await act(preserved, 'forward', { units: ['SEC-OBRAS'], instructions: 'Verificar o buraco' });
});
afterAll(async () => t?.stop());

describe('the /painel form, as a browser without JavaScript sends it', () => {
  it('treats blank fields as "no filter" and still applies the ones that are set', async () => {
    const all = await (await page(blankForm)).text();
    for (const p of [semaforo, placa, preserved, anonymous, mine]) expect(all).toContain(p);

    const res = await page({ ...blankForm, q: 'merenda' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(mine);
    expect(html).not.toContain(semaforo);
    expect(html).toContain('value="merenda"');

    const reports = await (await page({ ...blankForm, kind: 'report' })).text();
    expect(reports).toContain(placa);
    expect(reports).not.toContain(mine);
    expect(reports).toMatch(/<option value="report" selected>/);
  });

  it('sends a form with blank fields to a URL that carries only the filters set (bookmarkable)', async () => {
    const res = await t.app.request(
      `/painel?${new URLSearchParams({ ...blankForm, q: 'merenda', kind: 'complaint' })}`,
      { headers: { cookie } },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/painel?q=merenda&kind=complaint&sort=received');
    // htmx (the form submitted by typing or choosing) gets the clean URL to push instead
    const partial = await t.app.request(
      `/painel?${new URLSearchParams({ ...blankForm, status: 'forwarded' })}`,
      {
        headers: { cookie, 'hx-request': 'true', 'hx-request-type': 'partial' },
      },
    );
    expect(partial.status).toBe(200);
    expect(partial.headers.get('hx-push-url')).toBe('/painel?status=forwarded&sort=received');
    expect(await partial.text()).toContain(preserved);
    // a clean URL is answered as it is
    const clean = await t.app.request('/painel?status=forwarded', { headers: { cookie } });
    expect(clean.status).toBe(200);
    expect(clean.headers.get('hx-push-url')).toBeNull();
  });

  it('re-renders an invalid value with the error on the field, keeps what was typed, and lists nothing', async () => {
    const res = await page({ ...blankForm, q: 'merenda', status: 'bogus', openedFrom: '2026-13-45' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Corrija os filtros destacados');
    expect(html).toContain('Situação inválida');
    expect(html).toContain('Aberta de: data inexistente');
    expect(html).toMatch(/<select id="status" name="status" aria-invalid="true"/);
    expect(html).toContain('value="merenda"');
    expect(html).not.toContain(mine);

    const backwards = await page({ ...blankForm, dueFrom: '2026-12-10', dueTo: '2026-12-01' });
    expect(backwards.status).toBe(422);
    expect(await backwards.text()).toContain('A data final é anterior à inicial');
  });

  it('the API answers 422 with field errors for the same mistakes, and blanks are no filter', async () => {
    const bad = await json<{ error: { fields: Record<string, string[]> } }>(
      t.app.request('/api/v1/manifestations?status=bogus&sort=sideways', { headers: me.headers }),
    );
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['sort', 'status']);
    const blank = await api('status=&kind=&q=merenda&assignee=');
    expect(protocolsOf(blank.body)).toEqual([mine]);
  });
});

describe('search', () => {
  const search = async (q: string, who = me) =>
    protocolsOf((await api(`q=${encodeURIComponent(q)}`, who)).body);

  it('matches word prefixes without accents ("semaf" finds "Semáforo")', async () => {
    expect(await search('semaf')).toEqual([semaforo]);
    expect(await search('SEMAFORO apagado')).toEqual([semaforo]);
    expect(await search('onibus')).toEqual([placa]);
  });

  it('finds numbers inside codes ("116", "BR 116", "1234")', async () => {
    expect(await search('116')).toEqual([semaforo]);
    expect(await search('BR 116')).toEqual([semaforo]);
    expect(await search('br-116')).toEqual([semaforo]);
    expect(await search('1234')).toEqual([placa]);
    expect(await search('abc1234')).toEqual([placa]);
  });

  it('finds a protocol by any fragment', async () => {
    expect(await search(placa)).toEqual([placa]);
    expect(await search(placa.slice(-5))).toContain(placa);
  });

  it('finds the assignee by name', async () => {
    expect(await search('beatriz')).toEqual([semaforo]);
  });

  it('finds an identified reporter by name or e-mail for the office; a preserved one for nobody, and units never', async () => {
    // identified cases (the default reporter Maria Souza)
    expect(await search('maria souza')).toEqual(expect.arrayContaining([semaforo, placa, mine]));
    expect(await search('maria@example.org')).toEqual(expect.arrayContaining([semaforo, placa, mine]));
    // a preserved identity is read only through a logged reveal (api/disclosure.ts): not findable by it
    expect(await search('joaquina')).toEqual([]);
    expect(await search('esperanca')).toEqual([]);
    expect(await search('joaquina@example.org')).toEqual([]);
    // the unit the case was forwarded to sees the case, but cannot find it by the protected reporter
    expect(await search('buraco', unitUser)).toEqual([preserved]);
    expect(await search('joaquina', unitUser)).toEqual([]);
    expect(await search('example', unitUser)).toEqual([]);
  });
});

describe('filters, sorts and keyset pages', () => {
  it('assignee "eu", "sem responsável" and a colleague', async () => {
    expect(protocolsOf((await api('assignee=me')).body).sort()).toEqual([mine, preserved].sort());
    expect(protocolsOf((await api('assignee=none')).body).sort()).toEqual([anonymous, placa].sort());
    expect(protocolsOf((await api(`assignee=${encodeURIComponent(colleague.email)}`)).body)).toEqual([
      semaforo,
    ]);
  });

  it('the same filter with another value lists that value’s cases, however often it alternates', async () => {
    // one statement per list shape is kept prepared (db/queries/statement-cache.ts): its values never are
    for (let i = 0; i < 3; i++) {
      expect(protocolsOf((await api(`assignee=${encodeURIComponent(colleague.email)}`)).body)).toEqual([
        semaforo,
      ]);
      expect(protocolsOf((await api('assignee=me')).body).sort()).toEqual([mine, preserved].sort());
    }
  });

  it('unit, priority, channel, status and opening dates', async () => {
    expect(protocolsOf((await api('unit=SEC-OBRAS')).body)).toEqual([preserved]);
    expect(protocolsOf((await api('priority=urgent')).body)).toEqual([semaforo]);
    expect(protocolsOf((await api('channel=phone')).body)).toEqual([semaforo]);
    expect(protocolsOf((await api('status=forwarded')).body)).toEqual([preserved]);
    // days on the organisation's calendar (the harness runs on America/Sao_Paulo), not UTC
    const localDay = (at: number) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Sao_Paulo' }).format(at);
    const today = localDay(filedAt); // the day the cases were filed, even if midnight has passed since
    expect((await api(`openedFrom=2000-01-01&openedTo=2000-12-31`)).body.items).toEqual([]);
    const tomorrow = localDay(Date.now() + 86_400_000);
    expect((await api(`openedFrom=${tomorrow}`)).body.items).toEqual([]);
    expect((await api(`openedFrom=${today}&limit=100`)).body.items.length).toBeGreaterThanOrEqual(5);
  });

  it('sorts by priority then due date, and every sort pages by cursor without gaps or repeats', async () => {
    const byPriority = protocolsOf((await api('sort=priority&limit=100')).body);
    expect(byPriority[0]).toBe(semaforo);
    for (const sort of ['received', 'due', 'priority']) {
      const whole = protocolsOf((await api(`sort=${sort}&limit=100`)).body);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `sort=${sort}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const r = await api(query);
        expect(r.status).toBe(200);
        paged.push(...protocolsOf(r.body));
        cursor = r.body.nextCursor;
      } while (cursor);
      expect(paged, sort).toEqual(whole);
    }
    const forged = await api('sort=due&cursor=bm90LWEtY3Vyc29y');
    expect(forged.status).toBe(422);
  });
});

describe('queues', () => {
  type Queues = { queues: { name: string; count: number }[] };
  const counts = async (who = me) => {
    const r = await json<Queues>(t.app.request('/api/v1/queues', { headers: who.headers }));
    expect(r.status).toBe(200);
    return Object.fromEntries(r.body.queues.map((q) => [q.name, q.count]));
  };
  const queue = async (name: string, who = me) =>
    protocolsOf((await api(`queue=${name}&limit=100`, who)).body).sort();

  /** Milliseconds until the end of today on the organisation's calendar (the harness's America/Sao_Paulo). */
  const msToOrgMidnight = () => {
    const now = Temporal.Now.zonedDateTimeISO('America/Sao_Paulo');
    return (
      now.toPlainDate().add({ days: 1 }).toZonedDateTime('America/Sao_Paulo').epochMilliseconds -
      now.epochMilliseconds
    );
  };

  it('deadline queues follow the due dates we set, only over cases still pending', {
    timeout: 240_000,
  }, async () => {
    const hour = 3_600_000;
    const setDue = (protocol: string, at: Date) =>
      t.db.update(manifestations).set({ dueAt: at }).where(eq(manifestations.protocol, protocol));
    await setDue(placa, new Date(Date.now() - 2 * 24 * hour)); // overdue, nobody took it
    await setDue(mine, new Date(Date.now() - hour)); // overdue, mine
    // due in a minute: today and soon. Today is the organisation's day (America/Sao_Paulo): within two
    // minutes of its midnight, wait for the new day so "in a minute" is still today while we ask.
    const left = msToOrgMidnight();
    if (left < 120_000) await new Promise((r) => setTimeout(r, left + 1_000));
    await setDue(anonymous, new Date(Date.now() + 60_000));
    expect(await queue('overdue')).toEqual([mine, placa].sort());
    expect(await queue('overdue_unassigned')).toEqual([placa]);
    expect(await queue('due_today')).toEqual([anonymous]);
    expect(await queue('due_soon')).toContain(anonymous);
    expect(await queue('mine')).toEqual([mine, preserved].sort());
    expect(await queue('unassigned')).toEqual([anonymous, placa].sort());
    expect(await queue('awaiting_unit')).toEqual([preserved]);
    const c = await counts();
    expect(c).toMatchObject({ overdue: 2, overdue_unassigned: 1, due_today: 1, mine: 2, unassigned: 2 });
    expect(c.awaiting_unit).toBe(1);

    // the sidebar shows the same numbers, and an overdue row of a pending case is flagged
    const html = await (await page({ queue: 'overdue' })).text();
    expect(html).toMatch(
      /data-queue="overdue"[^>]*aria-current="page">\s*<span>Vencidas<\/span> <span class="count alert">2<\/span>/,
    );
    expect(html).toContain('Vencidas não assumidas');
  });

  it('"com novidade": a citizen reply marks the case for its assignee until they open it', async () => {
    const filed = await file({
      subject: 'Poda de árvore',
      description: 'A árvore da praça precisa de poda.',
    });
    await act(filed.protocol, 'assign', { assignee: me.email });
    expect(await queue('new_activity')).not.toContain(filed.protocol);
    const reply = await t.app.request(`/api/v1/manifestations/${filed.protocol}/citizen/reply`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-access-code': filed.accessCode },
      body: JSON.stringify({ text: 'Complemento: é a árvore perto do coreto.' }),
    });
    expect(reply.status).toBe(200);
    expect(await queue('new_activity')).toContain(filed.protocol);
    // the count is the number of listed cases, for every queue of both people
    await countsMatchLists(me);
    await countsMatchLists(colleague);
    const row = (
      await api<{ items: { protocol: string; hasNews: boolean }[] }>('queue=mine&limit=100')
    ).body.items.find((i) => i.protocol === filed.protocol);
    expect(row?.hasNews).toBe(true);
    const list = await (await page({ queue: 'mine' })).text();
    expect(list).toMatch(new RegExp(`data-protocol="${filed.protocol}">[\\s\\S]*?<span class="news"`));
    // a colleague who never opened it sees no news
    expect(await queue('new_activity', colleague)).not.toContain(filed.protocol);

    // opening the case page clears the marker
    expect((await t.app.request(`/painel/casos/${filed.protocol}`, { headers: { cookie } })).status).toBe(
      200,
    );
    expect(await queue('new_activity')).not.toContain(filed.protocol);
    await countsMatchLists(me);

    // handed to the colleague: it leaves my queues and enters theirs, with news for them (I caused it)
    const before = { me: await counts(), colleague: await counts(colleague) };
    await act(filed.protocol, 'assign', { assignee: colleague.email });
    expect(await queue('mine')).not.toContain(filed.protocol);
    expect(await queue('mine', colleague)).toContain(filed.protocol);
    expect(await queue('new_activity', colleague)).toContain(filed.protocol);
    expect(await queue('new_activity')).not.toContain(filed.protocol);
    const after = { me: await counts(), colleague: await counts(colleague) };
    expect(after.me.mine).toBe((before.me.mine ?? 0) - 1);
    expect(after.colleague.mine).toBe((before.colleague.mine ?? 0) + 1);
    expect(after.colleague.new_activity).toBe((before.colleague.new_activity ?? 0) + 1);
    await countsMatchLists(me);
    await countsMatchLists(colleague);

    // I opened it before, so I still follow it: the colleague's note is news for me
    await act(filed.protocol, 'note', { text: 'Liguei para o cidadão.' }, colleague);
    expect(await queue('new_activity')).toContain(filed.protocol);
    expect(await queue('new_activity', colleague)).not.toContain(filed.protocol);
    await countsMatchLists(me);
    await countsMatchLists(colleague);
  });

  /** Every queue's count equals the number of cases its list holds (lists of up to 100: small test data). */
  async function countsMatchLists(who: Staff) {
    const c = await counts(who);
    for (const [name, n] of Object.entries(c)) {
      if (name.startsWith('group:')) continue;
      expect((await queue(name, who)).length, `${name} of ${who.email}`).toBe(n);
    }
  }
});

describe('exports of the filtered list', () => {
  it('CSV: UTF-8 with BOM, ";" separated, pt-BR headers, only the filtered rows, formulas kept as text', async () => {
    const formula = await file({
      subject: '=HYPERLINK("http://x")',
      description: 'Texto que parece fórmula.',
    });
    const res = await t.app.request('/api/v1/manifestations/export.csv?assignee=none&sort=due', {
      headers: { cookie },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="manifestacoes-.*\.csv"/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const lines = text.trim().split('\n');
    expect(lines[0]).toMatch(/^Protocolo;Recebida em;Tipo;Situação;Prioridade;Assunto;Responsável;/);
    // every column has its own name in a spreadsheet (the due date and the deadline state were both "Prazo")
    const headers = (lines[0] ?? '').trim().split(';');
    expect(new Set(headers).size).toBe(headers.length);
    expect(headers).toContain('Situação do prazo');
    const body = lines.slice(1).join('\n');
    expect(body).toContain(placa);
    expect(body).toContain('Ônibus ABC1234 sem parar no ponto');
    expect(body).not.toContain(mine); // assigned: filtered out
    expect(body).toContain(`${formula.protocol};`);
    expect(body).toContain(`"'=HYPERLINK(""http://x"")"`);
  });

  it('XLSX: a real workbook with the same rows', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const res = await t.app.request('/api/v1/manifestations/export.xlsx?q=semaf', { headers: me.headers });
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    const sheet = book.worksheets[0];
    expect(sheet?.getRow(1).getCell(1).value).toBe('Protocolo');
    expect(sheet?.getRow(2).getCell(1).value).toBe(semaforo);
    expect(sheet?.getRow(2).getCell(6).value).toBe('Semáforo apagado na BR-116');
    expect(sheet?.getRow(2).getCell(2).value).toBeInstanceOf(Date);
    expect(sheet?.rowCount).toBe(2);
  });

  it('refuses a bad filter with 422 and nobody without a session', async () => {
    expect(
      (await t.app.request('/api/v1/manifestations/export.csv?status=bogus', { headers: me.headers })).status,
    ).toBe(422);
    expect((await t.app.request('/api/v1/manifestations/export.csv')).status).toBe(401);
  });
});

// Last in the file: these cases would change the exact lists the filters above expect.
describe('search by a whole e-mail or CPF (exact matches)', () => {
  const search = async (q: string, who = me) =>
    protocolsOf((await api(`q=${encodeURIComponent(q)}`, who)).body).sort();

  it('finds the reporter’s cases by address or document, never a protected reporter’s, and never for a unit', async () => {
    const identified = (
      await file({
        subject: 'Poste caído',
        description: 'O poste da esquina caiu.',
        citizen: { name: 'Rita Cardoso', email: 'Rita.Cardoso@example.org', cpf: '168.995.350-09' },
      })
    ).protocol;
    const namesake = (
      await file({
        subject: 'Calçada quebrada',
        description: 'A calçada da praça está quebrada.',
        citizen: { name: 'Rita Cardoso', email: 'rita.cardoso@example.org.br' },
      })
    ).protocol;
    const hidden = (
      await file({
        subject: 'Fiscalização',
        description: 'Peço sigilo sobre o caso.',
        identity: 'preserved',
        citizen: { name: 'Otávio Reis', email: 'otavio.reis@example.org', cpf: '529.982.247-25' },
      })
    ).protocol;
    await act(identified, 'assign', { assignee: me.email });
    await act(hidden, 'assign', { assignee: me.email });
    await act(identified, 'forward', { units: ['SEC-OBRAS'], instructions: 'Verificar o poste' });
    await act(hidden, 'forward', { units: ['SEC-OBRAS'], instructions: 'Verificar' });
    // the address as typed (any case) and the document masked or not
    expect(await search('rita.cardoso@example.org')).toEqual([identified]);
    expect(await search('RITA.CARDOSO@EXAMPLE.ORG')).toEqual([identified]);
    expect(await search('168.995.350-09')).toEqual([identified]);
    expect(await search('16899535009')).toEqual([identified]);
    // an exact match, not the words of the address: the namesake at another address is not found by it
    expect(await search('rita cardoso')).toEqual([identified, namesake].sort());
    expect(await search('rita.cardoso@example.org.br')).toEqual([namesake]);
    // an address that is nobody's is searched as words, like any text
    expect(await search('cardoso@example.org')).toEqual([identified, namesake].sort());
    // a preserved identity is read only through a logged reveal: neither its address nor its document finds it
    expect(await search('otavio.reis@example.org')).toEqual([]);
    expect(await search('529.982.247-25')).toEqual([]);
    // the unit holds both cases but never sees a reporter's address or document
    expect(await search('poste', unitUser)).toEqual([identified]);
    expect(await search('rita.cardoso@example.org', unitUser)).toEqual([]);
    expect(await search('168.995.350-09', unitUser)).toEqual([]);
    expect(await search('otavio.reis@example.org', unitUser)).toEqual([]);
    // an address in the case's own text (the assignee's) finds it for anyone who sees the case
    const theirs = protocolsOf((await api(`assignee=${encodeURIComponent(colleague.email)}`)).body).sort();
    expect(theirs).toContain(semaforo);
    expect(await search(colleague.email)).toEqual(theirs);
  });

  it('the index plan looks up only the rarer words and still tests every word (the same cases)', async () => {
    // "maria" as common as every reporter, "souza" rare: the plan a 1M-case table gets for "Cidadão 424242"
    const stats = { lexemes: new Map([['mari', 0.9]]), min: 0.01 };
    const plain = { lexemes: new Map<string, number>(), min: 0 };
    const cases = async (words: string[], f: typeof plain) =>
      (
        await t.db
          .select({ protocol: manifestations.protocol })
          .from(manifestations)
          .where(indexedMatch(manifestations.reporterVector, words, f))
      )
        .map((r) => r.protocol)
        .sort();
    for (const words of [
      ['maria', 'souza'],
      ['maria', 'sou'],
      ['maria', 'lima'],
      ['joaquina'],
      ['sou', 'mar'],
    ]) {
      expect(await cases(words, stats), words.join(' ')).toEqual(await cases(words, plain));
    }
    expect(await cases(['maria', 'souza'], stats)).toEqual(expect.arrayContaining([semaforo, placa, mine]));
  });
});
