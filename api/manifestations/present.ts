// Who sees what of a case: staff see everything; unit staff never see a preserved or anonymous
// reporter; citizens see their case without internal events.
import type { CaseView, TimelineEvent } from '../../workflows/messages.ts';
import type { StaffUser } from '../auth/session.ts';

export type Audience = { kind: 'staff'; user: StaffUser } | { kind: 'citizen' };

export type PresentedCase = Omit<CaseView, 'timeline' | 'revision'> & {
  revision: number;
  timeline: TimelineEvent[];
};

export function canStaffSee(user: StaffUser, view: Pick<CaseView, 'units'>): boolean {
  if (user.role === 'unit') return !!user.unitCode && view.units.includes(user.unitCode);
  return ['admin', 'ombudsman', 'attendant'].includes(user.role);
}

export function presentCase(view: CaseView, audience: Audience): PresentedCase {
  const hideReporter =
    view.identity === 'anonymous' ||
    (view.identity === 'preserved' && audience.kind === 'staff' && audience.user.role === 'unit');
  const timeline =
    audience.kind === 'citizen' ? view.timeline.filter((e) => e.visibility === 'public') : view.timeline;
  return {
    ...view,
    citizen: hideReporter ? null : view.citizen,
    timeline: timeline.map((e) => ({ ...e, actor: presentActor(e.actor, audience) })),
  };
}

/** Citizens see "Ouvidoria" rather than staff e-mail addresses. */
function presentActor(actor: string, audience: Audience): string {
  if (audience.kind === 'citizen' && actor !== 'citizen' && actor !== 'system') return 'ouvidoria';
  return actor;
}
