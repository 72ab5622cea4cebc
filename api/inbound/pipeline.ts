// One pipeline for the three doors (SMTP listener, POST /inbound/mime, Resend webhook):
// store raw first and de-duplicate on Message-ID (a hash of the raw when absent) → parse → classify
// (auto-replies, bounces, bulk, loops: stored, never answered, never create or reopen) → strip quoted
// history → thread (token, In-Reply-To/References, protocol in the subject from a participant) → keep
// attachments → signal the case (idempotent by the inbound row id) or open a new case from the intake
// address (a late reply to a case whose workflow has completed opens a new case linked to it; either way
// the message's attachments go with the new case). Anything that fails lands in the dead-letter list with
// its error, for staff to replay.
import { createHash, randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { saveAttachments } from '../../activities/storage/attachments.ts';
import { listAttachmentsForInbound } from '../../db/queries/attachments.ts';
import { getInbound, type InboundRow, insertInbound, updateInbound } from '../../db/queries/email.ts';
import { readSettings } from '../../db/queries/settings.ts';
import type { InboundAuthResults, InboundStatus } from '../../db/schema.ts';
import {
  attachmentsRefusedSignal,
  type InboundMessage,
  inboundMessageSignal,
} from '../../workflows/messages.ts';
import { normalizeDeep, normalizeText } from '../text.ts';
import { classify } from './classify.ts';
import type { EmailContext } from './context.ts';
import { loopHold } from './loops.ts';
import { concludedCase, openCase } from './open-case.ts';
import { ParseBudgetExceeded, parseMail } from './parse.ts';
import type { AuthInput, ParsedInbound } from './parse-worker.ts';
import { inboundText } from './reply-text.ts';
import { conversationKey, threadMessage } from './thread.ts';
import { attachedTexts, type Unpacked } from './unpack.ts';
import { verificationOf } from './verify.ts';

export type Door = 'smtp' | 'mime' | 'resend';
/** What mailauth needs besides the message (the SMTP session). */
export type AuthRequest = Omit<AuthInput, 'raw'>;
export type Envelope = { mailFrom: string | null; rcptTo: string[]; remoteAddress?: string; helo?: string };
export type ReceiveResult = {
  id: string;
  status: InboundStatus;
  duplicate: boolean;
  protocol: string | null;
  /** why a dead letter was not processed (pt-BR), for the sender's answer */
  error?: string | null;
  /** the message itself is refused (unparsable, over budget, for no case): the SMTP door answers 554.
   * A dead letter that is not refused failed on our side (staff replay it): the sender gets 250. */
  refused?: boolean;
  /** the parse ran out of time, which our own load can cause (the wait for a pool thread counts): the SMTP
   * door answers 451 so the sender's server tries again; the retry (same Message-ID) is processed afresh. */
  deferred?: boolean;
};

/** The message itself cannot be processed, whatever retrying: its sender is told (SMTP 554). */
class InboundRefused extends Error {}

/** The parse ran out of time: kept as a dead letter (staff see it, can replay it), and the sender retries. */
class InboundDeferred extends Error {}

/** Marks the error of a deferred dead letter, so the sender's retry of the same message is processed again. */
const DEFERRED = 'análise adiada: ';

const maxSignalText = 10_000;

/** The unfolded value of the first `name:` header of a raw message, without parsing the body. */
export function rawHeader(raw: Buffer, name: string): string | undefined {
  const text = raw.subarray(0, 256 * 1024).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = (end >= 0 ? text.slice(0, end) : text).replace(/\r?\n[ \t]+/g, ' ');
  const re = new RegExp(`^${name.replace(/[-]/g, '\\-')}[ \\t]*:[ \\t]*(.*)$`, 'im');
  const value = re.exec(head)?.[1];
  return value === undefined ? undefined : normalizeText(value).trim();
}

export function normalizeMessageId(id: string | null | undefined): string | null {
  const m = /<?\s*([^<>\s]+@[^<>\s]+)\s*>?/.exec(id ?? '');
  return m ? `<${m[1]}>` : null;
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Stores the raw message (or finds it: same Message-ID → duplicate, nothing else happens), then processes it. */
export async function receiveEmail(
  ctx: EmailContext,
  input: {
    raw: Buffer;
    door: Door;
    envelope?: Envelope;
    authResults?: InboundAuthResults;
    /** check SPF/DKIM/DMARC in the parse task (SMTP door: the client's address, HELO, MAIL FROM) */
    authenticate?: AuthRequest;
  },
): Promise<ReceiveResult> {
  const hash = sha256(input.raw);
  const messageId = normalizeMessageId(rawHeader(input.raw, 'message-id')) ?? `sha256:${hash}`;
  const { row, duplicate } = await insertInbound(ctx.deps.db, {
    id: randomUUID(),
    messageId,
    door: input.door,
    raw: input.raw,
    sha256: hash,
    size: input.raw.byteLength,
    envelope: input.envelope ? normalizeDeep(input.envelope) : null,
    authResults: input.authResults ? normalizeDeep(input.authResults) : null,
    status: 'received',
  });
  // the sender's retry of a message deferred for lack of time is processed again (as a replay would be)
  if (duplicate && !(row.status === 'dead_letter' && row.error?.startsWith(DEFERRED)))
    return { id: row.id, status: row.status, duplicate: true, protocol: row.protocol, error: row.error };
  // the row just stored (or found) and the bytes in hand (handed over to the parser): nothing read back
  return processInbound(ctx, row.id, input.raw, {
    stored: row,
    fresh: !duplicate,
    ...(input.authenticate ? { authenticate: input.authenticate } : {}),
  });
}

/**
 * Runs (or re-runs, for a replay) everything after storage; never throws: failures become dead letters.
 * `opts.stored`: the row as the caller just stored or read it (its columns but the raw bytes), so it is
 * not read again; otherwise it is read by `id`. `opts.fresh`: the caller inserted the row just now, so no
 * earlier attempt can have kept its files (not looked up).
 */
export async function processInbound(
  ctx: EmailContext,
  id: string,
  raw?: Buffer,
  opts: { release?: boolean; authenticate?: AuthRequest; stored?: InboundRow; fresh?: boolean } = {},
): Promise<ReceiveResult> {
  const stored = opts.stored ?? (await getInbound(ctx.deps.db, id, { raw: !raw }));
  if (!stored) throw new Error(`inbound ${id} not found`);
  const row = raw ? { ...stored, raw } : stored;
  const attempts = row.attempts + 1;
  try {
    if (!row.raw) throw new Error('conteúdo bruto da mensagem indisponível');
    const parsed = await parseMail(row.raw, opts.authenticate).catch((err: unknown) => {
      // mailparser's own limits (too many parts, nesting) and the time/memory budget: the message itself
      const why = err instanceof Error ? err.message : String(err);
      if (err instanceof ParseBudgetExceeded && err.budget === 'time')
        throw new InboundDeferred(`${DEFERRED}${why}`);
      throw new InboundRefused(`mensagem não pôde ser analisada: ${why}`);
    });
    const outcome = await handle(ctx, row, parsed, opts.release ?? false, opts.fresh ?? false);
    await updateInbound(ctx.deps.db, id, { error: null, ...outcome, attempts, processedAt: new Date() });
    return {
      id,
      status: outcome.status,
      duplicate: false,
      protocol: outcome.protocol ?? null,
      ...(outcome.status === 'dead_letter' ? { error: outcome.error ?? null, refused: true } : {}),
    };
  } catch (err) {
    const error = normalizeText(err instanceof Error ? err.message : String(err));
    await updateInbound(ctx.deps.db, id, { status: 'dead_letter', error, attempts, processedAt: new Date() });
    return {
      id,
      status: 'dead_letter',
      duplicate: false,
      protocol: row.protocol,
      error,
      refused: err instanceof InboundRefused,
      deferred: err instanceof InboundDeferred,
    };
  }
}

type Outcome = Partial<InboundRow> & { status: InboundStatus };

function headerGetter(parsed: ParsedInbound) {
  return (name: string) => {
    const line = parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line;
    return line?.slice(line.indexOf(':') + 1).trim();
  };
}

const addressesOf = (v: ParsedInbound['to']) =>
  (Array.isArray(v) ? v : v ? [v] : [])
    .flatMap((o) => o.value.flatMap((a) => (a.group ? a.group : [a])))
    .map((a) => a.address?.toLowerCase())
    .filter((a): a is string => !!a);

/** Authentication-Results written by the MTA in front of us (Postfix, Resend), for the other doors. */
export function authFromHeader(header: string | undefined): InboundAuthResults | null {
  if (!header) return null;
  const pick = (k: string) => new RegExp(`\\b${k}=(\\w+)`, 'i').exec(header)?.[1]?.toLowerCase() ?? 'none';
  return { spf: pick('spf'), dkim: pick('dkim'), dmarc: pick('dmarc'), header };
}

async function handle(
  ctx: EmailContext,
  row: InboundRow,
  parsed: ParsedInbound,
  released: boolean,
  fresh: boolean,
): Promise<Outcome> {
  const { db } = ctx.deps;
  const header = headerGetter(parsed);
  const fromEntry = parsed.from?.value[0];
  const from = fromEntry?.address?.toLowerCase() ?? null;
  const subject = (parsed.subject ?? '').trim();
  const envelope = (row.envelope ?? null) as Envelope | null;
  const actions: string[] = [];

  // Regras gerais `org.intakeAddress`: a second intake mailbox, besides MAIL_INTAKE_ADDRESS
  const settingIntake = (await readSettings(ctx.deps.db))['org.intakeAddress'];
  const intakeAddresses = [ctx.mail.intakeAddress, ...(settingIntake ? [settingIntake] : [])];
  const { classification, reason } = classify({
    header,
    envelopeFrom: envelope ? (envelope.mailFrom ?? '') : undefined,
    from,
    subject,
    contentType: header('content-type') ?? '',
    ourDomain: ctx.mail.domain,
    ourAddresses: [...intakeAddresses, (/<([^>]+)>/.exec(ctx.mail.from)?.[1] ?? ctx.mail.from).toLowerCase()],
  });
  const recipients = [
    ...(envelope?.rcptTo ?? []).map((a) => a.toLowerCase()),
    ...addressesOf(parsed.to),
    ...addressesOf(parsed.cc),
    ...['delivered-to', 'x-original-to']
      .map((h) =>
        header(h)
          ?.replace(/^.*<|>.*$/g, '')
          .toLowerCase(),
      )
      .filter((a): a is string => !!a),
  ];
  const references = Array.isArray(parsed.references)
    ? parsed.references
    : parsed.references
      ? parsed.references.split(/\s+/)
      : [];
  const messageIds = [parsed.inReplyTo, ...references]
    .map((id) => normalizeMessageId(id))
    .filter((id): id is string => !!id);
  const threadTopic = parsed.headers.get('thread-topic');
  const conversation = conversationKey(header('thread-index'));
  const threading = await threadMessage(db, ctx.mail, {
    from,
    recipients,
    messageIds,
    subject,
    threadTopic: typeof threadTopic === 'string' ? threadTopic : undefined,
    conversationKey: conversation,
  });
  actions.push(...threading.notes);
  const { unpacked } = parsed; // unpacked in the parse pool, off the event loop
  const { reply: text, caseText } = await inboundText(db, {
    text: parsed.text,
    subject,
    protocol: threading.protocol,
    secret: ctx.mail.secret,
    attachedText: attachedTexts(unpacked.texts),
    parts: parsed.parts,
  });
  const base: Outcome = {
    status: 'received',
    classification,
    fromAddress: from,
    subject,
    inReplyTo: normalizeMessageId(parsed.inReplyTo),
    references: references.map((r) => normalizeMessageId(r) ?? r),
    protocol: threading.protocol,
    threadedBy: threading.by,
    fromRole: threading.fromRole,
    replyText: text,
    conversationKey: conversation,
    // SMTP door: only mailauth's own result counts (a sender can write any Authentication-Results header);
    // the other doors sit behind an MTA that writes it.
    authResults:
      parsed.auth ??
      row.authResults ??
      (row.door === 'smtp' ? null : authFromHeader(header('authentication-results'))),
  };
  base.verification = verificationOf(threading, base.authResults);

  if (classification !== 'personal') {
    actions.push(`${classification} (${reason}): guardada, sem resposta; não cria nem reabre caso`);
    return { ...base, status: 'ignored', actions };
  }

  const toIntake = intakeAddresses.some((a) => recipients.includes(a)) && !!from;
  if (!threading.protocol && !toIntake) {
    const error = threading.forgedToken
      ? 'token de resposta inválido e nenhuma outra correspondência com um caso'
      : 'nenhum caso correspondente e não endereçada à ouvidoria';
    return { ...base, status: 'dead_letter', error, actions };
  }

  // Loops across cases (loops.ts): a message that would open a case beyond the limits is held for staff.
  if (!threading.protocol && from && !released) {
    const hold = await loopHold(db, ctx.mail, { id: row.id, from, subject, opensCase: true });
    if (hold) {
      actions.push(`retida para a equipe (liberar em /api/v1/inbound/${row.id}/release): ${hold}`);
      return { ...base, status: 'held', error: hold, actions };
    }
  }

  const { attachmentIds, refused } = await keepAttachments(
    ctx,
    row,
    unpacked,
    threading.protocol,
    from,
    actions,
    fresh,
  );
  const withFiles = { ...base, attachmentIds };
  /** Says on the case (and, when `shown`, to the citizen by e-mail) which files were not kept. */
  const tellRefused = async (protocol: string, shown: boolean) => {
    if (refused.length === 0) return;
    await ctx.deps.temporal.client.workflow.getHandle(protocol).signal(attachmentsRefusedSignal, {
      id: `${row.id}:refused`,
      emailId: row.id,
      files: refused.map((r) => `${r.filename}: ${r.reason}`),
      public: shown,
    });
  };

  if (threading.protocol) {
    const message: InboundMessage = {
      id: row.id,
      emailId: row.id,
      from: from ?? '',
      fromRole: threading.fromRole,
      subject,
      text: text.length > maxSignalText ? `${text.slice(0, maxSignalText - 1)}…` : text,
      attachmentIds,
      receivedAt: row.receivedAt.toISOString(),
      verification: base.verification,
    };
    try {
      await ctx.deps.temporal.client.workflow
        .getHandle(threading.protocol)
        .signal(inboundMessageSignal, message);
      await tellRefused(
        threading.protocol,
        threading.fromRole === 'citizen' && base.verification === 'verified',
      );
      actions.push(
        `enviada ao caso ${threading.protocol} (${threading.by}, remetente: ${threading.fromRole})`,
      );
      if (threading.fromRole === 'citizen' && base.verification === 'unverified')
        actions.push('remetente não verificado: guardada no caso como não verificada, para a equipe decidir');
      return { ...withFiles, status: 'threaded', actions };
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      if (threading.fromRole !== 'citizen' || !from) {
        throw new Error(`o caso ${threading.protocol} não está mais em andamento`);
      }
      // The case's workflow has completed (past the reopen window): a new case, linked to the old one.
      // An unverified sender carries nothing of the old case (name, kind, identity): it is a new filing.
      const previous = base.verification === 'verified' ? await concludedCase(ctx, threading.protocol) : null;
      const created = await openCase(ctx, row, {
        verified: base.verification === 'verified',
        from,
        name: previous?.citizen?.name ?? fromEntry?.name ?? '',
        subject,
        text: `Em continuação à manifestação ${threading.protocol} (já concluída).\n\n${text}`,
        attachmentIds,
        linkedTo: threading.protocol,
        kind: previous?.kind,
        // a verified sender's old case that cannot be read any more: keep the reporter protected
        identity:
          previous?.identity === 'preserved' || (base.verification === 'verified' && !previous)
            ? 'preserved'
            : 'identified',
      });
      await tellRefused(created, true);
      actions.push(
        `caso ${threading.protocol} concluído: nova manifestação ${created} aberta, vinculada a ele`,
      );
      return { ...withFiles, protocol: created, threadedBy: 'new_case', status: 'created', actions };
    }
  }

  const created = await openCase(ctx, row, {
    verified: base.verification === 'verified',
    from: from!,
    name: fromEntry?.name ?? '',
    subject,
    text: caseText,
    attachmentIds,
  });
  await tellRefused(created, true);
  actions.push(`nova manifestação ${created} aberta a partir do e-mail`);
  return { ...withFiles, protocol: created, threadedBy: 'new_case', status: 'created', actions };
}

/**
 * Saves the message's files (unpack.ts: TNEF unpacked, inline images, attached messages) once: a replay
 * reuses what an earlier attempt kept. Returns the kept ids and the refused files with their reasons.
 */
async function keepAttachments(
  ctx: EmailContext,
  row: InboundRow,
  unpacked: Unpacked,
  protocol: string | null,
  from: string | null,
  actions: string[],
  fresh: boolean,
): Promise<{ attachmentIds: string[]; refused: Array<{ filename: string; reason: string }> }> {
  const refused = [...unpacked.refused];
  // Only an earlier attempt can have kept files: a row inserted by this very delivery has none to look up.
  const earlier = fresh ? [] : await listAttachmentsForInbound(ctx.deps.db, row.id);
  if (earlier.length > 0) return { attachmentIds: earlier.map((a) => a.id), refused: [] };
  const saved = await saveAttachments(
    { db: ctx.deps.db, store: ctx.store, limits: ctx.mail.attachments },
    unpacked.files,
    { protocol, source: 'email', inboundEmailId: row.id, uploadedBy: from },
  );
  for (const s of saved) if (!s.ok) refused.push({ filename: s.filename, reason: s.reason });
  for (const r of refused) actions.push(`anexo "${r.filename}" recusado: ${r.reason}`);
  return { attachmentIds: saved.flatMap((s) => (s.ok ? [s.id] : [])), refused };
}
