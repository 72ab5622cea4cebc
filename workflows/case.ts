// The case workflow: one run per manifestation, workflow id = protocol; the only writer of case state.
// Handlers (case-handlers.ts) change state through Updates; this file owns registration, commits
// (revision, search attributes, current details, projection), notifications, deadline alarms
// (warnings, escalations, complementation expiry, auto-close), the reopen window and continue-as-new.
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import {
  LOCAL_EVENT_NOTIFY_PATCH,
  LOCAL_NOTIFY_PATCH,
  notifyCaseEvent,
  quickActivities,
} from './case-activities.ts';
import { type Alarm, type AlarmTimer, caseAlarms, nextEscalationOf, startAlarmTimer } from './case-alarms.ts';
import { caseFailures } from './case-failures.ts';
import { type CaseRuntime, registerCaseHandlers } from './case-handlers.ts';
import { registerInboundHandlers } from './case-inbound.ts';
import { appendEvent, deadlineRequest, initialView, registerView, slaStateOf } from './case-state.ts';
import {
  type CaseInput,
  type CaseView,
  calendarChangedSignal,
  caseViewQuery,
  type HeldMail,
  registeredUpdate,
  type TimelineEvent,
} from './messages.ts';
import * as sa from './search-attributes.ts';
import type { Deadline, DeadlineScope, Interruption, Pause } from './sla-types.ts';
import { isFinal, isOpen } from './transitions.ts';
import { versionCheck } from './versions.ts';
import { mailsNobody } from './vocabulary.ts';

/** Events nobody is mailed about skip the notification step (workflows/vocabulary.ts `mailsNobody`). */
const SILENT_EVENTS_PATCH = 'no-mail-step-for-silent-events';

const { reopenWindowDays } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

const DAY = 86_400_000;
/** After closing, the case stays reachable for reopen and late replies for this long, then completes. */
export const REOPEN_WINDOW_MS = 30 * DAY;
const MAX_CARRIED_IDS = 500;
/** An alarm firing later than this after its instant is late (worker down, a letter registered with a
 * past receivedAt): its mails are held until the next business moment. */
const LATE_ALARM_MS = 60_000;

export async function caseWorkflow(input: CaseInput & { historyLimit?: number }): Promise<CaseView> {
  const v = initialView(input);
  /** Registered by the filing (CaseInput.registration): no planning, projection or markers at registration. */
  const generation = input.born ?? 0;
  const bornWith = Boolean(input.registration) || generation >= 2;
  const applied = versionCheck(bornWith, generation);
  const { planDeadline, projectCase, businessMomentFrom, commitCase } = quickActivities(applied);
  const processed = new Set(input.carried?.processedMessageIds ?? []);
  const fired = new Set(input.carried?.firedAlerts ?? []);
  const outbox: TimelineEvent[] = [];
  /** events whose messages a commit stored and the regular activity still sends (case-activities.ts) */
  const unsent: TimelineEvent[] = [];
  /** Every event's mail stored by the commit that records it (LOCAL_EVENT_NOTIFY_PATCH). */
  const localMail = () => applied(LOCAL_EVENT_NOTIFY_PATCH);
  /** The run's search attributes as Temporal holds them (from its start, then each upsert). */
  const shown = sa.shownAttributes(workflowInfo().typedSearchAttributes.getAll());
  /** alarm mails held until a business moment (issue 13 item 16) */
  const held: HeldMail[] = [...(input.carried?.heldMail ?? [])];
  /** set in the main loop (from the start in a run born with the patch): alarms follow the business-moment
   * rules of case-alarms.ts */
  let businessTimed = bornWith;
  let registered = Boolean(input.carried);
  /** set while the registration's own events are mailed (in its workflow task: case-activities.ts) */
  let acknowledging = false;
  let changes = 0;
  let replanRequested = false;
  let closedAt = isFinal(v.status) ? Date.now() : 0;
  /** Regras gerais `cases.reopenWindowDays`, read when the case closes and after a settings change. */
  let reopenWindowMs = REOPEN_WINDOW_MS;
  let reopenWindowReadFor = 0;
  // side effects that failed for good: recorded, visible, repairable; never a frozen case
  const sideEffects = caseFailures(
    {
      view: v,
      project: () => projectCase(JSON.parse(JSON.stringify(v)) as CaseView),
      notify: (event) =>
        notifyCaseEvent({ view: JSON.parse(JSON.stringify(v)) as CaseView, event }, acknowledging),
      commitStep: (events) => commitCase({ view: JSON.parse(JSON.stringify(v)) as CaseView, events }),
      send: (event) => notifyCaseEvent({ view: JSON.parse(JSON.stringify(v)) as CaseView, event }),
      replan: () => replanAll(),
      commit: () => commit(),
      applied,
    },
    input.carried?.failures,
  );

  const record: CaseRuntime['record'] = (type, actor, data = {}, visibility = 'public') => {
    const event = appendEvent(v, type, actor, data, visibility);
    outbox.push(event);
    return event;
  };

  async function plan(
    scope: DeadlineScope,
    start: string,
    extensions: number,
    pauses: Pause[] = [],
    interruption?: Interruption,
    previous?: Deadline | null,
  ): Promise<Deadline> {
    const req = deadlineRequest(v, scope, start, extensions, pauses, interruption);
    try {
      return await planDeadline(req);
    } catch (err) {
      // bad policy or calendar data: recorded, the last deadline kept, repairable (case-failures.ts)
      const last = {
        case: v.deadline,
        complementation: v.complementationDeadline,
        auto_close: v.autoCloseDeadline,
      };
      return sideEffects.unplanned(req, err, previous ?? (scope === 'unit' ? null : last[scope]));
    }
  }

  function refreshSla() {
    if (isFinal(v.status) || v.status === 'answered') return; // frozen once answered
    v.slaState = slaStateOf(v.deadline, Date.now());
  }

  async function replanCase(opts: { restartFrom?: string; extend?: boolean } = {}) {
    const d = v.deadline;
    const start = opts.restartFrom ?? d?.start ?? v.receivedAt;
    const extensions = (opts.restartFrom ? 0 : (d?.extensions ?? 0)) + (opts.extend ? 1 : 0);
    const pauses = opts.restartFrom ? [] : (d?.pauses ?? []);
    v.deadline = await plan(
      'case',
      start,
      extensions,
      pauses,
      opts.restartFrom ? undefined : d?.interruption,
    );
    v.dueAt = v.deadline.dueAt;
    refreshSla();
  }

  /** Whether a request for complementation stops this deadline's clock (see COMPLEMENTATION_READINGS):
   * `suspend` always; `interrupt_once` only for the case's first request. */
  const stoppedByRequest = (d: Deadline | null | undefined) =>
    d?.policy.complementation === 'suspend' ||
    (d?.policy.complementation === 'interrupt_once' && v.complementationRequests === 1);
  const interrupts = () =>
    v.deadline?.policy.complementation === 'interrupt_once' && v.complementationRequests === 1;
  const suspends = () => v.deadline?.policy.complementation === 'suspend';
  const pendingUnits = () => v.unitAssignments.filter((a) => a.status === 'pending');

  const rt: CaseRuntime = {
    view: v,
    applied,
    isRegistered: () => registered,
    record,
    commit,
    replanCase,
    planUnit: (a) =>
      // Keeps where the unit's clock starts and its complementation pauses (an extension re-plans it).
      plan(
        'unit',
        a.deadline?.start ?? a.forwardedAt,
        a.extensions,
        a.deadline?.pauses ?? [],
        a.deadline?.interruption,
        a.deadline,
      ),
    async startComplementation() {
      const now = new Date().toISOString();
      v.complementationDeadline = await plan('complementation', now, 0);
      if ((interrupts() || suspends()) && v.deadline) {
        v.deadline = await plan('case', v.deadline.start, v.deadline.extensions, [
          ...v.deadline.pauses,
          { from: now },
        ]);
        v.dueAt = v.deadline.dueAt;
      }
      // Issue 13 item 17: the units' clocks follow the complementation policy too (a unit cannot be
      // late because the citizen was asked for information).
      if (applied('unit-clocks-follow-complementation')) {
        for (const a of pendingUnits()) {
          const ud = a.deadline;
          if (!ud || !stoppedByRequest(ud)) continue;
          a.deadline = await plan(
            'unit',
            ud.start,
            a.extensions,
            [...ud.pauses, { from: now }],
            ud.interruption,
            ud,
          );
        }
      }
      refreshSla();
    },
    async endComplementation(at) {
      v.complementationDeadline = null;
      for (const a of pendingUnits()) {
        const ud = a.deadline;
        const open = ud?.pauses.find((p) => !p.to);
        if (!ud || !open) continue;
        a.deadline =
          ud.policy.complementation === 'interrupt_once'
            ? await plan('unit', at, a.extensions, [], { requestedAt: open.from, repliedAt: at }, ud)
            : await plan(
                'unit',
                ud.start,
                a.extensions,
                ud.pauses.map((p) => (p.to ? p : { ...p, to: at })),
                ud.interruption,
                ud,
              );
      }
      const d = v.deadline;
      if (!d) return;
      if (interrupts()) {
        // Decreto 9.492/2018 art. 18: the first request interrupts the clock once: it restarts from the reply.
        const requestedAt = d.pauses.find((p) => !p.to)?.from;
        v.deadline = await plan(
          'case',
          at,
          d.extensions,
          [],
          requestedAt ? { requestedAt, repliedAt: at } : undefined,
        );
      } else if (d.pauses.some((p) => !p.to)) {
        v.deadline = await plan(
          'case',
          d.start,
          d.extensions,
          d.pauses.map((p) => (p.to ? p : { ...p, to: at })),
        );
      }
      v.dueAt = v.deadline?.dueAt ?? null;
      refreshSla();
    },
    async startAutoClose() {
      v.autoCloseDeadline = await plan('auto_close', new Date().toISOString(), 0);
    },
  };

  /**
   * A new revision of the view: search attributes, current details and the projection. `registered`: the
   * filing's registration (CaseInput.registration) — the read model has this revision already and the run
   * was started with these search attributes, so neither is written again. In runs whose local activities
   * go one at a time (LOCAL_EVENT_NOTIFY_PATCH, case-activities.ts) a commit upserts only the attributes
   * that changed (a citizen's reply usually changes none: no event, no visibility write); in older runs it
   * upserts all of them, since whether one changed could depend on how handlers running side by side
   * interleaved around local activities, which a replay need not reproduce.
   */
  async function commit(opts: { registered?: boolean } = {}): Promise<CaseView> {
    v.revision += 1;
    changes += 1;
    if (isFinal(v.status) && !closedAt) closedAt = Date.now();
    if (!isFinal(v.status)) closedAt = 0;
    const serial = !opts.registered && localMail();
    if (!opts.registered) {
      const attributes = sa.caseSearchAttributes(v, nextEscalationOf(alarms()));
      const changed = serial ? shown.changed(attributes) : attributes;
      if (changed.length) upsertSearchAttributes(changed);
      shown.set(changed);
    }
    const parts = [`**${v.status}**`, v.kind, `SLA ${v.slaState}`];
    if (v.assignee) parts.push(`assigned to ${v.assignee}`);
    const pendingUnits = v.unitAssignments.filter((a) => a.status === 'pending').map((a) => a.unit);
    if (pendingUnits.length) parts.push(`waiting for ${pendingUnits.join(', ')}`);
    if (v.dueAt) parts.push(`due ${v.dueAt}`);
    parts.push(`rev ${v.revision}`);
    setCurrentDetails(parts.join(' · '));
    if (opts.registered) return v;
    if (!serial) {
      await sideEffects.project();
      return v;
    }
    // the projection and the mail of the events recorded since the last commit, one step (case-activities.ts)
    const mail = outbox.splice(0).filter((e) => !(mailsNobody(e) && applied(SILENT_EVENTS_PATCH)));
    const left = await sideEffects.commitStep(mail);
    unsent.push(...mail.filter((_, i) => left[i]));
    return v;
  }

  /** Alarms still to fire (workflows/case-alarms.ts), minus those already fired. */
  function alarms(): Alarm[] {
    return caseAlarms(v, record, businessTimed).filter(
      (a) => !fired.has(a.key) && !(a.supersededBy && fired.has(a.supersededBy)),
    );
  }

  /**
   * Fires the due alarms under the business-moment rules: a warning the breach has overtaken (or a
   * later warning of the same deadline) is skipped; the mails an alarm records wait for its `mailAt`,
   * and, when it fires late, for the next business moment (asked of the calendar activity).
   */
  async function fireAtBusinessMoments(due: Alarm[], now: number) {
    let businessNow = 0;
    if (due.some((a) => now - a.at > LATE_ALARM_MS)) {
      const calendarId = v.deadline?.calendarId;
      const at = await businessMomentFrom({ at: new Date(now).toISOString(), calendarId });
      businessNow = Date.parse(at);
    }
    const latestWarning = new Map<string, number>();
    for (const a of due)
      if (a.kind === 'warning') latestWarning.set(a.group, Math.max(a.at, latestWarning.get(a.group) ?? 0));
    for (const alarm of due) {
      fired.add(alarm.key);
      if (alarm.kind === 'warning' && (now > alarm.dueAt || alarm.at < (latestWarning.get(alarm.group) ?? 0)))
        continue;
      const from = outbox.length;
      await alarm.fire();
      const mailAt = Math.max(alarm.mailAt ?? 0, businessNow);
      if (mailAt > now) for (const event of outbox.splice(from)) held.push({ at: mailAt, event });
    }
  }

  async function replanAll() {
    if (v.deadline && isOpen(v.status)) await replanCase();
    for (const a of pendingUnits()) a.deadline = await rt.planUnit(a);
    if (v.complementationDeadline)
      v.complementationDeadline = await plan('complementation', v.complementationDeadline.start, 0);
    if (v.autoCloseDeadline) v.autoCloseDeadline = await plan('auto_close', v.autoCloseDeadline.start, 0);
  }

  /** Every running due date and alarm instant, to tell whether a re-plan changed anything. */
  function dueDates(): string {
    const d = (x: Deadline | null | undefined) => (x ? [x.dueAt, ...x.warnings, x.escalateAt] : []);
    return JSON.stringify([
      d(v.deadline),
      ...v.unitAssignments.map((a) => d(a.deadline)),
      d(v.complementationDeadline),
      d(v.autoCloseDeadline),
    ]);
  }

  /** The timer of the next alarm instant (runs with LOCAL_EVENT_NOTIFY_PATCH), `due` once it fired. */
  let alarmTimer: AlarmTimer | undefined;
  /** Set once the main loop has waited and woken: from then on it asks for LOCAL_EVENT_NOTIFY_PATCH. */
  let woken = false;

  /** Whether the outbox is the main loop's to drain now: in runs whose commits store their events' mail,
   * not while a handler is in flight (its commit will, beside its projection: case-activities.ts). */
  const outboxReady = (byCommit: boolean) => outbox.length > 0 && (!byCommit || allHandlersFinished());

  async function drainOutbox() {
    // the patch is asked only where it decides something: a registration's own task records no marker
    const byCommit = outbox.length > 0 && !acknowledging && localMail();
    while (outboxReady(byCommit)) {
      const event = outbox.shift()!;
      // Nobody is mailed about it (vocabulary.ts): no notification step, one activity and one workflow task
      // less per citizen's e-mail (issue 14, B3). Cases before the patch ran the step, which mailed nobody.
      if (mailsNobody(event) && applied(SILENT_EVENTS_PATCH)) continue;
      await sideEffects.notify(event);
    }
    // what the commits stored and must leave the machine: the regular activity sends it (by its keys)
    while (unsent.length > 0) await sideEffects.send(unsent.shift()!);
  }

  // --- messages ---
  setHandler(caseViewQuery, () => v);
  setHandler(registeredUpdate, async () => {
    await condition(() => registered);
    return v;
  });
  registerCaseHandlers(rt);

  registerInboundHandlers(rt, processed);

  setHandler(calendarChangedSignal, ({ id }) => {
    if (processed.has(id)) return;
    processed.add(id);
    replanRequested = true;
  });

  // --- registration ---
  if (!registered) {
    if (input.registration) {
      // Issue 14: the filing planned this deadline, registered this same view (same function, same
      // instant) and wrote it to the read model at revision 1 before it answered
      // (api/manifestations/filing.ts), and started this run with its search attributes: the commit has
      // nothing to project or upsert.
      v.deadline = input.registration.deadline;
      outbox.push(registerView(v, input, v.deadline, Date.parse(input.registration.at)));
      await commit({ registered: true });
    } else {
      // Runs started before the filing registered (or whose filing could not plan): the filing projected
      // the view at revision 0 and this commit's projection (revision 1) replaces that row.
      v.deadline = await plan('case', v.receivedAt, 0);
      outbox.push(registerView(v, input, v.deadline, Date.now()));
      await commit();
    }
    // The acknowledgement is stored (and logged) in this same workflow task (case-activities.ts), before the
    // `registered` Update is answered: that answer leaves with the task anyway, and no handler runs yet, so
    // the commands keep their order on replay.
    if (applied(LOCAL_NOTIFY_PATCH)) {
      acknowledging = true;
      await drainOutbox();
      acknowledging = false;
    }
    registered = true;
  } else if (input.reopen) {
    v.status = 'in_progress';
    v.reopenCount += 1;
    record('reopened', input.reopen.actor, {
      justification: input.reopen.justification,
      reopenCount: v.reopenCount,
    });
    await replanCase({ restartFrom: new Date().toISOString() });
    await commit();
  }

  // --- main loop: notifications, alarms, re-plans, reopen window, continue-as-new ---
  for (;;) {
    await drainOutbox();
    if (replanRequested) {
      replanRequested = false;
      reopenWindowReadFor = 0;
      const before = dueDates();
      await replanAll();
      const changed = dueDates() !== before;
      // Cases started before this patch committed every re-plan; newer runs only commit real changes.
      if (changed || !applied('replan-commits-only-changes')) {
        record(
          'note_added',
          'system',
          {
            text: 'Prazos recalculados após mudança de calendário ou política.',
            recalculated: true,
            dueAt: v.dueAt,
          },
          'internal',
        );
        await commit();
      }
      continue;
    }
    businessTimed = applied('alarms-at-business-moments');
    const now = Date.now();
    const release = held.filter((h) => h.at <= now);
    if (release.length > 0) {
      for (const h of release) held.splice(held.indexOf(h), 1);
      outbox.push(...release.map((h) => h.event));
      continue;
    }
    const due = alarms().filter((a) => a.at <= now);
    if (due.length > 0) {
      if (businessTimed) await fireAtBusinessMoments(due, now);
      else
        for (const alarm of due) {
          fired.add(alarm.key);
          await alarm.fire();
        }
      refreshSla();
      await commit();
      continue;
    }
    if (closedAt && reopenWindowReadFor !== closedAt && applied('reopen-window-setting')) {
      reopenWindowMs = (await reopenWindowDays()) * DAY;
      reopenWindowReadFor = closedAt;
      continue;
    }
    if (closedAt && now - closedAt >= reopenWindowMs) break;
    const info = workflowInfo();
    if (info.continueAsNewSuggested || (input.historyLimit && info.historyLength > input.historyLimit)) {
      await condition(allHandlersFinished);
      await drainOutbox();
      await continueAsNew<typeof caseWorkflow>({
        ...input,
        reopen: undefined,
        carried: {
          view: v,
          processedMessageIds: [...processed].slice(-MAX_CARRIED_IDS),
          firedAlerts: [...fired].slice(-MAX_CARRIED_IDS),
          failures: sideEffects.carried(),
          ...(held.length ? { heldMail: held } : {}),
        },
      });
    }
    const next = Math.min(
      ...alarms().map((a) => a.at),
      ...held.map((h) => h.at),
      closedAt ? closedAt + reopenWindowMs : Number.POSITIVE_INFINITY,
    );
    const seen = changes;
    // not asked before the run's first wake, so that a registration's own task records no patch marker
    const byCommit = woken && localMail();
    const wake = () => changes !== seen || replanRequested || outboxReady(byCommit) || unsent.length > 0;
    if (byCommit) {
      // One timer per alarm instant: a commit that leaves the next instant where it was (a citizen's
      // reply, a note) neither cancels nor starts one (two events less per commit). Older runs start a
      // new timer at every wake.
      if (alarmTimer?.at !== next) {
        alarmTimer?.scope.cancel();
        alarmTimer = Number.isFinite(next) ? startAlarmTimer(next) : undefined;
      }
      const timer = alarmTimer;
      await condition(() => wake() || timer?.due === true);
      if (timer?.due) alarmTimer = undefined;
    } else if (Number.isFinite(next)) await condition(wake, Math.max(next - Date.now(), 1));
    else await condition(wake);
    woken = true;
  }
  await condition(allHandlersFinished);
  await drainOutbox();
  return v;
}
