// Routing rules (issue 10 item 2): a rule matches when every field it sets equals the case's; the rule
// setting the most fields wins (db/queries/routing.ts ruleScore, used by routeCase and the re-route).
import { describe, expect, it } from 'vitest';
import { ruleScore } from '../../db/queries/routing.ts';

const rule = (over: Partial<Parameters<typeof ruleScore>[0]>) => ({
  kind: null,
  topicCode: null,
  itemCode: null,
  channel: null,
  ...over,
});
const pothole = { kind: 'complaint', topic: 'obras-vias', item: 'buraco-via', channel: 'web' };

describe('routing rule score', () => {
  it('counts the fields a matching rule sets', () => {
    expect(ruleScore(rule({ kind: 'complaint' }), pothole)).toBe(1);
    expect(ruleScore(rule({ topicCode: 'obras-vias', itemCode: 'buraco-via' }), pothole)).toBe(2);
    expect(ruleScore(rule({ kind: 'complaint', topicCode: 'obras-vias', channel: 'web' }), pothole)).toBe(3);
  });

  it('refuses a rule when one field it sets differs, or the case lacks it', () => {
    expect(ruleScore(rule({ kind: 'praise' }), pothole)).toBe(-1);
    expect(ruleScore(rule({ topicCode: 'obras-vias', channel: 'phone' }), pothole)).toBe(-1);
    expect(ruleScore(rule({ itemCode: 'calcada' }), { kind: 'complaint', topic: null, item: null })).toBe(-1);
  });

  it('a rule that sets nothing matches everything with score 0 (the schemas refuse such a rule)', () => {
    expect(ruleScore(rule({}), pothole)).toBe(0);
  });
});
