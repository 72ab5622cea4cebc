import { describe, expect, it } from 'vitest';
import { allowedActions, canRun, nextStatus } from '../../workflows/transitions.ts';

describe('transition table', () => {
  it('offers assign on a new case, answer only once assumed, close after the answer', () => {
    expect(allowedActions('received')).toEqual(['assign']);
    expect(allowedActions('in_progress')).toEqual(['assign', 'answer', 'close']);
    expect(allowedActions('answered')).toEqual(['close']);
    expect(allowedActions('closed')).toEqual([]);
  });

  it('moves to the documented status', () => {
    expect(nextStatus('assign', 'received')).toBe('in_progress');
    expect(nextStatus('answer', 'in_progress')).toBe('answered');
    expect(nextStatus('close', 'answered')).toBe('closed');
    expect(canRun('answer', 'received')).toBe(false);
  });
});
