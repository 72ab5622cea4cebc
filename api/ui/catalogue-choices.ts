// The catalogue as form choices (issue 10 item 4): topics grouped by legal kind and items grouped by
// topic, active entries only, plus the codes a case already carries (kept even if deactivated since).
import type { Context } from 'hono';
import type { Database } from '../../db/client.ts';
import { labelOf, listItems, listTopics } from '../../db/queries/catalogue.ts';
import { translator } from '../../views/i18n.ts';
import { kinds } from '../../workflows/vocabulary.ts';
import type { AppEnv } from '../types.ts';
import { languageOf } from './render.ts';

export type Choice = { value: string; label: string };
export type ChoiceGroup = { label: string; options: Choice[] };
export type CatalogueChoices = {
  topics: ChoiceGroup[];
  items: ChoiceGroup[];
  /** code → label of every topic and item (active or not), for showing what a case carries */
  labels: Record<string, string>;
};

/**
 * Topic and item choices in `lang`; `kindLabel` names the optgroup of each kind. `keep`: codes shown even
 * when inactive (a case's current topic/item).
 */
export async function catalogueChoices(
  db: Database,
  lang: string,
  kindLabel: (kind: string) => string,
  keep: { topic?: string | null; item?: string | null } = {},
): Promise<CatalogueChoices> {
  const allTopics = await listTopics(db);
  const allItems = await listItems(db);
  const labels: Record<string, string> = {};
  for (const r of [...allTopics, ...allItems]) labels[r.code] = labelOf(r, lang);
  const topicOk = (t: { code: string; active: boolean }) => t.active || t.code === keep.topic;
  const topics = kinds
    .map((k) => ({
      label: kindLabel(k),
      options: allTopics
        .filter((t) => t.kind === k && topicOk(t))
        .map((t) => ({ value: t.code, label: labelOf(t, lang) })),
    }))
    .filter((g) => g.options.length);
  const items = allTopics
    .filter(topicOk)
    .map((t) => ({
      label: labelOf(t, lang),
      options: allItems
        .filter((i) => i.topicCode === t.code && (i.active || i.code === keep.item))
        .map((i) => ({ value: i.code, label: labelOf(i, lang) })),
    }))
    .filter((g) => g.options.length);
  return { topics, items, labels };
}

/** The choices for a form rendered in the request's language. */
export async function formCatalogue(
  c: Context<AppEnv>,
  keep: { topic?: string | null; item?: string | null } = {},
) {
  const lang = languageOf(c);
  const t = translator(lang);
  return catalogueChoices(c.var.deps.db, lang, (k) => t(`kind.${k}`, k), keep);
}
