// The case details staff set on their own (issue 11 item 4): the customer's service-order number (número
// da OS), the opening reason (code of the administered list; the API checks it exists), and the estimate of
// minutes to conclude (also settable inside a work log). Each change is one internal timeline entry.
// A new Update: no committed history has it, so replay needs no patch.
import { invalid, type On } from './case-handler-kit.ts';
import type { CaseRuntime } from './case-handlers.ts';
import * as m from './messages.ts';

const keys = ['serviceOrder', 'reasonCode', 'estimateMinutes'] as const;

export function registerDetailsHandlers(rt: CaseRuntime, on: On) {
  const v = rt.view;
  on(
    m.detailsUpdate,
    'details',
    (i) => {
      if (!keys.some((k) => i[k] !== undefined)) invalid('serviceOrder', 'set at least one detail');
      if (i.serviceOrder != null && (typeof i.serviceOrder !== 'string' || i.serviceOrder.length > 60))
        invalid('serviceOrder', 'at most 60 characters');
      if (i.reasonCode != null && (typeof i.reasonCode !== 'string' || i.reasonCode.length > 50))
        invalid('reasonCode', 'a reason code');
      if (
        i.estimateMinutes != null &&
        (!Number.isInteger(i.estimateMinutes) || i.estimateMinutes < 1 || i.estimateMinutes > 100_000)
      )
        invalid('estimateMinutes', 'whole minutes from 1 to 100000');
    },
    (i) => {
      const changed: Record<string, string | number | null> = {};
      if (i.serviceOrder !== undefined && i.serviceOrder !== (v.serviceOrder ?? null))
        changed.serviceOrder = v.serviceOrder = i.serviceOrder;
      if (i.reasonCode !== undefined && i.reasonCode !== (v.reasonCode ?? null))
        changed.reasonCode = v.reasonCode = i.reasonCode;
      if (i.estimateMinutes !== undefined && i.estimateMinutes !== v.estimateMinutes)
        changed.estimateMinutes = v.estimateMinutes = i.estimateMinutes;
      if (Object.keys(changed).length) rt.record('details_updated', i.actor, changed, 'internal');
    },
  );
}
