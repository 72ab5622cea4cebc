// Deadline contract between the case workflow and the SLA activities (types only: no maths here;
// calendars and timezones are computed in activities/sla).
import type { Kind, Priority } from './vocabulary.ts';

/** case: the conclusive answer (30 days); unit: a forwarded unit's answer (20 days); complementation: the
 * citizen's time to reply to a request for information (20 days); auto_close: silence after the answer. */
export type DeadlineScope = 'case' | 'unit' | 'complementation' | 'auto_close';
export type DeadlineUnit = 'calendar_days' | 'business_days' | 'business_hours';
export type Pause = { from: string; to?: string };
/** interrupt_once: the first request restarts the count from the reply (Decreto 9.492/2018 art. 18 as
 * commonly quoted); suspend: every request pauses the count until the reply (Portaria Normativa CGU
 * 116/2024 art. 25 as quoted). See README, "Prazos". */
export type Complementation = 'interrupt_once' | 'suspend';
/** "por igual período" (Lei 13.460/2017 art. 16): deadline = the extension period starts where the
 * running deadline ended; start = the extension is added to the amount counted from the start. */
export type ExtensionFrom = 'deadline' | 'start';

export type DeadlineRequest = {
  scope: DeadlineScope;
  kind: Kind;
  priority: Priority;
  /** type/item/service of the case, when classified */
  item: string | null;
  /** catalogue topic of the case, when classified (absent in requests older than issue 10) */
  topic?: string | null | undefined;
  /** where counting starts (receivedAt, the reply that interrupted the clock, the forward, the answer) */
  start: string;
  /** suspended intervals (policy "suspend" during complementation) */
  pauses: Pause[];
  /** extensions granted so far; each adds the policy's extension amount */
  extensions: number;
  /** set when a request for complementation interrupted the clock (interrupt_once): `start` is then
   * the citizen's reply, and the explanation says so */
  interruption?: Interruption | undefined;
};

/** The request for complementation that interrupted a deadline and the reply that restarted it. */
export type Interruption = { requestedAt: string; repliedAt: string };

export type AppliedPolicy = {
  id: string;
  name: string;
  version: number;
  unit: DeadlineUnit;
  amount: number;
  extensionAmount: number;
  maxExtensions: number;
  /** how a request for complementation affects the case clock (and the pending unit clocks) */
  complementation: Complementation;
  /** where an extension's period begins: at the deadline it extends (default) or at the original start.
   * Absent on deadlines planned before the field existed: read as 'deadline'. */
  extensionFrom?: ExtensionFrom;
  /** whether `extend`/`unit-extend` is accepted after the deadline has passed (default false) */
  allowLateExtension?: boolean;
  /** fractions of the working time between start and due at which warnings fire (default 50/75/90%) */
  warningPoints?: number[];
  /** business hours: the calendar's overtime hours count as working time */
  includeOvertime?: boolean;
  /** the calendar the policy counts on */
  calendarId?: string;
};

export type Deadline = {
  scope: DeadlineScope;
  dueAt: string | null;
  /** warning instants (e.g. 50/75/90%), each inside business hours, ascending, before dueAt */
  warnings: string[];
  /** when a breach is escalated: the first business moment at or after dueAt */
  escalateAt: string | null;
  policy: AppliedPolicy;
  calendarVersion: number;
  /** id of the calendar whose `calendarVersion` produced this deadline */
  calendarId?: string;
  start: string;
  pauses: Pause[];
  extensions: number;
  interruption?: Interruption | undefined;
  /** pt-BR lines for "why is this due then" */
  explanation: string[];
};
