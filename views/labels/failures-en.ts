// Labels of the "Falhas" page and of failed/repaired steps on the timeline, English.
import type { failuresPtBR } from './failures-pt-BR.ts';

export const failuresEn: Record<keyof typeof failuresPtBR, string> = {
  'nav.failures': 'Failures',
  'failures.title': 'Failures',
  'failures.intro':
    'Steps that failed for good and wait for a repair. The cases still answer reads and actions; fix the cause, then click Repair.',
  'failures.stuck': 'Cases with a stuck step',
  'failures.stuck.none': 'No case has a stuck step.',
  'failures.step': 'Step',
  'failures.error': 'Error',
  'failures.since': 'Since',
  'failures.attempts': 'Attempts',
  'failures.repair': 'Repair',
  'failures.repaired': 'Repaired: the steps ran again successfully.',
  'failures.details.unavailable': 'Details unavailable (the case did not answer in time).',
  'failures.deadLetters': 'Unprocessed e-mails',
  'failures.deadLetters.none': 'No unprocessed e-mail.',
  'failures.held': 'Held e-mails (possible loop)',
  'failures.held.intro':
    'Messages beyond the limits per sender and domain, or repeating the same sender and subject. Releasing processes the message as usual.',
  'failures.held.none': 'No held e-mail.',
  'failures.held.release': 'Release',
  'failures.held.released': 'message released and processed',
  'failures.held.gone': 'This message is no longer held.',
  'failures.void': 'Voided protocols',
  'failures.void.intro':
    'Numbers reserved by a filing that failed: a recorded gap in the numbering, with no case.',
  'failures.void.none': 'No voided protocol.',
  'failures.unavailable': 'List unavailable right now (database down?).',
  'failures.reason': 'Reason',
  'failures.from': 'From',
  'failures.subject': 'Subject',
  'step.projection': 'List and search update',
  'step.notification': 'E-mail sending',
  'step.deadline': 'Deadline planning',
  'event.step_failed': 'An automatic step failed',
  'event.step_repaired': 'Automatic step repaired',
  'timeline.stepFailed': 'Step:',
};
