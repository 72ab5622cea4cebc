// Who sees what: the one disclosure policy (Lei 13.460/2017 art. 10 §7; Decreto 10.153/2019 arts. 3–6 on
// the protection of a reporter's identity). Every surface that shows a case — staff and citizen pages, the
// REST API, the mail log (HTML and JSON), e-mails to staff and units, timelines, attachment metadata and
// list/search results — asks this module; none decides on its own. Pure: no db, no I/O (activities/ use it
// too, for the e-mails they compose).
//
// The matrix (README "Quem vê o quê"):
//   viewer \ identity   identified            preserved                       anonymous
//   citizen             own data               own data                        —
//   attendant/ombudsman full                   hidden; explicit reveal (logged) —
//   admin               full                   hidden; explicit reveal (logged) —
//   unit                name only              never (no reveal)               —
//   public              —                      —                               —
// Citizen secrets (access code, follow-link token, reply token) reach no staff viewer, whatever the case.
import { secretMarkers } from '../activities/email/sealed-secrets.ts';
import { deriveAccessCode } from '../config/access-code.ts';
import type { CaseView, Citizen, TimelineEvent } from '../workflows/messages.ts';
import type { Identity } from '../workflows/vocabulary.ts';

export type StaffRole = 'unit' | 'attendant' | 'ombudsman' | 'admin';
export type ViewerRole = StaffRole | 'citizen' | 'public';

/** Who is looking. Staff carry their unit (units see only the cases forwarded to them). */
export type Viewer =
  | { kind: 'staff'; role: StaffRole; email: string; unitCode: string | null }
  | { kind: 'citizen' }
  | { kind: 'public' };

/**
 * How much of the reporter a viewer gets:
 * - `full`: name, e-mail, phone (and any document/address they gave);
 * - `name`: the name only (units on an identified case: they answer the ouvidoria, never the citizen);
 * - `reveal`: nothing until an explicit, logged reveal with a purpose (`POST …/identity-access`);
 * - `none`: nothing, ever.
 */
export type ReporterAccess = 'full' | 'name' | 'reveal' | 'none';

const matrix: Record<ViewerRole, Record<Identity, ReporterAccess>> = {
  citizen: { identified: 'full', preserved: 'full', anonymous: 'none' },
  attendant: { identified: 'full', preserved: 'reveal', anonymous: 'none' },
  ombudsman: { identified: 'full', preserved: 'reveal', anonymous: 'none' },
  admin: { identified: 'full', preserved: 'reveal', anonymous: 'none' },
  unit: { identified: 'name', preserved: 'none', anonymous: 'none' },
  public: { identified: 'none', preserved: 'none', anonymous: 'none' },
};

export const officeRoles: readonly StaffRole[] = ['attendant', 'ombudsman', 'admin'];
/** Who may read the identity-access log. */
export const accessLogReaders: readonly StaffRole[] = ['ombudsman', 'admin'];

export function roleOf(viewer: Viewer): ViewerRole {
  return viewer.kind === 'staff' ? viewer.role : viewer.kind;
}

/** A staff session as a viewer; undefined for a non-staff user. */
export function staffViewer(user: {
  role: string;
  email: string;
  unitCode: string | null;
}): Extract<Viewer, { kind: 'staff' }> | undefined {
  const staff: readonly string[] = ['unit', ...officeRoles];
  if (!staff.includes(user.role)) return undefined;
  return { kind: 'staff', role: user.role as StaffRole, email: user.email, unitCode: user.unitCode };
}

export function reporterAccess(viewer: Viewer | ViewerRole, identity: Identity): ReporterAccess {
  const role = typeof viewer === 'string' ? viewer : roleOf(viewer);
  return matrix[role][identity];
}

/** Whether a staff viewer may open the case at all (units: only cases forwarded to their unit). */
export function canSeeCase(viewer: Viewer, view: Pick<CaseView, 'units'>): boolean {
  if (viewer.kind !== 'staff') return false;
  if (viewer.role === 'unit') return !!viewer.unitCode && view.units.includes(viewer.unitCode);
  return officeRoles.includes(viewer.role);
}

/** Whether this viewer may reveal a preserved identity (with a purpose; every reveal is logged). */
export function canReveal(viewer: Viewer, identity: Identity): boolean {
  return reporterAccess(viewer, identity) === 'reveal';
}

/** The reporter as this viewer may see them (null: nothing). `revealed` after a logged reveal. */
export function visibleReporter(
  viewer: Viewer | ViewerRole,
  view: Pick<CaseView, 'identity' | 'citizen'>,
  revealed = false,
): Citizen | null {
  if (!view.citizen) return null;
  const access = reporterAccess(viewer, view.identity);
  if (access === 'full' || (access === 'reveal' && revealed)) return view.citizen;
  if (access === 'name') return { name: view.citizen.name };
  return null;
}

/**
 * Which reporter fields a list search may match for this viewer, by identity: the workspace search by
 * citizen name/e-mail must add `identity IN (…)` for each field (an empty list: never match), so a viewer
 * who may not see a reporter cannot find a protected case by the reporter's name or e-mail either.
 */
export function searchableCitizenFor(viewer: Viewer | ViewerRole): { name: Identity[]; email: Identity[] } {
  const identities: Identity[] = ['identified', 'preserved', 'anonymous'];
  const role = typeof viewer === 'string' ? viewer : roleOf(viewer);
  if (role === 'citizen' || role === 'public') return { name: [], email: [] };
  return {
    name: identities.filter((i) => ['full', 'name'].includes(reporterAccess(role, i))),
    email: identities.filter((i) => reporterAccess(role, i) === 'full'),
  };
}

// --- redaction of free text ---

/** What hidden values are replaced with (the secrets' markers are the ones the mail log stores). */
export const masks = {
  reporter: 'Identidade preservada',
  ...secretMarkers,
  sender: 'remetente externo',
} as const;

const followTokenPattern = /(\/link\?t=)[a-z2-7]{32}/gi;
const replyTokenPattern = /(reply\+)[a-z2-7]{16,}(@)/gi;
const emailPattern = /[^\s<>()"',;:=[\]]+@[a-z0-9.-]+\.[a-z]{2,}/gi;
const nameStopwords = new Set(['da', 'das', 'de', 'do', 'dos', 'del', 'e', 'di', 'du', 'van', 'von']);

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A function that removes from a text what `viewer` may not read of this case: always the citizen's
 * secrets (the case's access code, follow-link and reply tokens) unless the viewer is that citizen, and the
 * reporter's name (and each part of it), e-mail and phone where the matrix hides them.
 * `secret`: the app secret the access code is derived from.
 */
export function redactorFor(
  viewer: Viewer | ViewerRole,
  view: Pick<CaseView, 'protocol' | 'identity' | 'citizen'>,
  opts: { secret: string; revealed?: boolean },
): (text: string) => string {
  const role = typeof viewer === 'string' ? viewer : roleOf(viewer);
  const replacements: Array<[RegExp, string]> = [];
  if (role !== 'citizen') {
    const code = deriveAccessCode(opts.secret, view.protocol);
    replacements.push([new RegExp(escapeRegExp(code), 'gi'), masks.accessCode]);
    replacements.push([new RegExp(escapeRegExp(code.replace(/-/g, '')), 'gi'), masks.accessCode]);
    replacements.push([followTokenPattern, `$1${masks.followToken}`]);
    replacements.push([replyTokenPattern, `$1${masks.replyToken}$2`]);
  }
  const shown = visibleReporter(role, view, opts.revealed);
  const c = view.citizen;
  if (c) {
    if (c.email && !shown?.email)
      replacements.push([new RegExp(escapeRegExp(c.email), 'gi'), masks.reporter]);
    if (c.phone && !shown?.phone) {
      replacements.push([new RegExp(escapeRegExp(c.phone), 'g'), masks.reporter]);
      const digits = c.phone.replace(/\D/g, '');
      if (digits.length >= 8) replacements.push([new RegExp(digits, 'g'), masks.reporter]);
    }
    if (c.name && !shown?.name) {
      replacements.push([new RegExp(escapeRegExp(c.name.trim()), 'giu'), masks.reporter]);
      for (const part of c.name.trim().split(/\s+/)) {
        if (part.length < 3 || nameStopwords.has(part.toLowerCase())) continue;
        replacements.push([
          new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(part)}(?![\\p{L}\\p{N}])`, 'giu'),
          masks.reporter,
        ]);
      }
    }
  }
  return (text) => {
    let out = text;
    for (const [pattern, by] of replacements) out = out.replace(pattern, by);
    return out;
  };
}

/** Every e-mail address in a text replaced (auth results and envelopes seen by who may not know the sender). */
export function maskAddresses(text: string): string {
  return text.replace(emailPattern, masks.sender);
}

/**
 * An attachment's file name as this viewer sees it: the original for who may see the reporter in full
 * (or revealed), "anexo-<n>.<ext>" for everyone else, since a file name ("RG Maria Souza.pdf") may name them.
 */
export function attachmentName(
  viewer: Viewer | ViewerRole,
  view: Pick<CaseView, 'identity' | 'citizen'>,
  file: { filename: string; source: string },
  index: number,
  revealed = false,
): string {
  const role = typeof viewer === 'string' ? viewer : roleOf(viewer);
  if (role === 'citizen') return file.filename;
  const access = reporterAccess(role, view.identity);
  if (file.source === 'staff' || access === 'full' || (access === 'reveal' && revealed)) return file.filename;
  const ext = /\.([a-z0-9]{1,8})$/i.exec(file.filename)?.[1]?.toLowerCase();
  return `anexo-${index + 1}${ext ? `.${ext}` : ''}`;
}

// --- the case, per viewer ---

export type PresentedCase = CaseView & {
  /** What this viewer may do about the reporter (the page shows the reveal form for `reveal`). */
  reporterAccess: ReporterAccess;
  revealed: boolean;
};

/**
 * The case for a staff viewer: the reporter per the matrix, and every free text (subject, description,
 * answers, unit work, timeline data, e-mail actors that are not staff) redacted for what they may not see.
 * `staffEmails`: known staff addresses (an e-mail actor outside it is an external sender).
 */
export function presentCaseForStaff(
  view: CaseView,
  viewer: Extract<Viewer, { kind: 'staff' }>,
  opts: { secret: string; staffEmails?: ReadonlySet<string>; revealed?: boolean },
): PresentedCase {
  const access = reporterAccess(viewer, view.identity);
  const revealed = access === 'reveal' && !!opts.revealed;
  const redact = redactorFor(viewer, view, { secret: opts.secret, revealed });
  const knowsSender = access === 'full' || revealed;
  const actor = (a: string) =>
    !knowsSender && a.includes('@') && !opts.staffEmails?.has(a.toLowerCase()) ? masks.sender : redact(a);
  const text = <T extends string | null>(s: T): T => (s === null ? s : (redact(s) as T));
  return {
    ...view,
    subject: redact(view.subject),
    description: redact(view.description),
    citizen: visibleReporter(viewer, view, revealed),
    answer: text(view.answer),
    pendingQuestion: text(view.pendingQuestion),
    unitAssignments: view.unitAssignments.map((a) => ({
      ...a,
      instructions: redact(a.instructions),
      response: text(a.response),
    })),
    ratings: view.ratings.map((r) => ({ ...r, comment: text(r.comment) })),
    timeline: view.timeline.map((e) => ({ ...e, actor: actor(e.actor), data: redactData(e.data, redact) })),
    reporterAccess: access,
    revealed,
  };
}

function redactData(data: TimelineEvent['data'], redact: (s: string) => string): TimelineEvent['data'] {
  const out: TimelineEvent['data'] = {};
  for (const [k, v] of Object.entries(data)) {
    if (typeof v === 'string') out[k] = redact(v);
    else if (Array.isArray(v)) out[k] = v.map((x) => redact(x));
    else out[k] = v;
  }
  return out;
}

/** Timeline data the citizen may read (everything else — assignees, units, instructions, minutes — stays in). */
const citizenEventKeys = new Set([
  'text',
  'question',
  'justification',
  'reason',
  'dueAt',
  'attachmentIds',
  'channel',
  'score',
  'resolved',
  'comment',
  'final',
  'via',
  'reopenCount',
  'reopenRequested',
  'linkedTo',
  'deadline',
]);

/** What the citizen portal shows, and nothing else: also the citizen's JSON (`X-Access-Code`). */
export type CitizenCaseView = Pick<
  CaseView,
  | 'protocol'
  | 'kind'
  | 'status'
  | 'subject'
  | 'description'
  | 'identity'
  | 'channel'
  | 'citizen'
  | 'receivedAt'
  | 'dueAt'
  | 'slaState'
  | 'answer'
  | 'answeredAt'
  | 'pendingQuestion'
  | 'ratings'
  | 'reopenCount'
  | 'attachmentIds'
  | 'revision'
> & {
  complementationDeadline: { dueAt: string | null } | null;
  timeline: Array<Pick<TimelineEvent, 'seq' | 'at' | 'type' | 'actor' | 'visibility' | 'data'>>;
};

/**
 * The case as its citizen sees it (portal page and JSON): public events only, with staff shown as
 * "ouvidoria"; the answer; their own data. Never internal notes, staff identities, unit instructions or
 * answers, work logs, assignees or internal deadlines.
 */
export function presentCaseForCitizen(view: CaseView): CitizenCaseView {
  return {
    protocol: view.protocol,
    kind: view.kind,
    status: view.status,
    subject: view.subject,
    description: view.description,
    identity: view.identity,
    channel: view.channel,
    citizen: visibleReporter('citizen', view),
    receivedAt: view.receivedAt,
    dueAt: view.dueAt,
    slaState: view.slaState,
    answer: view.answer,
    answeredAt: view.answeredAt,
    pendingQuestion: view.pendingQuestion,
    complementationDeadline: view.complementationDeadline
      ? { dueAt: view.complementationDeadline.dueAt }
      : null,
    ratings: view.ratings,
    reopenCount: view.reopenCount,
    attachmentIds: view.attachmentIds,
    revision: view.revision,
    timeline: view.timeline
      .filter((e) => e.visibility === 'public')
      .map((e) => ({
        seq: e.seq,
        at: e.at,
        type: e.type,
        actor: e.actor === 'citizen' || e.actor === 'system' ? e.actor : 'ouvidoria',
        visibility: e.visibility,
        data: Object.fromEntries(Object.entries(e.data).filter(([k]) => citizenEventKeys.has(k))),
      })),
  };
}

/**
 * A list row (list JSON and HTML, queues, search results, exports): the reporter only as the matrix
 * shows it (`citizen`), the raw `citizenEmail` column emptied, the subject redacted like the case page's.
 */
export function presentListRow<
  T extends {
    protocol: string;
    identity: string;
    subject: string;
    citizen?: Citizen | null;
    citizenEmail?: string | null;
  },
>(viewer: Viewer, row: T, opts: { secret: string }): T {
  const view = { protocol: row.protocol, identity: row.identity as Identity, citizen: row.citizen ?? null };
  const shown = visibleReporter(viewer, view);
  return {
    ...row,
    subject: redactorFor(viewer, view, opts)(row.subject),
    citizen: shown,
    ...('citizenEmail' in row ? { citizenEmail: shown?.email ?? null } : {}),
  };
}

/** `canSeeCase` for a session user (false for anyone who is not staff). */
export function canStaffSee(
  user: { role: string; email: string; unitCode: string | null },
  view: Pick<CaseView, 'units'>,
): boolean {
  const viewer = staffViewer(user);
  return !!viewer && canSeeCase(viewer, view);
}
