/**
 * The shapes of a business calendar (DESIGN.md §3), shared by the day layer (holidays.ts) and the
 * deadline maths (calendar.ts, which re-exports them). Types only.
 */
export type TimeSegment = { start: string; end: string }; // 'HH:MM', end exclusive, end may be '24:00'
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7; // ISO: 1 = Monday .. 7 = Sunday
export type WeeklyHours = Record<Weekday, TimeSegment[]>;
export type CalendarOverride = {
  date: string; // YYYY-MM-DD
  kind: 'holiday' | 'workday';
  name: string;
  hours?: TimeSegment[];
};
export type BusinessCalendar = {
  timezone: string;
  workingHours: WeeklyHours;
  overtimeHours?: WeeklyHours;
  country: 'BR';
  state?: string;
  overrides: CalendarOverride[];
};
