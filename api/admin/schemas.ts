// Request schemas (zod, pt-BR messages) for the admin REST of calendars and deadline policies; also the
// source of adminOpenApiPaths. Checks that need the stored row (a partial PUT) are the `check*` helpers.
import Holidays from 'date-holidays';
import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';
import type { TimeSegment, WeeklyHours } from '../../activities/sla/calendar.ts';
import { kinds, priorities } from '../../workflows/vocabulary.ts';
import type { FieldErrors } from '../errors.ts';
import { codeString, textString } from '../text.ts';

export const scopes = ['case', 'unit', 'complementation', 'auto_close'] as const;
export const deadlineUnits = ['calendar_days', 'business_days', 'business_hours'] as const;
export const weekdays = ['1', '2', '3', '4', '5', '6', '7'] as const;
const WEEKDAY_LABELS = ['segunda', 'terça', 'quarta', 'quinta', 'sexta', 'sábado', 'domingo'];
export const brazilianStates = Object.keys(new Holidays('BR').getStates('BR') ?? {});

const strict = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys' ? `Campo(s) desconhecido(s): ${iss.keys.join(', ')}` : undefined,
  });

export const idSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,62}$/,
    'Identificador inválido: use letras minúsculas, números, "-" ou "_" (até 63)',
  );

// ---------- time segments ----------
const toMinutes = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));

export const segmentSchema = z
  .object({
    start: z
      .string({ error: 'Informe o início (HH:MM)' })
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Horário inválido: use HH:MM, de 00:00 a 23:59'),
    end: z
      .string({ error: 'Informe o fim (HH:MM)' })
      .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'Horário inválido: use HH:MM, até 24:00'),
  })
  .refine((s) => toMinutes(s.start) < toMinutes(s.end), {
    message: 'O início deve ser anterior ao fim',
    path: ['end'],
  });

/** Issues for segments that overlap each other (reported on the later one). */
function overlaps(
  segments: TimeSegment[],
  others: TimeSegment[] = [],
): Array<{ index: number; message: string }> {
  const out: Array<{ index: number; message: string }> = [];
  segments.forEach((s, i) => {
    const earlier = [...segments.slice(0, i), ...others];
    const hit = earlier.find(
      (o) => toMinutes(s.start) < toMinutes(o.end) && toMinutes(o.start) < toMinutes(s.end),
    );
    if (hit)
      out.push({
        index: i,
        message: `O intervalo ${s.start}–${s.end} se sobrepõe a ${hit.start}–${hit.end}${
          others.includes(hit) ? ' do expediente normal' : ''
        }`,
      });
  });
  return out;
}

export const segmentsSchema = z
  .array(segmentSchema, { error: 'Informe uma lista de intervalos {start, end}' })
  .max(12, 'No máximo 12 intervalos por dia')
  .superRefine((segments, ctx) => {
    for (const { index, message } of overlaps(segments))
      ctx.addIssue({ code: 'custom', path: [index], message });
  });

export const weeklyHoursSchema = z
  .strictObject(
    Object.fromEntries(weekdays.map((d) => [d, segmentsSchema.optional()])) as Record<
      (typeof weekdays)[number],
      z.ZodOptional<typeof segmentsSchema>
    >,
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys'
          ? `Dia da semana inválido (${iss.keys.join(', ')}): use "1" (segunda) a "7" (domingo)`
          : 'Informe os horários por dia da semana: {"1": [{"start": "08:00", "end": "12:00"}], ...}',
    },
  )
  .transform((w) => Object.fromEntries(weekdays.map((d) => [d, w[d] ?? []])) as unknown as WeeklyHours);

// ---------- calendars ----------
const isTimeZone = (tz: string) => {
  try {
    Temporal.Now.zonedDateTimeISO(tz);
    return true;
  } catch {
    return false;
  }
};

export const calendarBodySchema = strict({
  name: textString().trim().min(2, 'Nome muito curto').max(200, 'Nome muito longo').optional(),
  timezone: codeString()
    .max(100)
    .refine(isTimeZone, 'Fuso horário desconhecido (use um nome IANA, ex.: America/Sao_Paulo)')
    .optional(),
  workingHours: weeklyHoursSchema.optional(),
  overtimeHours: weeklyHoursSchema.nullable().optional(),
  state: codeString()
    .max(10)
    .transform((s) => s.trim().toUpperCase())
    .refine((s) => brazilianStates.includes(s), 'UF desconhecida (ex.: SP, RJ, MG)')
    .nullable()
    .optional(),
});
export type CalendarBody = z.infer<typeof calendarBodySchema>;

/** Whole-calendar checks after merging a partial PUT with the stored row. */
export function checkCalendar(c: {
  workingHours: WeeklyHours;
  overtimeHours: WeeklyHours | null;
}): FieldErrors {
  const fields: FieldErrors = {};
  const add = (key: string, message: string) => {
    fields[key] = [...(fields[key] ?? []), message];
  };
  if (!weekdays.some((d) => (c.workingHours[Number(d) as keyof WeeklyHours] ?? []).length))
    add('workingHours', 'O expediente precisa ter ao menos um dia com horário');
  if (c.overtimeHours)
    for (const d of weekdays) {
      const key = Number(d) as keyof WeeklyHours;
      for (const { index, message } of overlaps(c.overtimeHours[key] ?? [], c.workingHours[key] ?? []))
        add(`overtimeHours.${d}.${index}`, `${message} (${WEEKDAY_LABELS[key - 1]})`);
    }
  return fields;
}

export const dateParamSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Data inválida: use AAAA-MM-DD')
  .refine((s) => {
    try {
      const d = Temporal.PlainDate.from(s, { overflow: 'reject' });
      return d.year >= 2000 && d.year <= 2100;
    } catch {
      return false;
    }
  }, 'Data inexistente ou fora do intervalo 2000–2100');

export const overrideBodySchema = strict({
  kind: z.enum(['holiday', 'workday'], {
    error: 'Informe o tipo: holiday (feriado/fechamento) ou workday (dia de expediente)',
  }),
  name: textString({ error: 'Informe o nome (ex.: Aniversário da cidade)' })
    .trim()
    .min(2, 'Nome muito curto')
    .max(200, 'Nome muito longo'),
  hours: segmentsSchema.min(1, 'Informe ao menos um intervalo ou omita o campo').nullable().optional(),
}).superRefine((o, ctx) => {
  if (o.kind === 'holiday' && o.hours)
    ctx.addIssue({
      code: 'custom',
      path: ['hours'],
      message: 'Feriado não tem horário; para expediente reduzido use kind "workday" com hours',
    });
});
export type OverrideBody = z.infer<typeof overrideBodySchema>;

// ---------- policies ----------
const whole = (label: string, min: number) =>
  z
    .number({ error: `${label}: informe um número` })
    .int(`${label}: informe um número inteiro`)
    .min(min, min > 0 ? `${label} deve ser maior que zero` : `${label} não pode ser negativo`)
    .max(3650, `${label}: no máximo 3650`);

const policyShape = {
  name: textString({ error: 'Nome é obrigatório' })
    .trim()
    .min(3, 'Nome muito curto')
    .max(200, 'Nome muito longo'),
  scope: z.enum(scopes, {
    error: 'Escopo inválido: case, unit, complementation ou auto_close',
  }),
  kind: z.enum(kinds, { error: 'Tipo de manifestação inválido' }).nullable().optional(),
  item: textString()
    .trim()
    .min(1, 'Assunto/serviço vazio: use null para "qualquer"')
    .max(200)
    .nullable()
    .optional(),
  priority: z
    .enum(priorities, { error: 'Prioridade inválida: low, normal, high ou urgent' })
    .nullable()
    .optional(),
  topic: codeString().trim().min(1, 'Assunto vazio: use null para "qualquer"').max(100).nullable().optional(),
  unit: z.enum(deadlineUnits, {
    error: 'Unidade inválida: calendar_days, business_days ou business_hours',
  }),
  amount: whole('O prazo', 1),
  warningPoints: z
    .array(
      z
        .number({ error: 'Informe frações entre 0 e 1' })
        .gt(0, 'Cada alerta deve ser maior que 0')
        .lt(1, 'Cada alerta deve ser menor que 1 (ex.: 0.5 = 50% do prazo)'),
    )
    .max(10, 'No máximo 10 alertas')
    .refine(
      (a) => a.every((v, i) => i === 0 || v > (a[i - 1] as number)),
      'Alertas em ordem crescente, sem repetição',
    ),
  extensionAmount: whole('A prorrogação', 0),
  maxExtensions: z
    .number({ error: 'Informe um número' })
    .int('Informe um número inteiro')
    .min(0, 'Não pode ser negativo')
    .max(10, 'No máximo 10 prorrogações'),
  complementation: z.enum(['interrupt_once', 'suspend'], {
    error: 'Complementação: interrupt_once (interrompe uma vez) ou suspend (suspende)',
  }),
  extensionFrom: z.enum(['deadline', 'start'], {
    error:
      'Contagem da prorrogação: deadline (começa no vencimento prorrogado) ou start (somada desde o início)',
  }),
  allowLateExtension: z.boolean({ error: 'Informe true ou false' }),
  includeOvertime: z.boolean({ error: 'Informe true ou false' }),
  calendarId: idSchema,
  active: z.boolean({ error: 'Informe true ou false' }),
};

export const newPolicySchema = strict({
  id: idSchema.optional(),
  name: policyShape.name,
  scope: policyShape.scope,
  unit: policyShape.unit,
  amount: policyShape.amount,
  kind: policyShape.kind,
  item: policyShape.item,
  priority: policyShape.priority,
  topic: policyShape.topic,
  warningPoints: policyShape.warningPoints.optional(),
  extensionAmount: policyShape.extensionAmount.optional(),
  maxExtensions: policyShape.maxExtensions.optional(),
  complementation: policyShape.complementation.optional(),
  extensionFrom: policyShape.extensionFrom.optional(),
  allowLateExtension: policyShape.allowLateExtension.optional(),
  includeOvertime: policyShape.includeOvertime.optional(),
  calendarId: policyShape.calendarId.optional(),
  active: policyShape.active.optional(),
});
export type NewPolicyBody = z.infer<typeof newPolicySchema>;

export const policyPatchSchema = strict({
  name: policyShape.name.optional(),
  scope: policyShape.scope.optional(),
  unit: policyShape.unit.optional(),
  amount: policyShape.amount.optional(),
  kind: policyShape.kind,
  item: policyShape.item,
  priority: policyShape.priority,
  topic: policyShape.topic,
  warningPoints: policyShape.warningPoints.optional(),
  extensionAmount: policyShape.extensionAmount.optional(),
  maxExtensions: policyShape.maxExtensions.optional(),
  complementation: policyShape.complementation.optional(),
  extensionFrom: policyShape.extensionFrom.optional(),
  allowLateExtension: policyShape.allowLateExtension.optional(),
  includeOvertime: policyShape.includeOvertime.optional(),
  calendarId: policyShape.calendarId.optional(),
  active: policyShape.active.optional(),
});
export type PolicyPatchBody = z.infer<typeof policyPatchSchema>;

/** Whole-policy checks after merging with the stored row. */
export function checkPolicy(p: { maxExtensions: number; extensionAmount: number }): FieldErrors {
  return p.maxExtensions > 0 && p.extensionAmount <= 0
    ? { extensionAmount: ['Informe a duração da prorrogação (ou maxExtensions 0)'] }
    : {};
}

export const policyListQuerySchema = z.object({
  scope: policyShape.scope.optional(),
  active: z.enum(['true', 'false'], { error: 'Use true ou false' }).optional(),
});

export const previewSchema = strict({
  scope: policyShape.scope.default('case'),
  kind: z.enum(kinds, { error: 'Tipo de manifestação inválido' }).default('complaint'),
  priority: z.enum(priorities, { error: 'Prioridade inválida' }).default('normal'),
  item: textString().trim().min(1).max(200).nullable().default(null),
  topic: codeString().trim().min(1).max(100).nullable().default(null),
  start: z.iso.datetime({ offset: true, error: 'Data inválida (ISO 8601 com fuso)' }),
  extensions: z.number().int().min(0).max(10).default(0),
});
