// Pontos facultativos: the federal closures of a year offered per calendar and applied in one action,
// moving the deadlines that fall on them (Lei 9.784/1999 art. 66 §1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCalendar } from '../../activities/sla/calendar.ts';
import { pontosFacultativos } from '../../activities/sla/pontos-facultativos.ts';
import { json, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';

type Staff = Awaited<ReturnType<TestOuvidor['createStaff']>>;
type Item = { date: string; kind: string; name: string; hours: Array<{ start: string; end: string }> | null };
type Applied = { calendarVersion: number; added: Item[]; kept: Item[]; signalled: number };
type ErrorBody = { error: { code: string; fields: Record<string, string[]> } };

let t: TestOuvidor;
let admin: Staff;
let ombudsman: Staff;
beforeAll(async () => {
  t = await startTestOuvidor();
  [admin, ombudsman] = await Promise.all([t.createStaff('admin'), t.createStaff('ombudsman')]);
});
afterAll(async () => t?.stop());

const call = <T>(method: string, path: string, headers: Record<string, string>, body?: unknown) =>
  json<T>(
    t.app.request(`/api/v1/admin${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );

describe('the federal pontos facultativos of a year', () => {
  it('2026: Carnaval 16–17/02, Ash Wednesday from 14h, Corpus Christi 04/06, 28/10, 24/12 and 31/12', () => {
    expect(pontosFacultativos(2026, defaultCalendar())).toEqual([
      { date: '2026-02-16', kind: 'holiday', name: 'Carnaval (ponto facultativo)' },
      { date: '2026-02-17', kind: 'holiday', name: 'Carnaval (ponto facultativo)' },
      {
        date: '2026-02-18',
        kind: 'workday',
        name: 'Quarta-feira de Cinzas (ponto facultativo até as 14h)',
        hours: [{ start: '14:00', end: '18:00' }],
      },
      { date: '2026-06-04', kind: 'holiday', name: 'Corpus Christi (ponto facultativo)' },
      { date: '2026-10-28', kind: 'holiday', name: 'Dia do Servidor Público (ponto facultativo)' },
      { date: '2026-12-24', kind: 'holiday', name: 'Véspera de Natal (ponto facultativo)' },
      { date: '2026-12-31', kind: 'holiday', name: 'Véspera de Ano Novo (ponto facultativo)' },
    ]);
  });

  it('2027 follows Easter (28/03), and 2028 leaves out the days that fall on a weekend', () => {
    expect(pontosFacultativos(2027, defaultCalendar()).map((p) => p.date)).toEqual([
      '2027-02-08',
      '2027-02-09',
      '2027-02-10',
      '2027-05-27',
      '2027-10-28',
      '2027-12-24',
      '2027-12-31',
    ]);
    const y2028 = pontosFacultativos(2028, defaultCalendar()).map((p) => p.date);
    expect(y2028).not.toContain('2028-10-28'); // Saturday
    expect(y2028).not.toContain('2028-12-24'); // Sunday
    expect(y2028).not.toContain('2028-12-31'); // Sunday
    expect(y2028).toContain('2028-02-28'); // Carnaval Monday
  });
});

describe('POST /api/v1/admin/calendars/{id}/pontos-facultativos', () => {
  const carnavalPreview = () =>
    call<{ dueAt: string }>('POST', '/deadline-preview', admin.headers, {
      start: '2026-01-17T10:00:00-03:00',
    });

  it('applies them in one action: a deadline on Carnaval Monday moves to Ash Wednesday; a second time adds nothing', async () => {
    expect((await carnavalPreview()).body.dueAt).toBe('2026-02-17T02:59:59.999Z'); // end of Mon 16/02
    const offered = await call<{ items: Array<Item & { override: unknown }> }>(
      'GET',
      '/calendars/default/pontos-facultativos?year=2026',
      ombudsman.headers,
    );
    expect(offered.status).toBe(200);
    expect(offered.body.items).toHaveLength(7);
    expect(offered.body.items.every((i) => i.override === null)).toBe(true);
    expect(
      (await call('POST', '/calendars/default/pontos-facultativos', ombudsman.headers, { year: 2026 }))
        .status,
    ).toBe(403);

    const applied = await call<Applied>('POST', '/calendars/default/pontos-facultativos', admin.headers, {
      year: 2026,
    });
    expect(applied.status).toBe(200);
    expect(applied.body.added.map((o) => o.date)).toEqual(offered.body.items.map((i) => i.date));
    expect(applied.body.kept).toEqual([]);
    expect(applied.body.calendarVersion).toBe(2); // one edit, one version
    // Carnaval Mon/Tue closed; Ash Wednesday opens at 14h, so it is a business day: due end of 18/02.
    expect((await carnavalPreview()).body.dueAt).toBe('2026-02-19T02:59:59.999Z');

    const again = await call<Applied>('POST', '/calendars/default/pontos-facultativos', admin.headers, {
      year: 2026,
    });
    expect(again.body).toMatchObject({ added: [], calendarVersion: 2, signalled: 0 });
    expect(again.body.kept).toHaveLength(7);
  });

  it('keeps an override the admin already has on one of the dates, and applies a chosen subset', async () => {
    const own = await call('PUT', '/calendars/default/overrides/2027-10-28', admin.headers, {
      kind: 'workday',
      name: 'Servidor Público transferido para 29/10',
    });
    expect(own.status).toBe(200);
    const applied = await call<Applied>('POST', '/calendars/default/pontos-facultativos', admin.headers, {
      year: 2027,
      dates: ['2027-10-28', '2027-12-24'],
    });
    expect(applied.status).toBe(200);
    expect(applied.body.added.map((o) => o.date)).toEqual(['2027-12-24']);
    expect(applied.body.kept).toEqual([
      expect.objectContaining({
        date: '2027-10-28',
        kind: 'workday',
        name: 'Servidor Público transferido para 29/10',
      }),
    ]);
  });

  it('refuses a bad year, an unknown date or an unknown calendar, and changes nothing', async () => {
    const before = await call<{ version: number }>('GET', '/calendars/default', admin.headers);
    const badYear = await call<ErrorBody>('POST', '/calendars/default/pontos-facultativos', admin.headers, {
      year: 'next',
    });
    expect(badYear.status).toBe(422);
    expect(Object.keys(badYear.body.error.fields)).toEqual(['year']);
    const badDate = await call<ErrorBody>('POST', '/calendars/default/pontos-facultativos', admin.headers, {
      year: 2026,
      dates: ['2026-03-03'],
    });
    expect(badDate.status).toBe(422);
    expect(badDate.body.error.fields.dates?.[0]).toContain('2026-03-03');
    expect(
      (await call('POST', '/calendars/nope/pontos-facultativos', admin.headers, { year: 2026 })).status,
    ).toBe(404);
    expect(
      (await call('GET', '/calendars/default/pontos-facultativos?year=1500', admin.headers)).status,
    ).toBe(422);
    const after = await call<{ version: number }>('GET', '/calendars/default', admin.headers);
    expect(after.body.version).toBe(before.body.version);
  });
});
