// Routing of a case to an attendant group (issue 10 item 2): evaluated when a case is registered and when
// it is reclassified, never on projection, so a rule edit does not move cases until they are reclassified.
import { eq } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { attendantGroups, routingRules } from '../schema.ts';
import { cachedReference } from './reference-cache.ts';

/** What routing looks at: the case's legal kind, catalogue topic and item, and its intake channel. */
export type RoutingFacts = {
  kind: string;
  topic?: string | null | undefined;
  item?: string | null | undefined;
  channel?: string | null | undefined;
};

type Rule = {
  kind: string | null;
  topicCode: string | null;
  itemCode: string | null;
  channel: string | null;
};

/** How many fields a rule sets, or -1 when one of them does not match the facts. */
export function ruleScore(rule: Rule, f: RoutingFacts): number {
  const pairs: [string | null, string | null | undefined][] = [
    [rule.kind, f.kind],
    [rule.topicCode, f.topic],
    [rule.itemCode, f.item],
    [rule.channel, f.channel],
  ];
  let score = 0;
  for (const [want, have] of pairs) {
    if (want === null) continue;
    if (want !== have) return -1;
    score++;
  }
  return score;
}

/** A routing rule of an active group, as `chooseGroup` weighs it. */
export type ActiveRule = Rule & { groupCode: string; position: number };

/** The rules of the active attendant groups (one query; callers routing many cases load them once). */
export function activeRules(db: Database): Promise<ActiveRule[]> {
  return db
    .select({
      groupCode: routingRules.groupCode,
      kind: routingRules.kind,
      topicCode: routingRules.topicCode,
      itemCode: routingRules.itemCode,
      channel: routingRules.channel,
      position: routingRules.position,
    })
    .from(routingRules)
    .innerJoin(attendantGroups, eq(attendantGroups.code, routingRules.groupCode))
    .where(eq(attendantGroups.active, true));
}

/**
 * Among `rules` that match (every field the rule sets equals the case's), the one that sets the most fields
 * wins; ties go to the lowest position. Returns the group code, or null when no rule matches.
 */
export function chooseGroup(rules: ActiveRule[], facts: RoutingFacts): string | null {
  let best: { code: string; score: number; position: number } | null = null;
  for (const r of rules) {
    const score = ruleScore(r, facts);
    if (score < 0) continue;
    if (!best || score > best.score || (score === best.score && r.position < best.position))
      best = { code: r.groupCode, score, position: r.position };
  }
  return best?.code ?? null;
}

/** The group whose queue the case lands in (`chooseGroup` over the active rules), or null. */
export async function routeCase(db: Database, facts: RoutingFacts): Promise<string | null> {
  // every filing routes: the rules come from the reference cache (an admin's edit drops it)
  return chooseGroup(await cachedReference(db, 'routing.activeRules', () => activeRules(db)), facts);
}
