// The demo's clustered cases (the combinations of 5+ the transparency page publishes) arrive in one calendar
// month of the year the reports open on, whatever the day the demo is seeded, and never in the future.
import { describe, expect, it } from 'vitest';
import { buildDemoCases } from '../../db/seed-demo.ts';

const spDate = (iso: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Sao_Paulo' }).format(new Date(iso));

function clustered(now: Date) {
  return buildDemoCases(now)
    .filter(({ plan }) => plan.cluster)
    .map(({ demo }) => demo.input.receivedAt!);
}

describe('demo seed dates', () => {
  it.each([
    ['2027-01-01T03:30:00Z', '2027-01'], // 00:30 on 1 January in São Paulo
    ['2027-01-01T14:00:00Z', '2027-01'],
    ['2027-01-05T12:00:00Z', '2027-01'],
    ['2027-01-07T23:00:00Z', '2027-01'],
    ['2026-03-04T12:00:00Z', '2026-02'], // early in another month: the previous month, same year
    ['2026-11-30T12:00:00Z', '2026-11'],
  ])('seeded at %s, the clusters arrive in %s', (at, month) => {
    const now = new Date(at);
    const dates = clustered(now);
    expect(dates.length).toBeGreaterThanOrEqual(10);
    for (const d of dates) {
      expect(spDate(d).slice(0, 7)).toBe(month);
      expect(Date.parse(d)).toBeLessThan(now.getTime());
    }
  });
});
