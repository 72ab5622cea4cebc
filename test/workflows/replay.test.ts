// Every committed history must replay on the current workflow code: a change that would break running
// cases fails here (guard it with patched() and record a new history; see test/support/record-histories.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { fixtureDataConverter } from '../support/fixture-payload-key.ts';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {}

const dir = new URL('../fixtures/histories/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('replay of committed histories', () => {
  it('has histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  it.each(files)('%s replays without non-determinism', async (file) => {
    const history = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
    await expect(
      Worker.runReplayHistory(
        { workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: fixtureDataConverter },
        history,
        file,
      ),
    ).resolves.toBeUndefined();
  });

  it('keeps replaying cases that re-planned before the patch, and newer ones carry the patch marker', () => {
    type Event = {
      markerRecordedEventAttributes?: {
        markerName: string;
        details: Record<string, { payloads: Array<{ data: string }> }>;
      };
    };
    const patches = (f: string) =>
      (JSON.parse(readFileSync(new URL(f, dir), 'utf8')).events as Event[])
        .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
        .map(
          (e) =>
            JSON.parse(
              Buffer.from(
                e.markerRecordedEventAttributes!.details['patch-data']!.payloads[0]!.data,
                'base64',
              ).toString(),
            ).id,
        );
    expect(readFileSync(new URL('v2-reopened-archived.json', dir), 'utf8')).toContain('calendarChanged');
    expect(patches('v2-reopened-archived.json')).toEqual([]);
    expect(patches('v3-calendar-unchanged.json')).toEqual(['replan-commits-only-changes']);
    // unverified mail kept as "não verificada" (workflows/case-inbound.ts) is behind its own patch
    expect(patches('v6-unverified-mail.json')).toContain('unverified-mail');
    // the acknowledgement stored and logged in the registration's task (workflows/case-activities.ts)
    expect(patches('v8-received.json')).toContain('acknowledgement-in-registration-task');
    expect(patches('v7-received.json')).not.toContain('acknowledgement-in-registration-task');
    // a citizen's e-mail runs no mail step for its `email_received` copy (nobody is mailed about it)
    expect(patches('v9-mail-approved.json')).toContain('no-mail-step-for-silent-events');
    expect(patches('v8-approved.json')).not.toContain('no-mail-step-for-silent-events');
    // every later event's mail stored in its own workflow task (case-activities.ts), in runs born before it too
    expect(patches('v11-approved.json')).toEqual(['notifications-in-event-task']);
    expect(patches('v10-approved.json')).toEqual([]);
  });

  it('a case registered by its filing records no patch marker, and its registration task upserts nothing', () => {
    type Event = { markerRecordedEventAttributes?: { markerName: string }; eventType: string };
    const events = (f: string) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')).events as Event[];
    for (const f of files.filter((x) => x.startsWith('v10-')))
      expect(events(f).filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')).toEqual(
        [],
      );
    // started, its registration task, the acknowledgement's marker and the alarm's timer (and the recorder's
    // `registered` Update): no planning or projection marker, no search-attribute upsert
    expect(events('v10-received.json').map((e) => e.eventType)).toEqual([
      'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED',
      'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED',
      'EVENT_TYPE_WORKFLOW_TASK_STARTED',
      'EVENT_TYPE_WORKFLOW_TASK_COMPLETED',
      'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED',
      'EVENT_TYPE_MARKER_RECORDED',
      'EVENT_TYPE_TIMER_STARTED',
      'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED',
    ]);
    expect(events('v8-received.json').length).toBeGreaterThan(12);
  });

  it('a run born with the code generation asks no patch, so a task split by a slow local activity replays (v12)', async () => {
    // Recorded by the bench's soak (PGlite, the machine saturated): a case opened by e-mail, its citizen's
    // message in the first workflow task. The acknowledgement's local activity outlasted that task: the
    // worker completed it with the activity's marker and went on in a new task (no new event), where the
    // message's commit ran. On replay the marker resolves the activity within the first task, so the code
    // after it runs a task earlier than it was recorded.
    type Event = {
      eventId: string;
      eventType: string;
      markerRecordedEventAttributes?: { markerName: string };
    };
    const split = (f: string, d = dir) => {
      const events = JSON.parse(readFileSync(new URL(f, d), 'utf8')).events as Event[];
      return events.some(
        (e, i) =>
          e.markerRecordedEventAttributes?.markerName === 'core_local_activity' &&
          events[i + 1]?.eventType === 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED' &&
          events[i - 1]?.eventType === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED',
      );
    };
    const refusedDir = new URL('../fixtures/histories-refused/', import.meta.url);
    const lazy = 'v11-patch-asked-after-task-split.json';
    expect(split(lazy, refusedDir)).toBe(true);
    expect(split('v12-task-split-by-local-activity.json')).toBe(true);
    // As recorded (a run started before generations: CaseInput.born absent), the patch asked after the
    // activity was answered in the second task: replayed, it is asked in the first, finds no marker there,
    // and the case is stuck (workflows/versions.ts).
    const recorded = JSON.parse(readFileSync(new URL(lazy, refusedDir), 'utf8'));
    expect(JSON.stringify(recorded)).toContain('core_patch');
    await expect(
      Worker.runReplayHistory(
        { workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: fixtureDataConverter },
        recorded,
        lazy,
      ),
    ).rejects.toThrow(/patch marker encountered for change notifications-in-event-task/);
    // The same case born with the generation (CaseInput.born = 2): no marker, and it replays (the loop
    // above replays every file of test/fixtures/histories).
    const born = readFileSync(new URL('v12-task-split-by-local-activity.json', dir), 'utf8');
    expect(born).not.toContain('core_patch');
  });

  it('since v11 an event is mailed in its own workflow task, the regular activity only for what leaves the machine', () => {
    type Event = {
      eventType: string;
      activityTaskScheduledEventAttributes?: { activityType: { name: string } };
      markerRecordedEventAttributes?: {
        markerName: string;
        details: Record<string, { payloads: Array<{ data: string }> }>;
      };
    };
    const events = (f: string) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')).events as Event[];
    const mailSteps = (f: string) =>
      events(f).filter((e) => e.activityTaskScheduledEventAttributes?.activityType.name === 'notifyCaseEvent')
        .length;
    // v10: one regular activity (and one more workflow task) per mailed event; v11: only the two answers,
    // whose messages the recorder says must leave the machine (test/support/record-histories.ts)
    expect(mailSteps('v10-approved.json')).toBe(11);
    expect(mailSteps('v11-approved.json')).toBe(2);
    // In the concurrent history several Updates ran in one workflow task; their local activities went one
    // at a time, in the order they were asked for (case-activities.ts), and it replays (above).
    let together = 0;
    let run = 0;
    for (const e of events('v11-concurrent.json')) {
      run = e.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED' ? run + 1 : 0;
      together = Math.max(together, run);
    }
    expect(together).toBeGreaterThanOrEqual(2);
    const seqs = events('v11-concurrent.json')
      .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')
      .map(
        (e) =>
          JSON.parse(
            Buffer.from(
              e.markerRecordedEventAttributes!.details.data!.payloads[0]!.data,
              'base64',
            ).toString(),
          ).seq as number,
      );
    expect(seqs.length).toBeGreaterThan(10);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('detects a history that does not match the code', async () => {
    const history = JSON.parse(readFileSync(new URL('v2-approved.json', dir), 'utf8'));
    // Pretend the workflow scheduled a different activity first: replay must refuse it.
    const scheduled = history.events.find(
      (e: { activityTaskScheduledEventAttributes?: unknown }) => e.activityTaskScheduledEventAttributes,
    );
    scheduled.activityTaskScheduledEventAttributes.activityType.name = 'somethingElse';
    await expect(
      Worker.runReplayHistory(
        { workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: fixtureDataConverter },
        history,
        'tampered',
      ),
    ).rejects.toThrow();
  });
});
