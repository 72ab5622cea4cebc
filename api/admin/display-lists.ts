// The administered display lists (issue 10 item 5) as label overrides for the views: status display
// names and priority labels per language, the rating questions and score labels. Cached per database
// for a few seconds (an edit here clears it at once; other processes follow within DISPLAY_LISTS_TTL_MS)
// so rendering stays synchronous. Keys: `status.<code>`, `priority.<code>`, `rating.<stage>.question`,
// `rating.<stage>.label.<1..5>`; the built-in labels (views/labels) stay the fallback.
import { createMiddleware } from 'hono/factory';
import type { Database } from '../../db/client.ts';
import {
  listPriorityLabels,
  listRatingScales,
  listStatusLabels,
  type PriorityLabelRow,
} from '../../db/queries/catalogue.ts';
import { type Priority, priorities } from '../../workflows/vocabulary.ts';
import type { AppEnv } from '../types.ts';

export const DISPLAY_LISTS_TTL_MS = 10_000;

type Overlay = { 'pt-BR': Record<string, string>; en: Record<string, string> };
type Cached = { at: number; overlay: Overlay; priorities: PriorityLabelRow[] };

const cache = new WeakMap<Database, Cached>();
let generation = 0;
const loadedAt = new WeakMap<Database, number>();

/** Forget every cached list (after an admin edit). */
export function invalidateDisplayLists() {
  generation++;
}

/** Loads the lists when missing, stale or invalidated; a database error keeps the last copy (logged). */
export async function loadDisplayLists(db: Database): Promise<Cached | undefined> {
  const had = cache.get(db);
  if (had && Date.now() - had.at < DISPLAY_LISTS_TTL_MS && loadedAt.get(db) === generation) return had;
  try {
    const [priorities, statuses, ratings] = await Promise.all([
      listPriorityLabels(db),
      listStatusLabels(db),
      listRatingScales(db),
    ]);
    const overlay: Overlay = { 'pt-BR': {}, en: {} };
    for (const p of priorities) {
      overlay['pt-BR'][`priority.${p.code}`] = p.labelPt;
      overlay.en[`priority.${p.code}`] = p.labelEn;
    }
    for (const s of statuses) {
      overlay['pt-BR'][`status.${s.code}`] = s.labelPt;
      overlay.en[`status.${s.code}`] = s.labelEn;
    }
    for (const r of ratings) {
      overlay['pt-BR'][`rating.${r.stage}.question`] = r.questionPt;
      overlay.en[`rating.${r.stage}.question`] = r.questionEn;
      r.labelsPt.forEach((l, i) => {
        overlay['pt-BR'][`rating.${r.stage}.label.${i + 1}`] = l;
      });
      r.labelsEn.forEach((l, i) => {
        overlay.en[`rating.${r.stage}.label.${i + 1}`] = l;
      });
    }
    const fresh = { at: Date.now(), overlay, priorities };
    cache.set(db, fresh);
    loadedAt.set(db, generation);
    return fresh;
  } catch (err) {
    console.warn(`display lists: kept the last copy (${String(err)})`);
    return had;
  }
}

/** The overrides for a language from the cached copy (empty before the first load). */
export function displayOverlay(db: Database, lang: string): Record<string, string> {
  const c = cache.get(db);
  if (!c) return {};
  return lang === 'en' ? c.overlay.en : c.overlay['pt-BR'];
}

/** Priority codes in the administered order, with their colours (empty before the first load). */
export function priorityDisplay(db: Database): PriorityLabelRow[] {
  return cache.get(db)?.priorities ?? [];
}

/** Refreshes the cached lists before a page renders. */
export const displayListsMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.req.path.startsWith('/api/')) await loadDisplayLists(c.var.deps.db);
  await next();
});

/** The four priority codes in the administered display order (vocabulary order before the first load). */
export function priorityOrder(db: Database): Priority[] {
  const rows = priorityDisplay(db);
  return rows.length ? (rows.map((r) => r.code) as Priority[]) : [...priorities];
}
