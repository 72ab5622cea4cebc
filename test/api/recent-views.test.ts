// A case page re-read right after a change is answered with the view this process's worker has just
// committed (db/queries/recent-views.ts, issue 14 B3), not by a Query through Temporal — and never with a
// view that is older than RECENT_VIEW_MS, that another process has committed past, or whose commit failed.
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommitActivity } from '../../activities/commit.ts';
import { projectView } from '../../activities/projection.ts';
import { caseChangedPayload } from '../../db/queries/case-events.ts';
import {
  RECENT_VIEW_MS,
  RECENT_VIEWS_MAX,
  recentCommittedView,
  rememberCommittedView,
} from '../../db/queries/recent-views.ts';
import type { CaseView } from '../../workflows/messages.ts';
import { json, newManifestation, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';

let t: TestOuvidor;
let attendant: Awaited<ReturnType<TestOuvidor['createStaff']>>;

beforeAll(async () => {
  t = await startTestOuvidor();
  attendant = await t.createStaff('attendant');
});
afterAll(async () => t?.stop());

const read = (protocol: string) =>
  json<CaseView>(t.app.request(`/api/v1/manifestations/${protocol}`, { headers: attendant.headers }));

/** A case filed and noted through the API (its note's commit leaves its view to this process). */
async function notedCase(): Promise<CaseView> {
  const filed = await json<{ protocol: string }>(
    t.app.request('/api/v1/manifestations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(newManifestation({ subject: 'Buraco na calçada' })),
    }),
  );
  const noted = await json<CaseView>(
    t.app.request(`/api/v1/manifestations/${filed.body.protocol}/actions/note`, {
      method: 'POST',
      headers: attendant.headers,
      body: JSON.stringify({ text: 'Vistoria marcada.' }),
    }),
  );
  expect(noted.status).toBe(200);
  return noted.body;
}

describe('the view a commit leaves to the case page', () => {
  it('answers the re-read after a staff action with that action on the case', async () => {
    const noted = await notedCase();
    expect(recentCommittedView(t.db, noted.protocol)?.revision).toBe(noted.revision);
    const page = await read(noted.protocol);
    expect(page.status).toBe(200);
    expect(page.body.timeline.at(-1)).toMatchObject({ type: 'note_added' });
    expect(page.body.revision).toBe(noted.revision);
  });

  it('is dropped when another process commits the case (its notice names a newer revision)', async () => {
    const noted = await notedCase();
    // what this process would answer from memory, made visibly different from the workflow's view
    rememberCommittedView(t.db, { ...noted, subject: 'vista guardada' });
    expect((await read(noted.protocol)).body.subject).toBe('vista guardada');
    // another worker process projects a later revision of the case: PostgreSQL tells every process
    await projectView(t.db, { ...noted, revision: noted.revision + 1 });
    await expect.poll(() => recentCommittedView(t.db, noted.protocol), { timeout: 5_000 }).toBeUndefined();
    expect((await read(noted.protocol)).body.subject).toBe('Buraco na calçada'); // asked of the workflow
  });

  it('is kept when the notice is of its own commit', async () => {
    const noted = await notedCase();
    await projectView(t.db, noted); // the same revision again (a retried step): notified, not newer
    await new Promise((r) => setTimeout(r, 200));
    expect(recentCommittedView(t.db, noted.protocol)?.revision).toBe(noted.revision);
  });

  it('is dropped by a commit step that failed in any part, so the failure the workflow records is read', async () => {
    const noted = await notedCase();
    const step = createCommitActivity(
      {
        projectCase: async () => {},
        notifyCaseEvent: async () => {
          throw ApplicationFailure.nonRetryable('database refused the data', 'PermanentDataError');
        },
      },
      t.db,
    );
    const out = await step.commitCase({ view: noted, events: [noted.timeline.at(-1)!] });
    expect(out.mail[0]).toMatchObject({ failed: { type: 'PermanentDataError' } });
    expect(recentCommittedView(t.db, noted.protocol)).toBeUndefined();
    expect((await read(noted.protocol)).status).toBe(200); // asked of the workflow
  });

  it('is not kept by a worker that serves no pages (npm run worker)', async () => {
    const view = { protocol: 'OUV-2026-900003', revision: 2 } as CaseView;
    const step = createCommitActivity({
      projectCase: async () => {},
      notifyCaseEvent: async () => ({ pending: 0 }),
    });
    await step.commitCase({ view, events: [] });
    expect(recentCommittedView(t.db, view.protocol)).toBeUndefined();
  });

  it('is never older than RECENT_VIEW_MS, and never shared with its reader', () => {
    const view = { protocol: 'OUV-2026-900001', revision: 4, timeline: [] } as unknown as CaseView;
    rememberCommittedView(t.db, view, 1_000);
    const copy = recentCommittedView(t.db, view.protocol, 1_000 + RECENT_VIEW_MS - 1)!;
    copy.timeline.push({} as never);
    expect(recentCommittedView(t.db, view.protocol, 1_000 + RECENT_VIEW_MS - 1)?.timeline).toEqual([]);
    expect(recentCommittedView(t.db, view.protocol, 1_000 + RECENT_VIEW_MS)).toBeUndefined();
  });

  it('keeps the newer of two views when a retried step finishes late, and at most RECENT_VIEWS_MAX cases', () => {
    const at = Date.now();
    const view = (protocol: string, revision: number) => ({ protocol, revision }) as CaseView;
    rememberCommittedView(t.db, view('OUV-2026-900002', 6), at);
    rememberCommittedView(t.db, view('OUV-2026-900002', 5), at + 1);
    expect(recentCommittedView(t.db, 'OUV-2026-900002', at + 2)?.revision).toBe(6);
    for (let i = 0; i <= RECENT_VIEWS_MAX; i++) rememberCommittedView(t.db, view(`OUV-2026-8${i}`, 1), at);
    expect(recentCommittedView(t.db, 'OUV-2026-900002', at + 2)).toBeUndefined(); // the oldest went first
    expect(recentCommittedView(t.db, `OUV-2026-8${RECENT_VIEWS_MAX}`, at + 2)?.revision).toBe(1);
  });
});

describe('the case_changed notice', () => {
  it('carries the protocol and the revision the projection wrote', () => {
    expect(caseChangedPayload('OUV-2026-000123 7')).toEqual({ protocol: 'OUV-2026-000123', revision: 7 });
    expect(caseChangedPayload('OUV-2026-000123')).toEqual({
      protocol: 'OUV-2026-000123',
      revision: undefined,
    });
  });
});
