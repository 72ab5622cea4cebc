// REST: /api/v1/admin/notification-rules — which timeline events mail whom (DESIGN §4, issue 4). The
// notify activity reads the rules on every event, so a change applies to the next message. Admin only;
// every change is audited with the rule set before and after.
//   GET /notification-rules             → {recipients, items: [{eventType, recipients: {citizen: bool, …}}]}
//   PUT /notification-rules/{eventType} {recipients: {citizen?: bool, assignee?: bool, group?: bool,
//                                        unit?: bool, ombudsman?: bool}}  (omitted recipients unchanged)
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { listNotificationRules, setNotificationRule } from '../../db/queries/email.ts';
import { audit } from '../../db/queries/users.ts';
import { type NotificationRecipient, notificationRecipients } from '../../db/schema.ts';
import { staffOnlyEvents, type TimelineEventType, timelineEventTypes } from '../../workflows/vocabulary.ts';
import { requireRole } from '../auth/session.ts';
import { ApiError } from '../errors.ts';
import { readJson } from '../json.ts';
import { clientIp } from '../rate-limit.ts';
import type { AppEnv } from '../types.ts';

export const notificationRuleRoutes = new Hono<AppEnv>();

export const eventTypeSchema = z.enum(timelineEventTypes, {
  error: `Tipo de evento desconhecido; use um de: ${timelineEventTypes.join(', ')}`,
});

export const notificationRuleBodySchema = z.strictObject({
  recipients: z
    .strictObject(
      Object.fromEntries(notificationRecipients.map((r) => [r, z.boolean().optional()])) as Record<
        NotificationRecipient,
        z.ZodOptional<z.ZodBoolean>
      >,
    )
    .refine((r) => Object.values(r).some((v) => v !== undefined), {
      message: `Informe ao menos um destinatário (${notificationRecipients.join(', ')}) com true ou false`,
    }),
});

type RuleSet = Record<NotificationRecipient, boolean>;

const emptySet = (): RuleSet => Object.fromEntries(notificationRecipients.map((r) => [r, false])) as RuleSet;

/** Every known event type with all five recipients (false where there is no enabled rule). */
async function ruleSets(c: Context<AppEnv>): Promise<Map<TimelineEventType, RuleSet>> {
  const sets = new Map<TimelineEventType, RuleSet>(timelineEventTypes.map((t) => [t, emptySet()]));
  for (const row of await listNotificationRules(c.var.deps.db)) {
    const set = sets.get(row.eventType as TimelineEventType);
    if (set && (notificationRecipients as readonly string[]).includes(row.recipient)) {
      set[row.recipient] = row.enabled;
    }
  }
  return sets;
}

notificationRuleRoutes.get('/notification-rules', async (c) => {
  requireRole(c, ['admin']);
  const sets = await ruleSets(c);
  return c.json({
    recipients: notificationRecipients,
    items: [...sets].map(([eventType, recipients]) => ({
      eventType,
      recipients,
      /** whether a citizen rule can exist for this event (false: staff-only record) */
      citizenAllowed: !staffOnlyEvents.includes(eventType),
    })),
  });
});

notificationRuleRoutes.put('/notification-rules/:eventType', async (c) => {
  const user = requireRole(c, ['admin']);
  const parsedType = eventTypeSchema.safeParse(c.req.param('eventType'));
  if (!parsedType.success) {
    throw new ApiError(422, 'invalid_body', 'Dados inválidos', {
      eventType: parsedType.error.issues.map((i) => i.message),
    });
  }
  const eventType = parsedType.data;
  const body = notificationRuleBodySchema.parse(await readJson(c.req.raw));
  if (body.recipients.citizen && staffOnlyEvents.includes(eventType))
    throw new ApiError(422, 'invalid_body', 'Dados inválidos', {
      'recipients.citizen': [
        `O cidadão não é avisado de "${eventType}": é um registro interno da equipe (veja a seção Notificações do README)`,
      ],
    });
  const before = (await ruleSets(c)).get(eventType) ?? emptySet();
  for (const recipient of notificationRecipients) {
    const enabled = body.recipients[recipient];
    if (enabled === undefined) continue;
    await setNotificationRule(c.var.deps.db, { eventType, recipient, enabled });
  }
  const after = (await ruleSets(c)).get(eventType) ?? emptySet();
  await audit(c.var.deps.db, {
    actor: user.email,
    action: 'notification_rule.updated',
    ip: clientIp(c),
    data: { entity: 'notification_rule', id: eventType, eventType, before, after },
  });
  return c.json({ eventType, recipients: after });
});
