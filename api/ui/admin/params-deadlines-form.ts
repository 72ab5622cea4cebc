// Form fields of Prazos e calendários → the REST bodies (the same zod schemas validate both doors), and
// back: a stored policy or calendar → the values a form shows.
import type { WeeklyHours } from '../../../activities/sla/calendar.ts';
import type { CalendarRow, SlaPolicyRow } from '../../../db/queries/sla.ts';
import type { FieldErrors } from '../../errors.ts';

export type Form = Record<string, unknown>;
const str = (f: Form, k: string) => (typeof f[k] === 'string' ? (f[k] as string).trim() : '');
/** '12' → 12; anything else stays text, so the schema answers "informe um número". */
const num = (v: string) => (/^-?\d+$/.test(v) ? Number(v) : v === '' ? undefined : v);
const orNull = (v: string) => (v === '' ? null : v);

export const dayNumbers = ['1', '2', '3', '4', '5', '6', '7'] as const;

/** Policy form → body for newPolicySchema / policyPatchSchema ('' = any kind/item/priority). */
export function policyFromForm(f: Form, opts: { create: boolean }): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: str(f, 'name'),
    scope: str(f, 'scope'),
    kind: orNull(str(f, 'kind')),
    topic: orNull(str(f, 'topic')),
    item: orNull(str(f, 'item')),
    priority: orNull(str(f, 'priority')),
    unit: str(f, 'unit'),
    amount: num(str(f, 'amount')) ?? '',
    extensionAmount: num(str(f, 'extensionAmount')) ?? 0,
    maxExtensions: num(str(f, 'maxExtensions')) ?? 0,
    complementation: str(f, 'complementation') || 'interrupt_once',
    extensionFrom: str(f, 'extensionFrom') || 'deadline',
    allowLateExtension: str(f, 'allowLateExtension') === 'on',
    includeOvertime: str(f, 'includeOvertime') === 'on',
    calendarId: str(f, 'calendarId') || 'default',
  };
  if (!opts.create) body.active = str(f, 'active') === 'on';
  return body;
}

export const policyValues = (row: SlaPolicyRow) => ({
  ...row,
  kind: row.kind ?? '',
  item: row.item ?? '',
  topic: row.topic ?? '',
  priority: row.priority ?? '',
});

/** "08:00-12:00, 13:00-17:00" → segments; null when a part does not read as HH:MM-HH:MM. */
export function parseSegments(text: string): Array<{ start: string; end: string }> | null {
  if (!text.trim()) return [];
  const out: Array<{ start: string; end: string }> = [];
  for (const part of text.split(/[,;]/)) {
    const m = /^\s*(\d{1,2}:\d{2})\s*[-–—a]\s*(\d{1,2}:\d{2})\s*$/.exec(part);
    if (!m) return null;
    const pad = (hm: string) => hm.padStart(5, '0');
    out.push({ start: pad(m[1] as string), end: pad(m[2] as string) });
  }
  return out;
}

export const formatSegments = (segments: Array<{ start: string; end: string }> | undefined) =>
  (segments ?? []).map((s) => `${s.start}-${s.end}`).join(', ');

/** Calendar form → body for calendarBodySchema, plus the fields that did not parse. */
export function calendarFromForm(f: Form): { body: Record<string, unknown>; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const week = (prefix: 'workingHours' | 'overtimeHours') => {
    const out: Record<string, unknown> = {};
    for (const d of dayNumbers) {
      const parsed = parseSegments(str(f, `${prefix}.${d}`));
      if (parsed === null)
        errors[`${prefix}.${d}`] = ['Use HH:MM-HH:MM, separados por vírgula (ex.: 08:00-12:00, 13:00-17:00)'];
      else if (parsed.length) out[d] = parsed;
    }
    return out;
  };
  const workingHours = week('workingHours');
  const overtime = week('overtimeHours');
  const body: Record<string, unknown> = {
    name: str(f, 'name'),
    timezone: str(f, 'timezone'),
    state: orNull(str(f, 'state')),
    workingHours,
    overtimeHours: Object.keys(overtime).length ? overtime : null,
  };
  return { body, errors };
}

export const calendarValues = (row: CalendarRow) => {
  const v: Record<string, string> = { name: row.name, timezone: row.timezone, state: row.state ?? '' };
  for (const d of dayNumbers) {
    const key = Number(d) as keyof WeeklyHours;
    v[`workingHours.${d}`] = formatSegments(row.workingHours[key]);
    v[`overtimeHours.${d}`] = formatSegments(row.overtimeHours?.[key]);
  }
  return v;
};

/** Field errors of nested paths shown on the field that holds them ('workingHours.1.0.end' → 'workingHours.1'). */
export function collapseErrors(fields: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, msgs] of Object.entries(fields)) {
    const m = /^(workingHours|overtimeHours)\.(\d)/.exec(k);
    const key = m ? `${m[1]}.${m[2]}` : k.split('.')[0] === 'hours' ? 'hours' : k;
    out[key] = [...(out[key] ?? []), ...msgs];
  }
  return out;
}
