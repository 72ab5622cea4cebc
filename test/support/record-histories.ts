// Records workflow histories for the replay tests: `npx tsx test/support/record-histories.ts`.
// Run it when a change to workflows/ is meant to be visible to running cases only behind patched();
// commit the new files in test/fixtures/histories beside the old ones (old ones must keep replaying).

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { DEFAULT_POLICIES, planWith } from '../../activities/deadline.ts';
import type { Activities } from '../../activities/index.ts';
import { defaultCalendar, nextBusinessMoment } from '../../activities/sla/calendar.ts';
import { workflowsPath } from '../../worker.ts';
import type { caseWorkflow } from '../../workflows/case.ts';
import { initialView, registerView, registrationDeadlineRequest } from '../../workflows/case-state.ts';
import { repairUpdate } from '../../workflows/failure-messages.ts';
import * as m from '../../workflows/messages.ts';
import { registeredSearchAttributes, searchAttributeKeys } from '../../workflows/search-attributes.ts';
import { withCommitStep } from './commit-step.ts';
import { fixtureDataConverter } from './fixture-payload-key.ts';

const version = process.argv[2] ?? 'v2';
const out = new URL('../fixtures/histories/', import.meta.url);
const temporal = spawnSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' }).stdout.trim();
const env = await TestWorkflowEnvironment.createLocal({
  server: {
    ...(temporal ? { executable: { type: 'existing-path' as const, path: temporal } } : {}),
    searchAttributes: searchAttributeKeys,
  },
  // Payloads are encrypted as in production (since v4), with the committed fixture key.
  client: { dataConverter: fixtureDataConverter },
});
/** While set, the projection fails for good (a refused value): the 'side-effect-failures' path. */
let refuseProjection = false;
/** Since v11 every notification runs locally beside the handlers' projections (case-activities.ts): the
 * steps take 0–30 ms at random so that local activities in flight at once finish out of order. */
const jitter = () =>
  Number(version.slice(1)) >= 11
    ? new Promise((r) => setTimeout(r, Math.floor(Math.random() * 30)))
    : Promise.resolve();
const activities: Activities = withCommitStep({
  async projectCase() {
    await jitter();
    if (refuseProjection)
      throw ApplicationFailure.nonRetryable(
        'database refused the data (SQLSTATE 23514)',
        'PermanentDataError',
      );
  },
  async reopenWindowDays() {
    return 30;
  },
  async businessMomentFrom({ at }) {
    return nextBusinessMoment(defaultCalendar(), at);
  },
  async planDeadline(req) {
    return planWith(req, DEFAULT_POLICIES[req.scope], defaultCalendar(), 1);
  },
  // since v8 the acknowledgement is stored and logged in the registration's task (local step, nothing
  // left for the regular activity); every later event goes through the regular activity, and since v11
  // through the local step too, the regular one only for what leaves the machine (here: the answer)
  async notifyCaseEvent(input) {
    await jitter();
    return { pending: input.local && input.event.type === 'answered' ? 1 : 0 };
  },
});
const worker = await Worker.create({
  connection: env.nativeConnection,
  taskQueue: 'record',
  workflowsPath,
  activities,
  dataConverter: fixtureDataConverter,
});
const actor = 'ana@org';

async function start(protocol: string) {
  const input: m.CaseInput = {
    protocol,
    kind: 'complaint',
    subject: 'Buraco na rua',
    description: 'Buraco grande na rua principal',
    identity: 'identified',
    channel: 'web',
    citizen: { name: 'João', email: 'joao@example.org' },
    receivedAt: '2026-11-28T12:00:00.000Z',
    registeredBy: 'citizen',
  };
  // since v10 the filing registers the case (CaseInput.registration) and starts the run with its search
  // attributes, as api/manifestations/filing.ts does
  let attributes: ReturnType<typeof registeredSearchAttributes> | undefined;
  if (Number(version.slice(1)) >= 10) {
    const deadline = planWith(
      registrationDeadlineRequest(initialView(input)),
      DEFAULT_POLICIES.case,
      defaultCalendar(),
      1,
    );
    input.registration = { deadline, at: input.receivedAt };
    // since v12 the run is born with the code's generation (workflows/versions.ts): it asks no patch
    if (Number(version.slice(1)) >= 12) input.born = m.CODE_GENERATION;
    const view = initialView(input);
    registerView(view, input, deadline, Date.parse(input.receivedAt));
    attributes = registeredSearchAttributes(view);
  }
  await env.client.workflow.executeUpdateWithStart(m.registeredUpdate, {
    startWorkflowOperation: new WithStartWorkflowOperation<typeof caseWorkflow>('caseWorkflow', {
      workflowId: protocol,
      taskQueue: 'record',
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
      ...(attributes ? { typedSearchAttributes: attributes } : {}),
    }),
  });
  return env.client.workflow.getHandle(protocol);
}

function save(name: string, protocol: string) {
  // The CLI writes the canonical proto3 JSON that Worker.runReplayHistory accepts.
  const shown = spawnSync(
    temporal || 'temporal',
    ['workflow', 'show', '--address', env.address, '-w', protocol, '-o', 'json'],
    {
      encoding: 'utf8',
    },
  );
  if (shown.status !== 0) throw new Error(shown.stderr);
  writeFileSync(new URL(`${version}-${name}.json`, out), shown.stdout);
  console.log(`recorded ${version}-${name}`);
}

await worker.runUntil(async () => {
  await start('OUV-2026-000001');
  save('received', 'OUV-2026-000001');

  const a = await start('OUV-2026-000002');
  await a.executeUpdate(m.assignUpdate, { args: [{ assignee: actor, actor }] });
  await a.executeUpdate(m.forwardUpdate, {
    args: [{ units: ['SEC-OBRAS', 'SEC-SAUDE'], instructions: 'Verificar', actor }],
  });
  await a.executeUpdate(m.unitExtendUpdate, {
    args: [{ unit: 'SEC-OBRAS', justification: 'Vistoria necessária', actor }],
  });
  await a.executeUpdate(m.unitResponseUpdate, {
    args: [{ unit: 'SEC-OBRAS', text: 'Equipe enviada', actor }],
  });
  save('forwarded', 'OUV-2026-000002');

  const b = await start('OUV-2026-000003');
  await b.executeUpdate(m.assignUpdate, { args: [{ assignee: actor, actor }] });
  await b.executeUpdate(m.requestInfoUpdate, { args: [{ question: 'Qual o número do poste?', actor }] });
  save('awaiting-citizen', 'OUV-2026-000003');
  await b.signal(m.inboundMessageSignal, {
    id: 'in-1',
    emailId: 'e-1',
    from: 'joao@example.org',
    fromRole: 'citizen',
    subject: 'Re',
    text: 'Poste 12',
    attachmentIds: [],
    receivedAt: '2026-11-29T12:00:00.000Z',
  });
  await b.executeUpdate(m.extendUpdate, { args: [{ justification: 'Aguardando laudo técnico', actor }] });
  await b.executeUpdate(m.reclassifyUpdate, {
    args: [{ kind: 'request', reason: 'Pedido de providência', actor }],
  });
  await b.executeUpdate(m.priorityUpdate, { args: [{ priority: 'high', actor }] });
  await b.executeUpdate(m.noteUpdate, { args: [{ text: 'Nota interna', visibility: 'internal', actor }] });
  await b.executeUpdate(m.worklogUpdate, { args: [{ minutes: 30, description: 'Análise', actor }] });
  await b.executeUpdate(m.answerUpdate, { args: [{ text: 'Poste consertado.', actor }] });
  await b.executeUpdate(m.rejectUpdate, { args: [{ reason: 'Continua apagado', actor: 'citizen' }] });
  await b.executeUpdate(m.answerUpdate, { args: [{ text: 'Poste trocado de novo.', actor }] });
  await b.executeUpdate(m.rateUpdate, { args: [{ score: 4, resolved: 'yes', actor: 'citizen' }] });
  await b.executeUpdate(m.acceptUpdate, { args: [{ actor: 'citizen' }] });
  save('approved', 'OUV-2026-000003');

  const c = await start('OUV-2026-000004');
  await c.executeUpdate(m.assignUpdate, { args: [{ assignee: actor, actor }] });
  await c.executeUpdate(m.answerUpdate, { args: [{ text: 'Resposta conclusiva.', actor }] }).catch(() => {});
  await c.executeUpdate(m.closeUpdate, { args: [{ actor, reason: 'ok' }] });
  await c.executeUpdate(m.reopenUpdate, { args: [{ justification: 'Fato novo relevante', actor }] });
  await c.signal(m.calendarChangedSignal, { id: 'cal-1', calendarVersion: 2 });
  await c.executeUpdate(m.archiveUpdate, {
    args: [{ justification: 'Sem competência da ouvidoria', actor }],
  });
  save('reopened-archived', 'OUV-2026-000004');

  // A calendar edit that changes nothing: with the 'replan-commits-only-changes' patch, no commit.
  const d = await start('OUV-2026-000005');
  await d.signal(m.calendarChangedSignal, { id: 'cal-2', calendarVersion: 3 });
  await d.executeUpdate(m.assignUpdate, { args: [{ assignee: actor, actor }] });
  save('calendar-unchanged', 'OUV-2026-000005');

  // A projection refused for good (issue 8.2): recorded, the case keeps serving, then repaired.
  const e = await start('OUV-2026-000006');
  await e.executeUpdate(m.assignUpdate, { args: [{ assignee: actor, actor }] });
  refuseProjection = true;
  await e.executeUpdate(m.noteUpdate, { args: [{ text: 'Nota recusada', visibility: 'internal', actor }] });
  await e.executeUpdate(m.noteUpdate, { args: [{ text: 'Outra nota', visibility: 'internal', actor }] });
  refuseProjection = false;
  await e.executeUpdate(repairUpdate, { args: [{ actor }] });
  save('stuck-repaired', 'OUV-2026-000006');

  // Mail that is not authenticated (issue 8.3) is kept as "não verificada"; staff accept one (it then acts
  // as the citizen's reply) and discard another; a refused attachment is said on the case.
  const f = await start('OUV-2026-000007');
  await f.executeUpdate(m.assignUpdate, { args: [{ assignee: actor, actor }] });
  await f.executeUpdate(m.requestInfoUpdate, { args: [{ question: 'Qual o número do poste?', actor }] });
  const unverified = (id: string, text: string) =>
    f.signal(m.inboundMessageSignal, {
      id,
      emailId: id,
      from: 'joao@example.org',
      fromRole: 'citizen',
      subject: 'Re: [OUV-2026-000007]',
      text,
      attachmentIds: [],
      receivedAt: '2026-11-29T12:00:00.000Z',
      verification: 'unverified',
    });
  await unverified('in-u1', 'Poste 12');
  await f.signal(m.attachmentsRefusedSignal, {
    id: 'in-u1:refused',
    emailId: 'in-u1',
    files: ['fotos.zip: arquivos compactados não são aceitos'],
    public: false,
  });
  await unverified('in-u2', 'Desisto');
  await f.executeUpdate(m.acceptEmailUpdate, { args: [{ emailId: 'in-u1', actor }] });
  await f.executeUpdate(m.discardEmailUpdate, { args: [{ emailId: 'in-u2', reason: 'Falso', actor }] });
  save('unverified-mail', 'OUV-2026-000007');

  if (Number(version.slice(1)) >= 11) {
    // Staff actions and a citizen's e-mail at once: several handlers' local activities in flight together.
    const g = await start('OUV-2026-000008');
    await g.executeUpdate(m.assignUpdate, { args: [{ assignee: actor, actor }] });
    await Promise.all([
      g.executeUpdate(m.priorityUpdate, { args: [{ priority: 'high', actor }] }),
      g.executeUpdate(m.noteUpdate, { args: [{ text: 'Nota', visibility: 'public', actor }] }),
      g.signal(m.inboundMessageSignal, {
        id: 'in-c1',
        emailId: 'e-c1',
        from: 'joao@example.org',
        fromRole: 'citizen',
        subject: 'Re: [OUV-2026-000008]',
        text: 'Mais uma foto',
        attachmentIds: [],
        receivedAt: '2026-11-29T12:00:00.000Z',
      }),
      g.executeUpdate(m.forwardUpdate, { args: [{ units: ['SEC-OBRAS'], instructions: 'Ver', actor }] }),
      g.executeUpdate(m.worklogUpdate, { args: [{ minutes: 10, description: 'Triagem', actor }] }),
    ]);
    await Promise.all([
      g.executeUpdate(m.unitResponseUpdate, { args: [{ unit: 'SEC-OBRAS', text: 'Feito', actor }] }),
      g.executeUpdate(m.noteUpdate, { args: [{ text: 'Outra', visibility: 'internal', actor }] }),
    ]);
    await g.executeUpdate(m.answerUpdate, { args: [{ text: 'Resolvido.', actor }] });
    save('concurrent', 'OUV-2026-000008');
  }
});
await env.teardown();
