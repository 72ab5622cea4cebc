// Users and access (issue 10 item 1): better-auth's two-factor table (model `twoFactor`) and the log of
// account messages (invitations and password links), which are not about a case and so stay out of
// outbound_emails. The link in a logged message is a credential: the stored text carries a marker and
// the link itself is kept encrypted (activities/email/account-mail.ts), opened only for the transport
// and, when nothing left the machine (mail log only), for admins.
import { boolean, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { users } from './auth.ts';
import { tstz } from './columns.ts';

/** better-auth two-factor plugin: one row per user with TOTP (secret and backup codes encrypted by it). */
export const twoFactors = pgTable(
  'two_factors',
  {
    id: text('id').primaryKey(),
    secret: text('secret').notNull(),
    backupCodes: text('backup_codes').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    verified: boolean('verified').default(true),
    failedVerificationCount: integer('failed_verification_count').default(0),
    lockedUntil: tstz('locked_until'),
  },
  (t) => [index('two_factors_user_idx').on(t.userId), index('two_factors_secret_idx').on(t.secret)],
);

export type AccountEmailKind = 'invitation' | 'password_reset';
export type AccountEmailStatus = 'sending' | 'sent' | 'logged' | 'failed';

/** Every account message, inserted before sending; `sealedLink` = AES-256-GCM of the one-time link. */
export const accountEmails = pgTable(
  'account_emails',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<AccountEmailKind>().notNull(),
    recipient: text('recipient').notNull(),
    subject: text('subject').notNull(),
    /** HTML and text with the link replaced by a marker */
    html: text('html').notNull(),
    text: text('text').notNull(),
    sealedLink: text('sealed_link').notNull(),
    linkExpiresAt: tstz('link_expires_at').notNull(),
    status: text('status').$type<AccountEmailStatus>().notNull().default('sending'),
    transport: text('transport'),
    error: text('error'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    sentAt: tstz('sent_at'),
  },
  (t) => [index('account_emails_user_idx').on(t.userId, t.createdAt)],
);
