// Update `improvement`: staff record the improvement (a measure adopted by the organisation) that an
// answered case produced, or withdraw it. The management and annual reports list these as "medidas
// adotadas" (Lei 13.460/2017 art. 15). No status change; an internal timeline entry is the record, and the
// projection keeps the latest measure (activities/report-columns.ts).
import { invalid, type On, requireText } from './case-handler-kit.ts';
import type { CaseRuntime } from './case-handlers.ts';
import * as m from './messages.ts';

export function registerImprovementHandler(rt: CaseRuntime, on: On) {
  on(
    m.improvementUpdate,
    'improvement',
    (i) => {
      if (i.clear) return;
      requireText(i.measure, 'measure', 10);
      if ((i.measure ?? '').length > 2000) invalid('measure', 'measure: at most 2000 characters');
    },
    (i) => {
      rt.record(
        'improvement_marked',
        i.actor,
        i.clear ? { measure: null, cleared: true } : { measure: (i.measure ?? '').trim(), cleared: false },
        'internal',
      );
    },
  );
}
