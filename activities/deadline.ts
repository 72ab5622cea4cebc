// Deadline planning: the legal default (Lei 13.460/2017 art. 16: 30 days, counted per Lei 9.784/1999
// art. 66) on the organisation's business calendar. Pure maths lives in sla/calendar.ts.
import type { Deadline } from '../workflows/messages.ts';
import type { Kind } from '../workflows/vocabulary.ts';
import { type BusinessCalendar, computeDeadline, defaultCalendar } from './sla/calendar.ts';

export type DeadlineRequest = { kind: Kind; receivedAt: string };

export function createDeadlineActivities(opts: { timezone: string }) {
  const calendar = (): BusinessCalendar => ({ ...defaultCalendar(), timezone: opts.timezone });
  return {
    async planDeadline(req: DeadlineRequest): Promise<Deadline> {
      const { dueAt, explanation } = computeDeadline({
        start: req.receivedAt,
        unit: 'calendar_days',
        amount: 30,
        calendar: calendar(),
      });
      return { dueAt, policy: 'Lei 13.460/2017 art. 16 — 30 dias corridos', explanation };
    },
  };
}
