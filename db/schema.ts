// Drizzle schema: users and auth tables (better-auth), units, the manifestation read model
// (written only by the projection activity), timeline events and the per-year protocol sequence.
import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const roles = ['admin', 'ombudsman', 'attendant', 'unit', 'citizen'] as const;
export type Role = (typeof roles)[number];

// --- better-auth core tables (model names user/session/account/verification) ---
export const users = pgTable('users', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  emailVerified: boolean('email_verified').notNull().default(false),
  image: text('image'),
  role: text('role').$type<Role>().notNull().default('citizen'),
  unitCode: text('unit_code'),
  createdAt: tstz('created_at').notNull().defaultNow(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    expiresAt: tstz('expires_at').notNull(),
    token: text('token').notNull().unique(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const accounts = pgTable('accounts', {
  id: text('id').primaryKey(),
  accountId: text('account_id').notNull(),
  providerId: text('provider_id').notNull(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  accessToken: text('access_token'),
  refreshToken: text('refresh_token'),
  idToken: text('id_token'),
  accessTokenExpiresAt: tstz('access_token_expires_at'),
  refreshTokenExpiresAt: tstz('refresh_token_expires_at'),
  scope: text('scope'),
  password: text('password'),
  createdAt: tstz('created_at').notNull().defaultNow(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

export const verifications = pgTable('verifications', {
  id: text('id').primaryKey(),
  identifier: text('identifier').notNull(),
  value: text('value').notNull(),
  expiresAt: tstz('expires_at').notNull(),
  createdAt: tstz('created_at').notNull().defaultNow(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

// --- organisation ---
export const units = pgTable('units', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  email: text('email'),
  active: boolean('active').notNull().default(true),
  createdAt: tstz('created_at').notNull().defaultNow(),
});

// --- manifestations ---
export const protocolSequences = pgTable('protocol_sequences', {
  year: integer('year').primaryKey(),
  last: integer('last').notNull(),
});

/** Citizen access codes, stored hashed; written by the API when a case is filed (a credential, not case state). */
export const accessCodes = pgTable('access_codes', {
  protocol: text('protocol').primaryKey(),
  codeHash: text('code_hash').notNull(),
  createdAt: tstz('created_at').notNull().defaultNow(),
});

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
    searchVector: tsvector('search_vector').generatedAlwaysAs(
      sql`to_tsvector('pt_unaccent', coalesce(subject, '') || ' ' || coalesce(description, ''))`,
    ),
  },
  (t) => [
    index('manifestations_status_idx').on(t.status, t.receivedAt),
    index('manifestations_assignee_idx').on(t.assignee),
    index('manifestations_received_idx').on(t.receivedAt, t.protocol),
    index('manifestations_search_idx').using('gin', t.searchVector),
    index('manifestations_protocol_trgm_idx').using('gin', sql`${t.protocol} gin_trgm_ops`),
  ],
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

export const auditLog = pgTable('audit_log', {
  id: text('id').primaryKey(),
  at: tstz('at').notNull().defaultNow(),
  actor: text('actor'),
  action: text('action').notNull(),
  ip: text('ip'),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
});
