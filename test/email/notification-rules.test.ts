// Notification rules are configuration: admins read and switch, per event type, which recipients get an
// e-mail (citizen, assignee, group, unit, ombudsman); others get 403; bodies are validated (422); every
// change is audited; and the notify activity obeys the rules on the next event.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifyActivities } from '../../activities/notify.ts';
import { listOutboundForCase } from '../../db/queries/email.ts';
import { auditLog } from '../../db/schema.ts';
import { initialView } from '../../workflows/case-state.ts';
import type { CaseView, TimelineEvent } from '../../workflows/messages.ts';
import { json } from '../support/harness.ts';
import { type EmailOuvidor, startEmailOuvidor } from './support.ts';

let t: EmailOuvidor;
let admin: Awaited<ReturnType<EmailOuvidor['createStaff']>>;

beforeAll(async () => {
  t = await startEmailOuvidor();
  admin = await t.createStaff('admin');
});
afterAll(async () => t?.stop());

type Rules = { eventType: string; recipients: Record<string, boolean> };
const url = '/api/v1/admin/notification-rules';
const put = (eventType: string, body: unknown, headers: Record<string, string> = admin.headers) =>
  json<Rules & { error?: { code: string; fields?: Record<string, string[]> } }>(
    t.app.request(`${url}/${eventType}`, { method: 'PUT', headers, body: JSON.stringify(body) }),
  );

let seq = 700_000 + Math.floor(Math.random() * 99_000);
function caseView(): CaseView {
  const view = initialView({
    protocol: `OUV-2026-${++seq}`,
    kind: 'complaint',
    subject: 'Buraco na rua',
    description: 'Há um buraco na rua.',
    identity: 'identified',
    channel: 'web',
    citizen: { name: 'Rosa Lima', email: `rosa-${randomBytes(3).toString('hex')}@example.org` },
    receivedAt: new Date().toISOString(),
    registeredBy: 'citizen',
  });
  return {
    ...view,
    status: 'answered',
    answer: 'Buraco tapado.',
    answeredAt: new Date().toISOString(),
    revision: 3,
  };
}
const answered = (n: number): TimelineEvent => ({
  seq: n,
  at: new Date().toISOString(),
  type: 'answered',
  actor: 'attendant@staff.example',
  visibility: 'public',
  data: { text: 'Buraco tapado.' },
});

describe('/api/v1/admin/notification-rules', () => {
  it('lists every event type with its five recipients, for admins only', async () => {
    const res = await json<{ recipients: string[]; items: Rules[] }>(
      t.app.request(url, { headers: admin.headers }),
    );
    expect(res.status).toBe(200);
    expect(res.body.recipients).toEqual(['citizen', 'assignee', 'group', 'unit', 'ombudsman']);
    expect(res.body.items.find((i) => i.eventType === 'received')?.recipients).toEqual({
      citizen: true,
      assignee: false,
      group: true,
      unit: false,
      ombudsman: false,
    });
    expect(res.body.items.find((i) => i.eventType === 'note_added')?.recipients.citizen).toBe(false);
    expect((await t.app.request(url)).status).toBe(401);
    for (const role of ['ombudsman', 'attendant'] as const) {
      const other = await t.createStaff(role);
      expect((await t.app.request(url, { headers: other.headers })).status).toBe(403);
      expect((await put('answered', { recipients: { citizen: false } }, other.headers)).status).toBe(403);
    }
  });

  it('validates the event type and the body (422)', async () => {
    const unknownEvent = await put('party', { recipients: { citizen: true } });
    expect(unknownEvent.status).toBe(422);
    expect(unknownEvent.body.error?.fields?.eventType).toBeDefined();
    for (const body of [
      {},
      { recipients: {} },
      { recipients: { citizen: 'yes' } },
      { recipients: { mayor: true } },
      { recipients: { citizen: true }, extra: 1 },
    ]) {
      const res = await put('answered', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error?.code).toBe('invalid_body');
    }
    const notJson = await t.app.request(`${url}/answered`, {
      method: 'PUT',
      headers: admin.headers,
      body: '{',
    });
    expect(notJson.status).toBe(400);
  });

  it('switching the answer e-mail off for the citizen stops it, audited; switching it on sends it again', async () => {
    const off = await put('answered', { recipients: { citizen: false, ombudsman: true } });
    expect(off.status).toBe(200);
    expect(off.body).toEqual({
      eventType: 'answered',
      recipients: { citizen: false, assignee: false, group: false, unit: false, ombudsman: true },
    });
    const [entry] = await t.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'notification_rule.updated'));
    expect(entry).toMatchObject({ actor: admin.email });
    expect(entry?.data).toMatchObject({
      eventType: 'answered',
      before: { citizen: true, ombudsman: false },
      after: { citizen: false, ombudsman: true },
    });

    const notify = createNotifyActivities({ db: t.db, mail: t.mail });
    const view = caseView();
    await notify.notifyCaseEvent({ view, event: answered(5) });
    let rows = await listOutboundForCase(t.db, view.protocol);
    expect(rows.some((r) => r.recipientRole === 'citizen')).toBe(false);
    expect(rows.some((r) => r.recipientRole === 'ombudsman' && r.template === 'staff_update')).toBe(true);

    expect((await put('answered', { recipients: { citizen: true } })).body.recipients).toMatchObject({
      citizen: true,
      ombudsman: true, // omitted recipients keep their setting
    });
    await notify.notifyCaseEvent({ view, event: answered(6) });
    rows = await listOutboundForCase(t.db, view.protocol);
    expect(rows.filter((r) => r.recipientRole === 'citizen').map((r) => [r.eventSeq, r.template])).toEqual([
      [6, 'answer'],
    ]);
  });
});
