// The case views this process's worker has just committed (issue 14, B3). When a case changes, every page
// showing it hears of it (the projection's NOTIFY, case-events.ts) and reads the case again, at once: that
// read is answered from here instead of by a Query round trip through Temporal and the case's workflow
// (a third of a citizen's reply by e-mail, measured). Anything not answered here is asked of the workflow,
// as before (api/manifestations/service.ts getCaseView).
//
// What is kept, and for how long:
// - only a view whose commit step went through whole (its projection written, its mail stored: the commit
//   activity, activities/commit.ts, or the projection activity of older runs); a commit that failed in any
//   part drops the case's entry, so the failure the workflow records next is read from the workflow;
// - for RECENT_VIEW_MS after that commit — a view is never older than that;
// - until another commit of the case is heard of: a notice whose revision is not this entry's drops it
//   (another worker process, or a run an operator reset).
// An embedded server is its own worker, so its pages get these; a server beside `npm run worker` never
// remembers a view and always asks the workflow.
import type { CaseView } from '../../workflows/messages.ts';
import type { Database } from '../client.ts';
import type { CaseEvents } from './case-events.ts';

/** How long after its commit a view is answered from memory (ms). */
export const RECENT_VIEW_MS = 2_000;
/** How many cases' views a process keeps at most (the oldest are dropped first). */
export const RECENT_VIEWS_MAX = 500;

type Entry = { view: CaseView; at: number };
const byDatabase = new WeakMap<Database, Map<string, Entry>>();

function entries(db: Database): Map<string, Entry> {
  let map = byDatabase.get(db);
  if (!map) {
    map = new Map();
    byDatabase.set(db, map);
  }
  return map;
}

/**
 * Keeps `view` as its case's latest committed view (called after the commit step went through whole). A view
 * older than the one kept (a retried step finishing late) is ignored while the kept one is fresh.
 */
export function rememberCommittedView(db: Database, view: CaseView, now = Date.now()): void {
  const map = entries(db);
  const kept = map.get(view.protocol);
  if (kept && kept.view.revision > view.revision && now - kept.at < RECENT_VIEW_MS) return;
  map.delete(view.protocol); // re-inserted: the oldest entries are dropped first
  map.set(view.protocol, { view, at: now });
  if (map.size > RECENT_VIEWS_MAX) map.delete(map.keys().next().value as string);
}

/** Drops a case's kept view (its commit failed in some part, or another commit was heard of). */
export function forgetCommittedView(db: Database, protocol: string): void {
  byDatabase.get(db)?.delete(protocol);
}

/**
 * A copy of the case's view committed less than RECENT_VIEW_MS ago in this process, or undefined (ask the
 * workflow). The copy is the caller's to change.
 */
export function recentCommittedView(db: Database, protocol: string, now = Date.now()): CaseView | undefined {
  const map = byDatabase.get(db);
  const kept = map?.get(protocol);
  if (!kept) return undefined;
  if (now - kept.at >= RECENT_VIEW_MS) {
    map!.delete(protocol);
    return undefined;
  }
  return structuredClone(kept.view);
}

/**
 * Drops a kept view when a commit of another revision of its case is heard of (every projection notifies
 * `protocol` and `revision`: case-events.ts). Returns the unsubscribe function.
 */
export function forgetOnOtherCommits(db: Database, events: CaseEvents): () => void {
  return events.subscribe((protocol, revision) => {
    const kept = byDatabase.get(db)?.get(protocol);
    if (kept && kept.view.revision !== revision) forgetCommittedView(db, protocol);
  });
}
