// The projection's statement text is rendered once per shape and reused with each case's values
// (db/queries/statement-cache.ts executeCached, issue 14): every case still gets its own row, events and
// report row, whatever shape came before it.
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectView } from '../../activities/projection.ts';
import { manifestations, reportCases, timelineEvents } from '../../db/schema.ts';
import { appendEvent, initialView, registerView } from '../../workflows/case-state.ts';
import type { CaseView } from '../../workflows/messages.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { countRenders } from '../support/renders.ts';

let db: TestDatabase;
let renders: () => number;
beforeAll(async () => {
  db = await createTestDatabase();
  renders = countRenders(db.db);
});
afterAll(async () => db?.drop());

function registered(n: number, subject: string): CaseView {
  const v = initialView({
    protocol: `OUV-2026-9${String(n).padStart(5, '0')}`,
    kind: n % 2 ? 'complaint' : 'request',
    subject,
    description: `Relato ${n}`,
    identity: n % 2 ? 'anonymous' : 'identified',
    channel: 'web',
    citizen: n % 2 ? null : { name: `Pessoa ${n}`, email: `p${n}@example.org` },
    receivedAt: new Date(Date.UTC(2026, 10, n + 1, 12)).toISOString(),
    registeredBy: 'citizen',
  });
  registerView(v, { registeredBy: 'citizen' }, null, Date.parse(v.receivedAt));
  v.revision = 1;
  return v;
}

const row = async (protocol: string) =>
  (await db.db.select().from(manifestations).where(eq(manifestations.protocol, protocol)))[0];
const events = async (protocol: string) =>
  (
    await db.db
      .select()
      .from(timelineEvents)
      .where(eq(timelineEvents.protocol, protocol))
      .orderBy(asc(timelineEvents.seq))
  ).map((e) => [e.seq, e.type, e.data]);

describe('projection statement reused across cases', () => {
  it('each case keeps its own values, in every shape', async () => {
    const views = [1, 2, 3, 4].map((n) => registered(n, `Assunto ${n}`));
    for (const v of views) await projectView(db.db, v);
    const afterFirstShape = renders();
    // the same shape three more times: rendered once (the later ones reuse its text)
    expect(afterFirstShape).toBeLessThanOrEqual(2);
    for (const [i, v] of views.entries()) {
      expect((await row(v.protocol))?.subject).toBe(`Assunto ${i + 1}`);
      expect((await row(v.protocol))?.citizen).toEqual(v.citizen);
      expect(await events(v.protocol)).toEqual([[1, 'received', { channel: 'web', linkedTo: null }]]);
    }
    // another shape (two new events, a new status) for one case, then the first shape again for another
    const second = views[1]!;
    appendEvent(second, 'assigned', 'ana@org', { assignee: 'ana@org' });
    appendEvent(second, 'note_added', 'ana@org', { text: 'Nota' }, 'internal');
    second.status = 'in_progress';
    second.revision = 3;
    await projectView(db.db, second);
    const fifth = registered(5, 'Assunto 5');
    await projectView(db.db, fifth);
    expect((await row(second.protocol))?.status).toBe('in_progress');
    expect((await row(second.protocol))?.revision).toBe(3);
    expect((await events(second.protocol)).map(([seq, type]) => [seq, type])).toEqual([
      [1, 'received'],
      [2, 'assigned'],
      [3, 'note_added'],
    ]);
    expect((await row(fifth.protocol))?.subject).toBe('Assunto 5');
    expect((await row(views[0]!.protocol))?.status).toBe('received');
    const reports = await db.db.select().from(reportCases).where(eq(reportCases.protocol, second.protocol));
    expect(reports.map((r) => [r.status, r.revision])).toEqual([['in_progress', 3]]);
    // an older snapshot never overwrites a newer one, through the cached text too
    second.status = 'received';
    second.revision = 2;
    await projectView(db.db, second);
    expect((await row(second.protocol))?.status).toBe('in_progress');
  });

  it('sends only the events past those it stored, and the stored timeline stays whole', async () => {
    const v = registered(6, 'Assunto 6');
    await projectView(db.db, v);
    let maxReads = 0;
    const select = db.db.select.bind(db.db);
    (db.db as { select: unknown }).select = ((...a: Parameters<typeof select>) => {
      maxReads += 1;
      return select(...a);
    }) as typeof select;
    try {
      for (const [i, type] of (['assigned', 'note_added', 'answered'] as const).entries()) {
        appendEvent(v, type, 'ana@org', { text: `passo ${i}` });
        v.revision += 1;
        await projectView(db.db, v);
      }
    } finally {
      (db.db as { select: unknown }).select = select;
    }
    expect(maxReads).toBe(0); // the last stored seq came from this process's own projections
    expect((await events(v.protocol)).map(([seq, type]) => [seq, type])).toEqual([
      [1, 'received'],
      [2, 'assigned'],
      [3, 'note_added'],
      [4, 'answered'],
    ]);
    // events another process stored meanwhile are sent again and conflict harmlessly
    await db.db.insert(timelineEvents).values({
      protocol: v.protocol,
      seq: 5,
      at: new Date(),
      type: 'note_added',
      actor: 'bia@org',
      visibility: 'internal',
      data: { text: 'de outro processo' },
    });
    appendEvent(v, 'note_added', 'bia@org', { text: 'de outro processo' }, 'internal');
    appendEvent(v, 'closed', 'ana@org', {});
    v.revision += 1;
    await projectView(db.db, v);
    expect((await events(v.protocol)).map(([seq]) => seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
