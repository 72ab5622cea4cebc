// Issue 13 item 5: the deadline explanation names the complementation reading the case followed
// (policy field `complementation`: `interrupt_once`, Decreto 9.492/2018 art. 18 as commonly quoted, or
// `suspend`, Portaria Normativa CGU 116/2024 art. 25 as quoted) and what it did to this case's clock.
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES, planWith } from '../../activities/deadline.ts';
import { defaultCalendar } from '../../activities/sla/calendar.ts';
import type { DeadlineRequest } from '../../workflows/sla-types.ts';

const TZ = 'America/Sao_Paulo';
const sp = (local: string) => Temporal.PlainDateTime.from(local).toZonedDateTime(TZ).toInstant().toString();
const calendar = defaultCalendar(TZ);
const req = (over: Partial<DeadlineRequest> = {}): DeadlineRequest => ({
  scope: 'case',
  kind: 'complaint',
  priority: 'normal',
  item: null,
  start: sp('2026-09-10T15:00'),
  pauses: [],
  extensions: 0,
  ...over,
});

describe('the deadline explanation of a complementation', () => {
  it('interrupt_once: names the decree reading, and when the count was interrupted and restarted', () => {
    const d = planWith(
      req({
        start: sp('2026-09-20T10:00'),
        interruption: { requestedAt: sp('2026-09-15T09:30'), repliedAt: sp('2026-09-20T10:00') },
      }),
      DEFAULT_POLICIES.case,
      calendar,
      1,
    );
    expect(d.explanation).toContain(
      'Complementação pelo cidadão: interrompe uma vez (interrupt_once): o primeiro pedido de complementação zera a contagem, que recomeça do início na resposta do cidadão; pedidos seguintes não mexem no prazo — Decreto 9.492/2018, art. 18.',
    );
    expect(d.explanation).toContain(
      'Prazo interrompido pelo pedido de complementação de 15/09/2026 09:30; a contagem recomeçou na resposta do cidadão, em 20/09/2026 10:00.',
    );
    // 30 days from the reply (20/09): 20/10, a Tuesday
    expect(d.dueAt).toBe(sp('2026-10-20T23:59:59.999'));
  });

  it('suspend: names the CGU portaria reading and the suspended interval, and keeps the time already run', () => {
    const d = planWith(
      req({ pauses: [{ from: sp('2026-09-15T09:30'), to: sp('2026-09-25T09:30') }] }),
      { ...DEFAULT_POLICIES.case, complementation: 'suspend' },
      calendar,
      1,
    );
    expect(d.explanation).toContain(
      'Complementação pelo cidadão: suspende (suspend): cada pedido de complementação pausa a contagem até a resposta do cidadão, e o tempo já corrido é mantido — Portaria Normativa CGU 116/2024, art. 25.',
    );
    expect(d.explanation).toContain(
      'Suspenso aguardando complementação: 15/09/2026 09:30 → 25/09/2026 09:30.',
    );
    const unsuspended = planWith(
      req(),
      { ...DEFAULT_POLICIES.case, complementation: 'suspend' },
      calendar,
      1,
    );
    expect(Date.parse(d.dueAt!)).toBeGreaterThan(Date.parse(unsuspended.dueAt!));
  });

  it('a unit deadline states its own reading too', () => {
    const d = planWith(req({ scope: 'unit' }), DEFAULT_POLICIES.unit, calendar, 1);
    expect(d.explanation.some((l) => l.startsWith('Complementação pelo cidadão: interrompe uma vez'))).toBe(
      true,
    );
  });
});
