// Every committed history must replay on the current workflow code: a change that would break running
// cases fails here (guard it with patched() and record a new history; see test/support/record-histories.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {}

const dir = new URL('../fixtures/histories/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('replay of committed histories', () => {
  it('has histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  it.each(files)('%s replays without non-determinism', async (file) => {
    const history = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
    await expect(
      Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history, file),
    ).resolves.toBeUndefined();
  });

  it('detects a history that does not match the code', async () => {
    const history = JSON.parse(readFileSync(new URL('v2-approved.json', dir), 'utf8'));
    // Pretend the workflow scheduled a different activity first: replay must refuse it.
    const scheduled = history.events.find(
      (e: { activityTaskScheduledEventAttributes?: unknown }) => e.activityTaskScheduledEventAttributes,
    );
    scheduled.activityTaskScheduledEventAttributes.activityType.name = 'somethingElse';
    await expect(
      Worker.runReplayHistory(
        { workflowBundle: { codePath: inject('workflowBundlePath') } },
        history,
        'tampered',
      ),
    ).rejects.toThrow();
  });
});
