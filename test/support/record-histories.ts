// Records workflow histories for the replay tests: `npx tsx test/support/record-histories.ts`.
// Run it when a change to workflows/ is meant to be visible to running cases only behind patched();
// commit the new files in test/fixtures/histories beside the old ones (old ones must keep replaying).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Activities } from '../../activities/index.ts';
import { workflowsPath } from '../../worker.ts';
import type { caseWorkflow } from '../../workflows/case.ts';
import {
  answerUpdate,
  assignUpdate,
  type CaseInput,
  closeUpdate,
  registeredUpdate,
} from '../../workflows/messages.ts';
import { searchAttributeKeys } from '../../workflows/search-attributes.ts';

const out = new URL('../fixtures/histories/', import.meta.url);
const temporal = spawnSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' }).stdout.trim();
const env = await TestWorkflowEnvironment.createLocal({
  server: {
    ...(temporal ? { executable: { type: 'existing-path' as const, path: temporal } } : {}),
    searchAttributes: searchAttributeKeys,
  },
});
const activities: Activities = {
  async projectCase() {},
  async planDeadline() {
    return {
      dueAt: '2026-12-29T02:59:59.999Z',
      policy: 'Lei 13.460/2017 art. 16',
      explanation: ['recorded'],
    };
  },
};
const worker = await Worker.create({
  connection: env.nativeConnection,
  taskQueue: 'record',
  workflowsPath,
  activities,
});

const input = (protocol: string): CaseInput => ({
  protocol,
  kind: 'complaint',
  subject: 'Buraco na rua',
  description: 'Buraco grande na rua principal',
  identity: 'identified',
  channel: 'web',
  citizen: { name: 'João', email: 'joao@example.org' },
  receivedAt: '2026-11-28T12:00:00.000Z',
  registeredBy: 'citizen',
});

async function start(protocol: string) {
  await env.client.workflow.executeUpdateWithStart(registeredUpdate, {
    startWorkflowOperation: new WithStartWorkflowOperation<typeof caseWorkflow>('caseWorkflow', {
      workflowId: protocol,
      taskQueue: 'record',
      args: [input(protocol)],
      workflowIdConflictPolicy: 'FAIL',
    }),
  });
  return env.client.workflow.getHandle(protocol);
}

async function save(name: string, protocol: string) {
  // The CLI writes the canonical proto3 JSON that Worker.runReplayHistory accepts.
  const shown = spawnSync(
    temporal || 'temporal',
    ['workflow', 'show', '--address', env.address, '-w', protocol, '-o', 'json'],
    {
      encoding: 'utf8',
    },
  );
  if (shown.status !== 0) throw new Error(shown.stderr);
  writeFileSync(new URL(`${name}.json`, out), shown.stdout);
  console.log(`recorded ${name}`);
}

await worker.runUntil(async () => {
  await start('OUV-2026-000001');
  await save('v1-received', 'OUV-2026-000001');

  const full = await start('OUV-2026-000002');
  await full.executeUpdate(assignUpdate, { args: [{ assignee: 'ana@org', actor: 'chefe@org' }] });
  await full
    .executeUpdate(answerUpdate, { args: [{ text: 'Resolvido.', actor: 'ana@org' }] })
    .catch(() => {});
  await full
    .executeUpdate(answerUpdate, { args: [{ text: 'Resolvido.', actor: 'ana@org' }] })
    .catch(() => {});
  await full.executeUpdate(closeUpdate, { args: [{ actor: 'ana@org', reason: 'ok' }] });
  await full.result();
  await save('v1-closed', 'OUV-2026-000002');
});
await env.teardown();
