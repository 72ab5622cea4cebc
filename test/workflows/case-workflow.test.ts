// The case workflow on the real dev server: transitions through Updates with validators, the Query,
// search attributes and current details for operators, revision-ordered projections.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerUpdate, assignUpdate, caseViewQuery, closeUpdate } from '../../workflows/messages.ts';
import { startWorkflowWorker, updateFailure as updateError } from './support.ts';

let w: Awaited<ReturnType<typeof startWorkflowWorker>>;
beforeAll(async () => {
  w = await startWorkflowWorker();
});
afterAll(async () => w?.stop());

const startCase: typeof w.startCase = (over) =>
  w.startCase({ receivedAt: '2026-11-28T12:00:00.000Z', ...over });

describe('case workflow', () => {
  it('registers with the planned deadline and projects revision 1', async () => {
    const { protocol, view } = await startCase();
    expect(view).toMatchObject({ status: 'received', dueAt: '2026-12-29T02:59:59.999Z', revision: 1 });
    expect(view.deadline?.policy.id).toBe('law-case');
    expect(view.timeline.map((e) => e.type)).toEqual(['received']);
    expect(w.projected.find((p) => p.protocol === protocol && p.revision === 1)).toBeTruthy();
  });

  it('walks received → in_progress → answered → closed and completes', async () => {
    const { protocol, handle } = await startCase();
    const a = await handle.executeUpdate(assignUpdate, {
      args: [{ assignee: 'ana@org', actor: 'chefe@org' }],
    });
    expect(a).toMatchObject({ status: 'in_progress', assignee: 'ana@org', revision: 2 });
    const b = await handle.executeUpdate(answerUpdate, { args: [{ text: 'Resolvido.', actor: 'ana@org' }] });
    expect(b).toMatchObject({ status: 'answered', answer: 'Resolvido.', revision: 3 });
    const c = await handle.executeUpdate(closeUpdate, { args: [{ actor: 'ana@org' }] });
    expect(c.status).toBe('closed');
    const result = await handle.query(caseViewQuery);
    expect(result.timeline.map((e) => [e.type, e.actor])).toEqual([
      ['received', 'citizen'],
      ['assigned', 'chefe@org'],
      ['answered', 'ana@org'],
      ['closed', 'ana@org'],
    ]);
    const revisions = w.projected.filter((p) => p.protocol === protocol).map((p) => p.revision);
    expect(revisions).toEqual([1, 2, 3, 4]);
  });

  it('rejects a transition not allowed now in the validator, leaving no trace in history', async () => {
    const { handle } = await startCase();
    const failure = await updateError(
      handle.executeUpdate(answerUpdate, { args: [{ text: 'cedo', actor: 'x@org' }] }),
    );
    expect(failure.type).toBe('TransitionNotAllowed');
    const history = await handle.fetchHistory();
    const accepted = history.events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes) ?? [];
    // only the registration update was accepted
    expect(accepted).toHaveLength(1);
    expect((await handle.query(caseViewQuery)).status).toBe('received');
  });

  it('rejects an empty payload as InvalidPayload naming the field', async () => {
    const { handle } = await startCase();
    const failure = await updateError(
      handle.executeUpdate(assignUpdate, { args: [{ assignee: ' ', actor: 'x@org' }] }),
    );
    expect(failure.type).toBe('InvalidPayload');
    expect(failure.details?.[0]).toEqual({ field: 'assignee' });
  });

  it('keeps search attributes and current details up to date for operators', async () => {
    const { handle } = await startCase({ kind: 'report', channel: 'phone' });
    await handle.executeUpdate(assignUpdate, { args: [{ assignee: 'ana@org', actor: 'chefe@org' }] });
    const description = await handle.describe();
    const sa = description.searchAttributes as Record<string, unknown[]>;
    expect(sa.CaseStatus).toEqual(['in_progress']);
    expect(sa.CaseKind).toEqual(['report']);
    expect(sa.Channel).toEqual(['phone']);
    expect(sa.AssignedTo).toEqual(['ana@org']);
    expect(sa.SlaState).toEqual(['ok']);
    expect(
      Math.abs(new Date(String(sa.DueAt?.[0])).getTime() - Date.parse('2026-12-29T02:59:59.999Z')),
    ).toBeLessThan(1000);
    const details = await handle.query('__temporal_workflow_metadata');
    expect(JSON.stringify(details)).toContain('in_progress');
    // no PII in search attributes
    expect(JSON.stringify(sa)).not.toContain('joao@example.org');
  });

  it('refuses to start a second case under the same protocol', async () => {
    const { protocol } = await startCase();
    await expect(
      w.client.workflow.start('caseWorkflow', {
        workflowId: protocol,
        taskQueue: w.taskQueue,
        args: [{}],
        workflowIdConflictPolicy: 'FAIL',
      }),
    ).rejects.toThrow(/already started/i);
  });
});
