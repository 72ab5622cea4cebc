// Reading a case (api/manifestations/service.ts getCaseView): a Query Temporal refuses because the case's
// query buffer is full (RESOURCE_EXHAUSTED, several readers while a workflow task is in flight) is asked
// again shortly instead of failing the page; other errors are not retried; a refusal that lasts answers
// 503 `pending` (with Retry-After), never 500.
import { ServiceError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { getCaseView } from '../../api/manifestations/service.ts';
import type { AppDeps } from '../../api/types.ts';

const bufferFull = () =>
  new ServiceError('Failed to query Workflow', {
    cause: Object.assign(new Error('8 RESOURCE_EXHAUSTED: consistent query buffer is full'), { code: 8 }),
  });

function depsAnswering(answers: Array<() => unknown>) {
  let asked = 0;
  const deps = {
    updateWaitMs: 10_000,
    temporal: {
      client: {
        withDeadline: (deadline: number, fn: () => Promise<unknown>) =>
          Date.now() >= deadline ? Promise.reject(bufferFull()) : fn(),
        workflow: {
          getHandle: () => ({
            query: async () => {
              const answer = answers[Math.min(asked, answers.length - 1)]!;
              asked += 1;
              return answer();
            },
          }),
        },
      },
    },
  } as unknown as AppDeps;
  return { deps, asked: () => asked };
}

const view = { protocol: 'OUV-2026-000001', status: 'received' };

describe('reading a case while its query buffer is full', () => {
  it('asks again and answers the view', async () => {
    const t = depsAnswering([
      () => {
        throw bufferFull();
      },
      () => {
        throw bufferFull();
      },
      () => view,
    ]);
    expect(await getCaseView(t.deps, 'OUV-2026-000001')).toEqual(view);
    expect(t.asked()).toBe(3);
  });

  it('does not ask again after another error', async () => {
    const t = depsAnswering([
      () => {
        throw new Error('boom');
      },
    ]);
    await expect(getCaseView(t.deps, 'OUV-2026-000001')).rejects.toThrow('boom');
    expect(t.asked()).toBe(1);
  });

  it('answers 503 pending (retry later) when the buffer stays full', async () => {
    const t = depsAnswering([
      () => {
        throw bufferFull();
      },
    ]);
    await expect(getCaseView(t.deps, 'OUV-2026-000001')).rejects.toMatchObject({
      status: 503,
      code: 'pending',
    });
  });
});
