// The notification rules are the single source of truth for who is mailed (issue 13 item 18): for every
// timeline event × recipient, a rule that is on sends exactly that mail and a rule that is off sends
// none. A citizen rule cannot exist for a staff-only event (422), and the citizen is told of the
// internal `forwarded`/`assigned` steps only as a change of status, without their internal content.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifyActivities } from '../../activities/notify.ts';
import { listOutboundForCase, setNotificationRule } from '../../db/queries/email.ts';
import { upsertUnit } from '../../db/queries/units.ts';
import { type NotificationRecipient, notificationRecipients } from '../../db/schema.ts';
import { initialView } from '../../workflows/case-state.ts';
import type { CaseView, TimelineEvent } from '../../workflows/messages.ts';
import {
  citizenStatusEvents,
  staffOnlyEvents,
  type TimelineEventType,
  timelineEventTypes,
} from '../../workflows/vocabulary.ts';
import { json } from '../support/harness.ts';
import { type EmailOuvidor, startEmailOuvidor } from './support.ts';

let t: EmailOuvidor;
let admin: Awaited<ReturnType<EmailOuvidor['createStaff']>>;
let ombudsman: Awaited<ReturnType<EmailOuvidor['createStaff']>>;
let notify: ReturnType<typeof createNotifyActivities>;
const GROUP = 'equipe@ouvidor.test';
const UNIT_EMAIL = 'materiais@prefeitura.example';
const ASSIGNEE = 'atendente@ouvidor.test';

beforeAll(async () => {
  t = await startEmailOuvidor();
  [admin, ombudsman] = await Promise.all([t.createStaff('admin'), t.createStaff('ombudsman')]);
  await upsertUnit(t.db, { code: 'SEC-MAT', name: 'Secretaria de Materiais', email: UNIT_EMAIL });
  notify = createNotifyActivities({ db: t.db, mail: { ...t.mail, resend: null, staffGroup: GROUP } });
});
afterAll(async () => t?.stop());

let seq = 500_000 + Math.floor(Math.random() * 99_000);
function forwardedCase(): CaseView {
  const view = initialView({
    protocol: `OUV-2026-${++seq}`,
    kind: 'complaint',
    subject: 'Falta de material na escola',
    description: 'Faltam cadernos.',
    identity: 'identified',
    channel: 'web',
    citizen: { name: 'Rosa Lima', email: `rosa-${randomBytes(3).toString('hex')}@example.org` },
    receivedAt: new Date().toISOString(),
    registeredBy: 'citizen',
  });
  return { ...view, status: 'forwarded', assignee: ASSIGNEE, units: ['SEC-MAT'], revision: 4 };
}

const publicEvents = new Set<TimelineEventType>([
  'received',
  'info_requested',
  'citizen_replied',
  'deadline_extended',
  'answered',
  'accepted',
  'rejected',
  'closed',
  'reopened',
  'archived',
  'note_added',
  'attachment_refused',
]);

function eventOf(type: TimelineEventType): TimelineEvent {
  return {
    seq: 7,
    at: new Date().toISOString(),
    type,
    actor: 'chefe@ouvidor.test', // nobody mailed here acted themselves
    visibility: publicEvents.has(type) ? 'public' : 'internal',
    data: {
      ...(type === 'forwarded' ? { units: ['SEC-MAT'] } : {}),
      instructions: 'Verificar o estoque interno (orientação interna).',
      text: 'Texto do evento com mais de dez caracteres.',
    },
  };
}

async function onlyRule(type: TimelineEventType, recipient: NotificationRecipient) {
  for (const r of notificationRecipients)
    await setNotificationRule(t.db, { eventType: type, recipient: r, enabled: r === recipient });
}

const expectedAddress = (r: NotificationRecipient, view: CaseView) =>
  ({
    citizen: view.citizen?.email,
    assignee: ASSIGNEE,
    group: GROUP,
    unit: UNIT_EMAIL,
    ombudsman: ombudsman.email,
  })[r];

describe.each(timelineEventTypes.map((e) => [e]))('event %s', (type) => {
  it.each(notificationRecipients.map((r) => [r]))(
    '→ %s: mailed exactly when the rule says so',
    async (recipient) => {
      const impossible = recipient === 'citizen' && staffOnlyEvents.includes(type);
      if (impossible) {
        const refused = await json(
          t.app.request(`/api/v1/admin/notification-rules/${type}`, {
            method: 'PUT',
            headers: admin.headers,
            body: JSON.stringify({ recipients: { citizen: true } }),
          }),
        );
        expect(refused.status).toBe(422);
      }
      await onlyRule(type, impossible ? 'group' : recipient);
      const view = forwardedCase();
      await notify.notifyCaseEvent({ view, event: eventOf(type) });
      const rows = await listOutboundForCase(t.db, view.protocol);
      if (impossible) {
        expect(rows.filter((r) => r.recipientRole === 'citizen')).toEqual([]);
        return;
      }
      expect(rows.map((r) => [r.recipientRole, r.recipient])).toEqual([
        [recipient, expectedAddress(recipient, view)?.toLowerCase()],
      ]);
      expect(rows[0]?.status).toBe('logged');
      if (recipient === 'citizen') {
        // Never the internal content of an internal event.
        expect(rows[0]?.text).not.toContain('orientação interna');
        if (citizenStatusEvents.includes(type)) expect(rows[0]?.template).toBe('status');
      }
      await onlyRule(type, recipient); // and off: nothing
      await setNotificationRule(t.db, { eventType: type, recipient, enabled: false });
      const quiet = forwardedCase();
      await notify.notifyCaseEvent({ view: quiet, event: eventOf(type) });
      expect(await listOutboundForCase(t.db, quiet.protocol)).toEqual([]);
    },
  );
});
