// The default rules say what a citizen expects (issue 13 item 18): told when the case is forwarded to
// the responsible area (as a change of status, without the internal instructions), not mailed about an
// internal assignment; and no citizen rule for staff-only records.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifyActivities } from '../../activities/notify.ts';
import { listOutboundForCase } from '../../db/queries/email.ts';
import { initialView } from '../../workflows/case-state.ts';
import type { TimelineEvent } from '../../workflows/messages.ts';
import { json } from '../support/harness.ts';
import { type EmailOuvidor, startEmailOuvidor } from './support.ts';

let t: EmailOuvidor;
let admin: Awaited<ReturnType<EmailOuvidor['createStaff']>>;
beforeAll(async () => {
  t = await startEmailOuvidor();
  admin = await t.createStaff('admin');
});
afterAll(async () => t?.stop());

type Item = { eventType: string; recipients: Record<string, boolean>; citizenAllowed: boolean };

describe('default notification rules', () => {
  it('mail the citizen when the case is forwarded, not when it is assigned; no citizen rule for staff-only records', async () => {
    const rules = await json<{ items: Item[] }>(
      t.app.request('/api/v1/admin/notification-rules', { headers: admin.headers }),
    );
    const of = (e: string) => rules.body.items.find((i) => i.eventType === e);
    expect(of('forwarded')?.recipients.citizen).toBe(true);
    expect(of('assigned')?.recipients.citizen).toBe(false);
    expect(of('sla_breached')).toMatchObject({ citizenAllowed: false });
    expect(rules.body.items.filter((i) => !i.citizenAllowed).every((i) => !i.recipients.citizen)).toBe(true);

    const view = {
      ...initialView({
        protocol: `OUV-2026-${600_000 + Math.floor(Math.random() * 99_000)}`,
        kind: 'complaint',
        subject: 'Falta de material',
        description: 'Faltam cadernos.',
        identity: 'identified',
        channel: 'web',
        citizen: { name: 'Rosa', email: `rosa-${randomBytes(3).toString('hex')}@example.org` },
        receivedAt: new Date().toISOString(),
        registeredBy: 'citizen',
      }),
      status: 'forwarded' as const,
      assignee: 'ana@ouvidor.test',
      units: ['SEC-MAT'],
    };
    const notify = createNotifyActivities({ db: t.db, mail: { ...t.mail, resend: null } });
    const event = (seq: number, type: TimelineEvent['type'], data: TimelineEvent['data']): TimelineEvent => ({
      seq,
      at: new Date().toISOString(),
      type,
      actor: 'chefe@ouvidor.test',
      visibility: 'internal',
      data,
    });
    await notify.notifyCaseEvent({ view, event: event(2, 'assigned', { assignee: 'ana@ouvidor.test' }) });
    await notify.notifyCaseEvent({
      view,
      event: event(3, 'forwarded', { units: ['SEC-MAT'], instructions: 'Checar o almoxarifado interno.' }),
    });
    const toCitizen = (await listOutboundForCase(t.db, view.protocol)).filter(
      (r) => r.recipientRole === 'citizen',
    );
    expect(toCitizen.map((r) => [r.eventType, r.template])).toEqual([['forwarded', 'status']]);
    expect(toCitizen[0]?.text).toContain('encaminhada à área responsável');
    expect(toCitizen[0]?.text).not.toContain('almoxarifado');
  });
});
