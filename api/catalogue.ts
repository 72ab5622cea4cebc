// REST: GET /api/v1/catalogue (public, rate-limited) — the active topics of each legal kind and their
// active items/services: the codes `topic` and `item` of POST /api/v1/manifestations accept (issue 10).
import { Hono } from 'hono';
import { listItems, listTopics } from '../db/queries/catalogue.ts';
import { kinds } from '../workflows/vocabulary.ts';
import { limit } from './rate-limit.ts';
import type { AppEnv } from './types.ts';

export const catalogueRoutes = new Hono<AppEnv>();

catalogueRoutes.get('/', limit('catalogue', 120), async (c) => {
  const db = c.var.deps.db;
  const [topics, items] = await Promise.all([
    listTopics(db, { activeOnly: true }),
    listItems(db, { activeOnly: true }),
  ]);
  const label = (r: { code: string; labelPt: string; labelEn: string }) => ({
    code: r.code,
    labelPt: r.labelPt,
    labelEn: r.labelEn,
  });
  return c.json({
    kinds: kinds.map((kind) => ({
      kind,
      topics: topics
        .filter((t) => t.kind === kind)
        .map((t) => ({ ...label(t), items: items.filter((i) => i.topicCode === t.code).map(label) })),
    })),
  });
});
