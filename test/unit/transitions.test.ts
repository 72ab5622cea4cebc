import { describe, expect, it } from 'vitest';
import { allowedActions, allowedCitizenActions, canRun, nextStatus } from '../../workflows/transitions.ts';

describe('transition table', () => {
  it('offers only assuming, extending or archiving a new case', () => {
    expect(allowedActions('received')).toEqual([
      'assign',
      'extend',
      'priority',
      'reclassify',
      'note',
      'worklog',
      'archive',
      'accept-email',
      'discard-email',
      'details',
    ]);
  });

  it('answers only an assumed case, closes after the answer, reopens only a finished case', () => {
    expect(canRun('answer', 'received')).toBe(false);
    expect(canRun('answer', 'in_progress')).toBe(true);
    expect(canRun('answer', 'forwarded')).toBe(false);
    const decisions = ['accept-email', 'discard-email', 'improvement', 'details'];
    expect(allowedActions('answered')).toEqual([
      'priority',
      'reclassify',
      'note',
      'worklog',
      'close',
      ...decisions,
    ]);
    expect(allowedActions('closed')).toEqual(['note', 'worklog', 'reopen', ...decisions]);
    expect(canRun('reopen', 'in_progress')).toBe(false);
  });

  it('moves to the documented status', () => {
    expect(nextStatus('assign', 'received')).toBe('in_progress');
    expect(nextStatus('assign', 'forwarded')).toBe('forwarded');
    expect(nextStatus('forward', 'in_progress')).toBe('forwarded');
    expect(nextStatus('request-info', 'in_progress')).toBe('awaiting_citizen');
    expect(nextStatus('reply', 'awaiting_citizen')).toBe('in_progress');
    expect(nextStatus('answer', 'in_progress')).toBe('answered');
    expect(nextStatus('reject', 'answered')).toBe('in_progress');
    expect(nextStatus('accept', 'answered')).toBe('approved');
    expect(nextStatus('close', 'answered')).toBe('closed');
    expect(nextStatus('archive', 'awaiting_citizen')).toBe('archived');
    expect(nextStatus('reopen', 'archived')).toBe('in_progress');
    expect(nextStatus('accept-email', 'awaiting_citizen')).toBe('in_progress');
    expect(nextStatus('discard-email', 'awaiting_citizen')).toBe('awaiting_citizen');
  });

  it('lets the citizen accept or reject only an answered case', () => {
    expect(allowedCitizenActions('answered')).toEqual(['accept', 'reject', 'rate']);
    expect(allowedCitizenActions('awaiting_citizen')).toEqual(['reply', 'rate']);
    expect(allowedCitizenActions('archived')).toEqual([]);
  });
});
