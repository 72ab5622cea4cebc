// Drizzle schema: users and auth tables (better-auth), units, the manifestation read model
// (written only by the projection activity), timeline events, the per-year protocol sequence, and the
// SLA business calendars and deadline policies.
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { TimeSegment, WeeklyHours } from '../activities/sla/calendar.ts';
import type { Complementation, DeadlineScope, DeadlineUnit, ExtensionFrom } from '../workflows/sla-types.ts';

import { bytea, tstz, tsvector } from './schema/columns.ts';

// Tables of newer areas live in db/schema/<area>.ts and are re-exported at the end of this file.

import { users } from './schema/auth.ts';

// --- organisation ---
export const units = pgTable('units', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  email: text('email'),
  active: boolean('active').notNull().default(true),
  createdAt: tstz('created_at').notNull().defaultNow(),
  /** centro de custo (db/schema/catalogue.ts cost_centres); null = none yet */
  costCentreCode: text('cost_centre_code'),
});

// --- manifestations ---
export const protocolSequences = pgTable('protocol_sequences', {
  year: integer('year').primaryKey(),
  last: integer('last').notNull(),
});

export type IntakeState = 'pending' | 'created' | 'void';
/** What a filing answered first (replayed to a retry with the same Idempotency-Key). */
export type IntakeReceipt = { status: string; kind: string; dueAt: string | null };

/**
 * One row per filing attempt (issue 15.5): the protocol is reserved together with its access code and this
 * row in one transaction; `created` once the case workflow is registered; `void` when the start failed for
 * good (the access code is deleted: a recorded gap in the numbering). `idempotency_key` is a digest of the
 * caller and the client's Idempotency-Key.
 */
export const intakes = pgTable(
  'intakes',
  {
    protocol: text('protocol').primaryKey(),
    state: text('state').$type<IntakeState>().notNull().default('pending'),
    idempotencyKey: text('idempotency_key'),
    /** digest of the filed request: the same key with another body is refused */
    fingerprint: text('fingerprint'),
    receipt: jsonb('receipt').$type<IntakeReceipt>(),
    voidReason: text('void_reason'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('intakes_idempotency_key_idx').on(t.idempotencyKey),
    index('intakes_state_idx').on(t.state, t.createdAt),
  ],
);

export type CitizenContact = { name: string; email?: string | undefined; phone?: string | undefined };

/** Read model of a case; the workflow is the only writer (projection activity, revision-guarded). */
export const manifestations = pgTable(
  'manifestations',
  {
    protocol: text('protocol').primaryKey(),
    kind: text('kind').notNull(),
    status: text('status').notNull(),
    subject: text('subject').notNull(),
    description: text('description').notNull(),
    identity: text('identity').notNull(),
    channel: text('channel').notNull(),
    citizen: jsonb('citizen').$type<CitizenContact | null>(),
    citizenEmail: text('citizen_email'),
    assignee: text('assignee'),
    units: text('units').array().notNull().default(sql`'{}'::text[]`),
    priority: text('priority').notNull().default('normal'),
    receivedAt: tstz('received_at').notNull(),
    dueAt: tstz('due_at'),
    slaState: text('sla_state').notNull().default('ok'),
    revision: integer('revision').notNull(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    /** reclassification (topic/item/service of the catalogue), as the workflow holds it */
    topic: text('topic'),
    item: text('item'),
    /** 0 = urgent … 3 = low: ascending order is "most urgent first" (keyset on the priority sort) */
    priorityRank: integer('priority_rank').notNull().default(2),
    /** display name of the assignee, resolved by the projection ("people by name") */
    assigneeName: text('assignee_name'),
    /** units forwarded to that have not answered yet ("waiting for whom") */
    pendingUnits: text('pending_units').array().notNull().default(sql`'{}'::text[]`),
    /** the last timeline event that is news for the people following the case, and who caused it */
    lastActivitySeq: integer('last_activity_seq').notNull().default(0),
    lastActivityBy: text('last_activity_by'),
    /**
     * Search document kept by the projection: protocol, subject, description, assignee name, units, topic.
     * The reporter's name/e-mail live apart (reporterDocument) so a viewer who may not see a protected
     * reporter cannot find the case by them.
     */
    searchDocument: text('search_document').notNull().default(''),
    reporterDocument: text('reporter_document').notNull().default(''),
    /** searchDocument lowercased, unaccented, punctuation as spaces: trigram fragments ("116" in "BR-116") */
    searchText: text('search_text').notNull().default(''),
    searchVector: tsvector('search_vector').generatedAlwaysAs(
      sql`to_tsvector('pt_unaccent', search_document)`,
    ),
    reporterVector: tsvector('reporter_vector').generatedAlwaysAs(
      sql`to_tsvector('pt_unaccent', reporter_document)`,
    ),
    /** attendant group whose queue holds the case (routing rules, db/schema/catalogue.ts); null = none */
    groupCode: text('group_code'),
    // report figures (issue 12) live in report_cases (db/schema/reports.ts), kept by the same projection
  },
  (t) => [
    index('manifestations_status_idx').on(t.status, t.receivedAt),
    index('manifestations_assignee_idx').on(t.assignee),
    index('manifestations_received_idx').on(t.receivedAt, t.protocol),
    index('manifestations_due_idx').on(sql`coalesce(${t.dueAt}, 'infinity'::timestamptz)`, t.protocol),
    index('manifestations_due_at_idx').on(t.dueAt),
    index('manifestations_priority_idx').on(
      t.priorityRank,
      sql`coalesce(${t.dueAt}, 'infinity'::timestamptz)`,
      t.protocol,
    ),
    // "Minhas": the viewer's open cases, counted from the index alone (db/queries/queue-counts.ts)
    index('manifestations_open_assignee_idx')
      .on(t.assignee)
      .where(sql`${t.status} in ('received', 'in_progress', 'forwarded', 'awaiting_citizen')`),
    // "Minhas" sorted by priority: the viewer's cases in priority order, without walking everyone's
    index('manifestations_assignee_priority_idx').on(
      t.assignee,
      t.priorityRank,
      sql`coalesce(${t.dueAt}, 'infinity'::timestamptz)`,
      t.protocol,
    ),
    // queues over open cases newest first (Vencidas, Novas…): walks open cases only, not every closed one
    index('manifestations_open_received_idx')
      .on(t.receivedAt, t.protocol)
      .where(sql`${t.status} in ('received', 'in_progress', 'forwarded', 'awaiting_citizen')`),
    index('manifestations_open_due_idx')
      .on(t.dueAt, t.assignee, t.status)
      .where(sql`${t.status} in ('received', 'in_progress', 'forwarded', 'awaiting_citizen')`),
    // the SLA-state filter newest first: "estourados" are old, so walking every case newest first read all
    // the recent ones before the first match (~55,000 rows at 1M cases)
    index('manifestations_sla_received_idx').on(t.slaState, t.receivedAt, t.protocol),
    index('manifestations_units_idx').using('gin', t.units),
    index('manifestations_group_idx').on(t.groupCode, t.status),
    index('manifestations_search_idx').using('gin', t.searchVector),
    index('manifestations_reporter_search_idx').using('gin', t.reporterVector),
    index('manifestations_search_trgm_idx').using('gin', sql`${t.searchText} gin_trgm_ops`),
    index('manifestations_protocol_trgm_idx').using('gin', sql`${t.protocol} gin_trgm_ops`),
  ],
);

/** When each staff member last opened each case (the "new activity" marker clears on opening). */
export const caseReads = pgTable(
  'case_reads',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    protocol: text('protocol').notNull(),
    seenSeq: integer('seen_seq').notNull(),
    seenAt: tstz('seen_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.protocol] }), index('case_reads_protocol_idx').on(t.protocol)],
);

/** Timeline events, projected from the workflow; `seq` is the event's position in the case. */
export const timelineEvents = pgTable(
  'timeline_events',
  {
    protocol: text('protocol').notNull(),
    seq: integer('seq').notNull(),
    at: tstz('at').notNull(),
    type: text('type').notNull(),
    actor: text('actor').notNull(),
    visibility: text('visibility').notNull().default('public'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [primaryKey({ columns: [t.protocol, t.seq] })],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    at: tstz('at').notNull().defaultNow(),
    actor: text('actor'),
    action: text('action').notNull(),
    ip: text('ip'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  // the audit list (newest first, by actor) and per-account sign-in throttling (api/auth/sign-in.ts)
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_actor_idx').on(t.actor, t.at)],
);

// --- SLA: business calendars and deadline policies (read by activities/deadline.ts, edited through
// /api/v1/admin). Every edit bumps `version`; a case records the versions that produced its deadline.
export const calendars = pgTable('calendars', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  timezone: text('timezone').notNull().default('America/Sao_Paulo'),
  /** ISO weekday ('1' = Monday .. '7' = Sunday) → working segments ('HH:MM', end exclusive) */
  workingHours: jsonb('working_hours').$type<WeeklyHours>().notNull(),
  overtimeHours: jsonb('overtime_hours').$type<WeeklyHours | null>(),
  /** UF whose state holidays apply (date-holidays), e.g. 'SP'; null = national holidays only */
  state: text('state'),
  /** true until the first start copies ORG_TIMEZONE into `timezone` (the seeded default calendar) */
  timezoneFromEnv: boolean('timezone_from_env').notNull().default(false),
  version: integer('version').notNull().default(1),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

/** State/municipal holidays, ad-hoc closures (`holiday`) and extra or reduced workdays (`workday`). */
export const calendarOverrides = pgTable(
  'calendar_overrides',
  {
    calendarId: text('calendar_id')
      .notNull()
      .references(() => calendars.id, { onDelete: 'cascade' }),
    date: date('date', { mode: 'string' }).notNull(),
    kind: text('kind').$type<'holiday' | 'workday'>().notNull(),
    name: text('name').notNull(),
    hours: jsonb('hours').$type<TimeSegment[] | null>(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.calendarId, t.date] }),
    check('calendar_overrides_kind_check', sql`${t.kind} in ('holiday', 'workday')`),
  ],
);

/** Deadline policies; for a scope the active policy matching most of (kind, item, priority) wins. */
export const slaPolicies = pgTable(
  'sla_policies',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    scope: text('scope').$type<DeadlineScope>().notNull(),
    /** null = any */
    kind: text('kind'),
    /** type/item/service; null = any */
    item: text('item'),
    /** catalogue topic (assunto); null = any (Administração → Prazos, issue 10) */
    topic: text('topic'),
    /** null = any */
    priority: text('priority'),
    unit: text('unit').$type<DeadlineUnit>().notNull(),
    amount: integer('amount').notNull(),
    warningPoints: jsonb('warning_points')
      .$type<number[]>()
      .notNull()
      .default(sql`'[0.5, 0.75, 0.9]'::jsonb`),
    extensionAmount: integer('extension_amount').notNull().default(0),
    maxExtensions: integer('max_extensions').notNull().default(0),
    complementation: text('complementation').$type<Complementation>().notNull().default('interrupt_once'),
    /** where an extension's period begins: 'deadline' (where the extended one ended) or 'start' */
    extensionFrom: text('extension_from').$type<ExtensionFrom>().notNull().default('deadline'),
    /** accept `extend`/`unit-extend` after the deadline has passed */
    allowLateExtension: boolean('allow_late_extension').notNull().default(false),
    /** business_hours: count the calendar's overtime hours as working time too */
    includeOvertime: boolean('include_overtime').notNull().default(false),
    calendarId: text('calendar_id')
      .notNull()
      .default('default')
      .references(() => calendars.id),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('sla_policies_scope_idx').on(t.scope, t.active),
    check('sla_policies_scope_check', sql`${t.scope} in ('case', 'unit', 'complementation', 'auto_close')`),
    check('sla_policies_unit_check', sql`${t.unit} in ('calendar_days', 'business_days', 'business_hours')`),
    check('sla_policies_complementation_check', sql`${t.complementation} in ('interrupt_once', 'suspend')`),
    check('sla_policies_extension_from_check', sql`${t.extensionFrom} in ('deadline', 'start')`),
    check(
      'sla_policies_amount_check',
      sql`${t.amount} > 0 and ${t.extensionAmount} >= 0 and ${t.maxExtensions} >= 0`,
    ),
  ],
);

// --- e-mail and attachments (issue 4): notification rules, the outbound mail log, inbound mail, files ---

export const notificationRecipients = ['citizen', 'assignee', 'group', 'unit', 'ombudsman'] as const;
export type NotificationRecipient = (typeof notificationRecipients)[number];

/** Which timeline events mail whom (seeded by migration; edited by admins). */
export const notificationRules = pgTable(
  'notification_rules',
  {
    eventType: text('event_type').notNull(),
    recipient: text('recipient').$type<NotificationRecipient>().notNull(),
    enabled: boolean('enabled').notNull().default(true),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.eventType, t.recipient] })],
);

/**
 * `uncertain` (incerto): the message was handed to a transport that cannot promise idempotency (SMTP) and no
 * final answer came (the connection dropped after DATA, a timeout, a worker crash mid-send): it may or may
 * not have been delivered, so it is not sent again automatically beyond MAIL_UNCERTAIN_RETRIES; staff see it
 * in the mail log and may resend it.
 */
export type OutboundStatus = 'sending' | 'sent' | 'logged' | 'suppressed' | 'failed' | 'uncertain';

/** Every automatic message, inserted before sending (idempotency key `protocol:seq:recipient`). */
export const outboundEmails = pgTable(
  'outbound_emails',
  {
    id: text('id').primaryKey(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    protocol: text('protocol').notNull(),
    eventSeq: integer('event_seq').notNull(),
    eventType: text('event_type').notNull(),
    template: text('template').notNull(),
    recipient: text('recipient').notNull(),
    recipientRole: text('recipient_role').$type<NotificationRecipient>().notNull(),
    fromAddress: text('from_address').notNull(),
    replyTo: text('reply_to').notNull(),
    messageId: text('message_id').notNull().unique(),
    subject: text('subject').notNull(),
    html: text('html').notNull(),
    text: text('text').notNull(),
    headers: jsonb('headers').$type<Record<string, string>>().notNull().default({}),
    status: text('status').$type<OutboundStatus>().notNull().default('sending'),
    transport: text('transport'),
    providerId: text('provider_id'),
    transportResult: jsonb('transport_result').$type<Record<string, unknown>>(),
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    /** Set just before the message goes to a non-idempotent transport (SMTP); cleared once the outcome is known. */
    inFlightAt: tstz('in_flight_at'),
    /** Attempts whose outcome was uncertain (DATA sent, no final reply; or the sender died mid-send). */
    uncertainAttempts: integer('uncertain_attempts').notNull().default(0),
    /** Manual resends by staff ("reenviar"), and who asked for the last one. */
    resends: integer('resends').notNull().default(0),
    resentBy: text('resent_by'),
    /** The resend request (workflow id) that claimed the message last. */
    resendRequest: text('resend_request'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    sentAt: tstz('sent_at'),
  },
  (t) => [
    index('outbound_emails_protocol_idx').on(t.protocol, t.createdAt),
    index('outbound_emails_recipient_idx').on(t.protocol, t.recipient, t.createdAt),
  ],
);

/** `held`: kept for staff by the loop limits (api/inbound/loops.ts), released with POST /inbound/{id}/release. */
export type InboundStatus =
  | 'received'
  | 'created'
  | 'threaded'
  | 'ignored'
  | 'dead_letter'
  | 'rejected'
  | 'held';
/** `verified`: signed reply token or DMARC-aligned pass; `unverified`: matched only by headers or subject. */
export type InboundVerification = 'verified' | 'unverified';
export type InboundAuthResults = { spf: string; dkim: string; dmarc: string; header?: string };

/** Every inbound message, raw first (before parsing), de-duplicated on Message-ID (or a hash of the raw). */
export const inboundEmails = pgTable(
  'inbound_emails',
  {
    id: text('id').primaryKey(),
    messageId: text('message_id').notNull().unique(),
    door: text('door').$type<'smtp' | 'mime' | 'resend'>().notNull(),
    raw: bytea('raw'),
    sha256: text('sha256'),
    size: integer('size'),
    envelope: jsonb('envelope').$type<Record<string, unknown>>(),
    sourcePayload: jsonb('source_payload').$type<Record<string, unknown>>(),
    receivedAt: tstz('received_at').notNull().defaultNow(),
    status: text('status').$type<InboundStatus>().notNull().default('received'),
    error: text('error'),
    classification: text('classification'),
    fromAddress: text('from_address'),
    subject: text('subject'),
    inReplyTo: text('in_reply_to'),
    references: text('references').array(),
    protocol: text('protocol'),
    threadedBy: text('threaded_by'),
    fromRole: text('from_role'),
    authResults: jsonb('auth_results').$type<InboundAuthResults>(),
    replyText: text('reply_text'),
    attachmentIds: text('attachment_ids').array(),
    actions: jsonb('actions').$type<string[]>().notNull().default([]),
    attempts: integer('attempts').notNull().default(0),
    processedAt: tstz('processed_at'),
    /** Outlook's conversation: the first 22 bytes of Thread-Index, base64 (threads edited subjects). */
    conversationKey: text('conversation_key'),
    verification: text('verification').$type<InboundVerification>(),
  },
  (t) => [
    index('inbound_emails_protocol_idx').on(t.protocol, t.receivedAt),
    index('inbound_emails_status_idx').on(t.status, t.receivedAt),
    index('inbound_emails_conversation_idx').on(t.conversationKey),
    index('inbound_emails_from_idx').on(t.fromAddress, t.receivedAt),
  ],
);

/** Files kept outside Temporal (disk under DATA_DIR by default); payloads carry these ids. */
export const attachments = pgTable(
  'attachments',
  {
    id: text('id').primaryKey(),
    protocol: text('protocol'),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    /** 'email' (inbound mail), 'citizen' (web upload), 'staff' (notes/answers) */
    source: text('source').$type<'email' | 'citizen' | 'staff'>().notNull(),
    inboundEmailId: text('inbound_email_id'),
    uploadedBy: text('uploaded_by'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [index('attachments_protocol_idx').on(t.protocol)],
);

/**
 * Every read of a protected reporter identity (POST /api/v1/manifestations/{p}/identity-access): who, when,
 * why, which case. Append-only: a trigger (migration 0014) refuses UPDATE, DELETE and TRUNCATE for every
 * role, so no one — not even the app's own database user — can edit or erase it (Decreto 10.153/2019).
 */
export const identityAccessLog = pgTable(
  'identity_access_log',
  {
    id: text('id').primaryKey(),
    at: tstz('at').notNull().defaultNow(),
    actor: text('actor').notNull(),
    actorRole: text('actor_role').notNull(),
    protocol: text('protocol').notNull(),
    purpose: text('purpose').notNull(),
  },
  (t) => [
    index('identity_access_log_at_idx').on(t.at),
    index('identity_access_log_protocol_idx').on(t.protocol, t.at),
  ],
);
export * from './schema/access.ts';
export * from './schema/auth.ts';
export * from './schema/case-archives.ts';
export * from './schema/catalogue.ts';
export * from './schema/email-templates.ts';
export * from './schema/people.ts';
export * from './schema/queue-counters.ts';
export * from './schema/reports.ts';
export * from './schema/settings.ts';
