// Notifications: the workflow calls notifyCaseEvent for every committed timeline event. Which events mail
// whom is configuration (notification_rules); each message is idempotent per `protocol:seq:recipient`:
// inserted into outbound_emails (state 'sending', rendered once) before anything is sent, so a retry or a
// worker crash finds the row and never sends twice (Resend also receives the key as Idempotency-Key).
// SMTP cannot promise that: a message handed to the server without a final reply (or whose sender died
// mid-send) becomes `uncertain` (incerto) and is re-sent at most MAIL_UNCERTAIN_RETRIES times (default 0);
// it never throws then, so it never holds back the case's later mail. Staff may resend it from the mail log.

import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Database } from '../db/client.ts';
import { groupAddresses, statusDisplayName } from '../db/queries/catalogue.ts';
import {
  claimOutboundForResend,
  countRecentOutboundCaps,
  findOutboundById,
  findOutboundByKey,
  insertOutbound,
  type OutboundRow,
  recipientsForEvent,
  staffAddresses,
  unitAddresses,
  updateOutbound,
} from '../db/queries/email.ts';
import { getEmailTemplateText } from '../db/queries/email-templates.ts';
import { cachedReference } from '../db/queries/reference-cache.ts';
import type { NotificationRecipient } from '../db/schema.ts';
import { renderEmail } from '../views/emails/index.ts';
import type { CaseView, TimelineEvent } from '../workflows/messages.ts';
import { citizenStatusEvents, mailsNobody } from '../workflows/vocabulary.ts';
import { buildModel, type Recipient, templateFor } from './email/compose.ts';
import { replyAddress } from './email/reply-token.ts';
import { messageSecrets, openStoredMessage, seal } from './email/sealed-secrets.ts';
import { defaultLoopLimits, type MailSettings } from './email/settings.ts';
import { createTransportFor, type Transport } from './email/transport.ts';

export type NotifyInput = {
  view: CaseView;
  event: TimelineEvent;
  /**
   * Run as a local activity inside the workflow task (workflows/case-activities.ts): every message is
   * rendered and stored as usual, but only the built-in mail log delivers here (storing it is all it does, a
   * database write like the projection); messages for Resend or SMTP stay `sending` and are counted in
   * `pending`, for the regular activity that sends them with its own retries.
   */
  local?: boolean;
};

/** Messages of the event still to be sent by the regular activity (0: nothing left to do). */
export type NotifyResult = { pending: number };

export type NotifyDeps = {
  db: Database;
  /** Settings, or a function resolving them on first use (the worker derives them from the env). */
  mail: MailSettings | (() => MailSettings);
  timezone?: string;
  /** Override of the transport chosen from the settings (tests). */
  transport?: Transport;
  now?: () => Date;
};

const recipientOrder: NotificationRecipient[] = ['citizen', 'unit', 'assignee', 'ombudsman', 'group'];

export function createNotifyActivities(deps: NotifyDeps) {
  let settings: MailSettings | undefined;
  let transport: Transport | undefined;
  const mail = () => {
    settings ??= typeof deps.mail === 'function' ? deps.mail() : deps.mail;
    return settings;
  };
  const getTransport = () => {
    transport ??= deps.transport ?? createTransportFor(mail());
    return transport;
  };
  const now = deps.now ?? (() => new Date());

  async function resolveRecipients(view: CaseView, event: TimelineEvent): Promise<Recipient[]> {
    // A citizen's e-mail is recorded twice (email_received, then citizen_replied): staff hear about it once.
    if (mailsNobody(event)) return [];
    const kinds = new Set(
      await cachedReference(deps.db, `notify.recipients.${event.type}`, () =>
        recipientsForEvent(deps.db, event.type),
      ),
    );
    const found: Recipient[] = [];
    for (const role of recipientOrder) {
      if (!kinds.has(role)) continue;
      found.push(...(await addressesFor(role, view, event)));
    }
    const actor = event.actor.toLowerCase();
    const seen = new Set<string>();
    return found.filter((r) => {
      const email = r.email.toLowerCase();
      if (seen.has(email)) return false;
      seen.add(email);
      return r.role === 'citizen' || email !== actor; // staff are not told about what they just did
    });
  }

  async function addressesFor(
    role: NotificationRecipient,
    view: CaseView,
    event: TimelineEvent,
  ): Promise<Recipient[]> {
    switch (role) {
      case 'citizen': {
        // Public events, and the internal steps a citizen is told of as a change of status only.
        const told = event.visibility === 'public' || citizenStatusEvents.includes(event.type);
        if (!told || view.identity === 'anonymous') return [];
        const email = view.citizen?.email;
        return email ? [{ email, role, name: view.citizen?.name ?? null }] : [];
      }
      case 'assignee':
        return view.assignee ? [{ email: view.assignee, role, name: null }] : [];
      case 'group': {
        // the case's attendant group (issue 10): its e-mail, else its members
        const routed = view.group ? await groupAddresses(deps.db, view.group) : [];
        if (routed.length) return routed.map((a) => ({ email: a.email, role, name: a.name }));
        const group = mail().staffGroup;
        if (group) return [{ email: group, role, name: null }];
        const staff = await staffAddresses(deps.db, ['ombudsman', 'attendant']);
        return staff.map((s) => ({ email: s.email, role, name: s.name }));
      }
      case 'ombudsman': {
        let staff = await staffAddresses(deps.db, ['ombudsman']);
        if (staff.length === 0) staff = await staffAddresses(deps.db, ['admin']);
        return staff.map((s) => ({ email: s.email, role, name: s.name }));
      }
      case 'unit': {
        const fromEvent = Array.isArray(event.data.units) ? event.data.units : null;
        const unitCode = typeof event.data.unit === 'string' ? [event.data.unit] : null;
        const codes = fromEvent ?? unitCode ?? view.units;
        const rows = await unitAddresses(deps.db, codes);
        return rows
          .filter((u) => u.email)
          .map((u) => ({ email: u.email!, role, name: u.name, unit: { code: u.code, name: u.name } }));
      }
    }
  }

  /**
   * The stored message for this key: inserted now (rendered once) or found from an earlier attempt.
   * `insertFirst` (the local step, whose message is almost never stored yet): no look-up before rendering;
   * an earlier attempt's row still wins through the key's unique index.
   */
  async function prepare(
    view: CaseView,
    event: TimelineEvent,
    r: Recipient,
    insertFirst = false,
  ): Promise<OutboundRow> {
    const s = mail();
    const recipient = r.email.toLowerCase();
    const idempotencyKey = `${view.protocol}:${event.seq}:${recipient}`;
    const existing = insertFirst ? undefined : await findOutboundByKey(deps.db, idempotencyKey);
    if (existing) return existing;
    const template = templateFor(event.type, r.role);
    const unitNames = r.unit ? [r.unit.name] : event.type === 'forwarded' ? view.units : [];
    const issuedAt = now();
    const model = buildModel(view, event, r, {
      publicUrl: s.publicUrl,
      timezone: deps.timezone ?? s.timezone,
      unitNames,
      secret: s.secret,
      now: issuedAt,
    });
    // Administração → Listas: the status as the organisation names it (issue 10 item 5)
    const { status, lang } = model;
    model.statusName =
      (await cachedReference(deps.db, `notify.status.${status}.${lang}`, () =>
        statusDisplayName(deps.db, status, lang),
      )) ?? undefined;
    // Administração → E-mails: an edited subject/body for this template and language replaces the built-in text
    const custom = await cachedReference(deps.db, `notify.template.${template}.${lang}`, () =>
      getEmailTemplateText(deps.db, template, lang),
    );
    const rendered = await renderEmail(template, model, custom);
    // The log keeps the message with the citizen's secrets sealed; deliver() opens them for the transport.
    const secrets = messageSecrets(s.secret, view.protocol, { email: recipient, role: r.role }, issuedAt);
    const replyTo = seal(replyAddress(s.secret, s.domain, view.protocol, recipient), secrets);
    const messageId = `<${randomUUID()}@${s.domain}>`;
    const headers: Record<string, string> = {
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'All',
      'X-Ouvidor-Protocol': view.protocol,
    };
    const inserted = await insertOutbound(deps.db, {
      id: randomUUID(),
      idempotencyKey,
      protocol: view.protocol,
      eventSeq: event.seq,
      eventType: event.type,
      template,
      recipient,
      recipientRole: r.role,
      fromAddress: s.from,
      replyTo,
      messageId,
      subject: seal(rendered.subject, secrets),
      html: seal(rendered.html, secrets),
      text: seal(rendered.text, secrets),
      headers,
      status: 'sending',
      createdAt: issuedAt,
    });
    if (inserted) return inserted;
    const raced = await findOutboundByKey(deps.db, idempotencyKey);
    if (!raced) throw new Error(`outbound ${idempotencyKey} neither inserted nor found`);
    return raced;
  }

  /**
   * Records an attempt whose outcome is uncertain. Returns true when the policy (MAIL_UNCERTAIN_RETRIES,
   * default 0) allows sending it once more; otherwise the message is left `uncertain` for staff.
   */
  async function markUncertain(row: OutboundRow, error: string, transportResult?: Record<string, unknown>) {
    const uncertainAttempts = row.uncertainAttempts + 1;
    const retry = uncertainAttempts <= (mail().uncertainRetries ?? 0);
    await updateOutbound(deps.db, row.id, {
      status: retry ? 'sending' : 'uncertain',
      uncertainAttempts,
      inFlightAt: null,
      error,
      ...(transportResult ? { transportResult } : {}),
    });
    row.uncertainAttempts = uncertainAttempts;
    return retry;
  }

  /**
   * Sends a stored message in state `sending` (others are done: their status is returned). With `final`
   * (a manual resend) a transient failure ends as `failed` instead of asking Temporal to retry.
   */
  async function deliver(row: OutboundRow, opts: { final?: boolean } = {}): Promise<OutboundRow['status']> {
    if (row.status !== 'sending') return row.status; // done by an earlier attempt
    const s = mail();
    const t = getTransport();
    if (row.inFlightAt && !t.idempotent) {
      // An earlier attempt handed it to SMTP and died (worker killed, activity timed out) before learning
      // the outcome: the server may have it. Sending again could duplicate it.
      const retry = await markUncertain(
        row,
        'envio anterior interrompido antes da resposta final do servidor (a mensagem pode ter sido entregue)',
      );
      if (!retry) return 'uncertain';
    }
    // A manual resend is staff's decision: the automatic caps do not apply to it.
    if (!row.resends) {
      // Across cases (issue 13 item 15): one outside address, or one domain, gets at most so many automatic
      // messages, whatever the case. The three counts are one query (issue 14).
      const loops = s.loops ?? defaultLoopLimits;
      const at = row.createdAt.getTime();
      const caps = await countRecentOutboundCaps(deps.db, {
        protocol: row.protocol,
        recipient: row.recipient,
        caseSince: new Date(at - s.rateLimit.windowMs),
        loopSince: new Date(at - loops.windowMs),
        until: row.createdAt,
        excludeId: row.id,
      });
      const domain = row.recipient.split('@')[1] ?? '';
      const minutes = Math.round(loops.windowMs / 60_000);
      // Only mail to citizens (outside addresses) is capped across cases: staff get every notification.
      const suppressed =
        caps.onCase >= s.rateLimit.max
          ? `limite de ${s.rateLimit.max} mensagens automáticas por destinatário em ${s.rateLimit.windowMs / 60_000} min`
          : row.recipientRole !== 'citizen'
            ? null
            : caps.toRecipient >= loops.mailPerRecipient
              ? `limite de ${loops.mailPerRecipient} mensagens automáticas para ${row.recipient} em ${minutes} min (todos os casos)`
              : caps.toDomain >= loops.mailPerDomain
                ? `limite de ${loops.mailPerDomain} mensagens automáticas para o domínio ${domain} em ${minutes} min`
                : null;
      if (suppressed) {
        await updateOutbound(deps.db, row.id, { status: 'suppressed', error: suppressed });
        return 'suppressed';
      }
    }
    // The mail log cannot fail half-way (storing is all it does): its attempt is recorded with its outcome,
    // one write instead of two (issue 14). A real transport's attempt is recorded before the send.
    const attempt = { attempts: row.attempts + 1, transport: t.name };
    if (t.name !== 'log')
      await updateOutbound(deps.db, row.id, { ...attempt, inFlightAt: t.idempotent ? null : now() });
    const opened = openStoredMessage(row, s.secret);
    const result = await t.send({
      // A manual resend is a new request for the provider (Resend would answer the first one again).
      idempotencyKey: row.resends ? `${row.idempotencyKey}:resend:${row.resends}` : row.idempotencyKey,
      from: row.fromAddress,
      to: row.recipient,
      ...opened,
      messageId: row.messageId, // the same Message-ID: a receiving system can tell a resend is the same message
      headers: row.headers,
    });
    if (result.ok) {
      const status = t.name === 'log' ? 'logged' : 'sent';
      await updateOutbound(deps.db, row.id, {
        ...(t.name === 'log' ? attempt : {}),
        status,
        providerId: result.providerId,
        transportResult: result.result,
        error: null,
        inFlightAt: null,
        sentAt: status === 'sent' ? now() : null, // a logged message never left the machine
      });
      return status;
    }
    if (result.uncertain) {
      const retry = await markUncertain(row, `resposta final não recebida: ${result.error}`, result.result);
      if (!retry || opts.final) return retry ? 'sending' : 'uncertain';
      throw ApplicationFailure.retryable(`e-mail ${row.idempotencyKey}: ${result.error}`, 'MailUncertain');
    }
    const failed = result.permanent || opts.final;
    await updateOutbound(deps.db, row.id, {
      status: failed ? 'failed' : 'sending',
      error: result.error,
      transportResult: result.result,
      inFlightAt: null,
    });
    if (failed) return 'failed';
    // Retryable: the row stays 'sending'; Temporal retries the activity and the same key is reused.
    throw ApplicationFailure.retryable(`e-mail ${row.idempotencyKey}: ${result.error}`, 'MailTransportError');
  }

  return {
    /**
     * Mails the event to its recipients; outcomes are in outbound_emails. With `local`, only what the mail
     * log delivers is done (see NotifyInput) and the rest is counted in `pending`.
     */
    async notifyCaseEvent({ view, event, local }: NotifyInput): Promise<NotifyResult> {
      const recipients = await resolveRecipients(view, event);
      let failure: unknown;
      let pending = 0;
      for (const r of recipients) {
        try {
          const row = await prepare(view, event, r, local);
          if (local && getTransport().name !== 'log') {
            if (row.status === 'sending') pending += 1;
            continue;
          }
          await deliver(row);
        } catch (err) {
          failure ??= err; // the others still go out; the retry skips what was sent
        }
      }
      if (failure) throw failure;
      return { pending };
    },

    /**
     * Staff "reenviar", step 1: claims an `uncertain` or `failed` message for the resend request `requestId`
     * (the resend workflow's id). Only one request wins; a retry of the same request wins again.
     * → `{claimed: true}` or `{claimed: false, status}` (nothing to resend now).
     */
    async claimOutboundResend(input: { emailId: string; requestId: string; actor: string }) {
      const row = await claimOutboundForResend(deps.db, input);
      if (row) return { claimed: true as const };
      const current = await findOutboundById(deps.db, input.emailId);
      if (!current) throw ApplicationFailure.nonRetryable('mensagem não encontrada', 'NotFound');
      return { claimed: false as const, status: current.status };
    },

    /** Staff "reenviar", step 2: sends the claimed message once more; → its new status. Never retried by
     * Temporal for transport errors (a failure ends as `failed`, visible, and staff may try again). */
    async deliverOutboundResend(input: { emailId: string }): Promise<OutboundRow['status']> {
      const row = await findOutboundById(deps.db, input.emailId);
      if (!row) throw ApplicationFailure.nonRetryable('mensagem não encontrada', 'NotFound');
      return deliver(row, { final: true });
    },
  };
}
