// The hot writes of a filing and of every automatic mail are sent as statements rendered once
// (db/queries/statement-cache.ts preparedOnce / executeCached, issue 14: drizzle rendered each of them on
// the loaded main thread on every filing): each call still stores its own values, a null stays SQL NULL
// (a timestamp column's encoder would throw on it; a JSON column's would store JSON `null`), and the
// protocol sequence still counts.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countRecentOutboundCaps,
  findOutboundById,
  insertOutbound,
  type NewOutbound,
  updateOutbound,
} from '../../db/queries/email.ts';
import { reserveIntake } from '../../db/queries/intakes.ts';
import { createPerson, findPersonByEmail, linkCase } from '../../db/queries/people.ts';
import { casePeople } from '../../db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { countRenders } from '../support/renders.ts';

let db: TestDatabase;
let renders: () => number;
beforeAll(async () => {
  db = await createTestDatabase();
  renders = countRenders(db.db);
});
afterAll(async () => db?.drop());

const outbound = (n: number, at: Date): NewOutbound => ({
  id: `out-${n}`,
  idempotencyKey: `key-${n}`,
  protocol: `OUV-2026-00000${n % 2}`,
  eventSeq: n,
  eventType: 'registered',
  template: 'registered',
  recipient: `pessoa${n}@example.org`,
  recipientRole: 'citizen',
  fromAddress: 'ouvidoria@example.org',
  replyTo: 'ouvidoria@example.org',
  messageId: `<m${n}@example.org>`,
  subject: `Assunto ${n}`,
  html: `<p>${n}</p>`,
  text: `${n}`,
  headers: { 'x-n': String(n) },
  status: 'sending',
  createdAt: at,
});

describe('writes rendered once', () => {
  it('outbound rows keep their own values; nulls are SQL NULL; one text per shape', async () => {
    const at = new Date('2026-11-30T12:00:00Z');
    await insertOutbound(db.db, outbound(1, at));
    const afterFirst = renders();
    for (const n of [2, 3, 4]) await insertOutbound(db.db, outbound(n, new Date(at.getTime() + n * 1000)));
    expect(renders()).toBe(afterFirst);
    // the same key again: nothing inserted, nothing thrown
    expect(await insertOutbound(db.db, { ...outbound(2, at), id: 'other' })).toBeUndefined();

    const sent = new Date('2026-11-30T12:05:00Z');
    await updateOutbound(db.db, 'out-1', { status: 'sent', sentAt: sent, inFlightAt: null, error: null });
    await updateOutbound(db.db, 'out-3', { status: 'failed', error: 'recusada', transportResult: null });
    await updateOutbound(db.db, 'out-4', { status: 'sent', sentAt: sent, inFlightAt: null, error: null });
    const [one, two, three, four] = await Promise.all(
      ['out-1', 'out-2', 'out-3', 'out-4'].map((id) => findOutboundById(db.db, id)),
    );
    expect(one).toMatchObject({ status: 'sent', sentAt: sent, inFlightAt: null, error: null, eventSeq: 1 });
    expect(two).toMatchObject({
      status: 'sending',
      sentAt: null,
      subject: 'Assunto 2',
      headers: { 'x-n': '2' },
    });
    expect(three).toMatchObject({ status: 'failed', error: 'recusada', sentAt: null });
    expect(four).toMatchObject({ status: 'sent', sentAt: sent, recipient: 'pessoa4@example.org' });
    const [nulls] = await db.db.execute<{ n: number }>(
      sql`select count(*)::int as n from outbound_emails where transport_result is null`,
    );
    expect(Number(nulls?.n)).toBe(4); // not JSON null

    // the caps count each message once, by case, recipient and domain, within the windows
    const caps = await countRecentOutboundCaps(db.db, {
      protocol: 'OUV-2026-000000',
      recipient: 'pessoa2@example.org',
      caseSince: new Date(at.getTime() - 60_000),
      loopSince: new Date(at.getTime() - 60_000),
      until: new Date(at.getTime() + 60_000),
      excludeId: 'none',
    });
    expect(caps).toEqual({ onCase: 1, toRecipient: 1, toDomain: 3 }); // out-3 failed: not counted
    const later = await countRecentOutboundCaps(db.db, {
      protocol: 'OUV-2026-000000',
      recipient: 'pessoa2@example.org',
      caseSince: new Date(at.getTime() + 60_000),
      loopSince: new Date(at.getTime() + 60_000),
      until: new Date(at.getTime() + 120_000),
      excludeId: 'none',
    });
    expect(later).toEqual({ onCase: 0, toRecipient: 0, toDomain: 0 });
  });

  it('protocols follow the sequence, rendered once', async () => {
    const first = await reserveIntake(db.db, { year: 2031, idempotencyKey: null, fingerprint: null });
    const before = renders();
    const next = await reserveIntake(db.db, { year: 2031, idempotencyKey: 'k', fingerprint: 'f' });
    const other = await reserveIntake(db.db, { year: 2032, idempotencyKey: null, fingerprint: null });
    expect([first, next, other]).toEqual(['OUV-2031-000001', 'OUV-2031-000002', 'OUV-2032-000001']);
    expect(renders()).toBe(before);
  });

  it('people created, found by e-mail and linked keep their own values', async () => {
    const ana = await createPerson(db.db, { name: 'Ana', email: 'Ana@Example.org' });
    const bia = await createPerson(db.db, { name: 'Bia', email: null, phone: '+55 61 99999-0000' });
    expect(bia).toMatchObject({ name: 'Bia', email: null, phone: '+55 61 99999-0000', cpf: null });
    expect((await findPersonByEmail(db.db, 'ANA@example.org'))?.id).toBe(ana.id);
    expect(await findPersonByEmail(db.db, 'nobody@example.org')).toBeUndefined();
    const link = { personId: ana.id, how: 'created' as const, verified: false, linkedBy: 'citizen' };
    await linkCase(db.db, { ...link, protocol: 'OUV-2031-000001' });
    await linkCase(db.db, { ...link, protocol: 'OUV-2031-000002', verified: true });
    await linkCase(db.db, { ...link, protocol: 'OUV-2031-000002', verified: false }); // kept as it was
    const links = await db.db.select().from(casePeople).where(eq(casePeople.personId, ana.id));
    expect(links.map((l) => [l.protocol, l.verified]).sort()).toEqual([
      ['OUV-2031-000001', false],
      ['OUV-2031-000002', true],
    ]);
  });
});
