// Days-long timers with the time-skipping test server: warnings inside business hours, breach and
// escalation, archive after 20 days of silence, automatic close after the answer, the reopen window.

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_POLICIES, planWith } from '../../activities/deadline.ts';
import type { Activities } from '../../activities/index.ts';
import { defaultCalendar, nextBusinessMoment } from '../../activities/sla/calendar.ts';
import type { caseWorkflow } from '../../workflows/case.ts';
import * as m from '../../workflows/messages.ts';
import { searchAttributeDefinitions } from '../../workflows/search-attributes.ts';
import { withCommitStep } from '../support/commit-step.ts';
import { testDataConverter } from '../support/payload-codec.ts';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {}

const testServer = spawnSync('sh', ['-c', 'command -v temporal-test-server'], {
  encoding: 'utf8',
}).stdout.trim();
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const taskQueue = 'timers';

/** every notification asked for: which case, which event, and when (server time, ms) */
const mails: Array<{ protocol: string; type: string; at: number }> = [];

/** cases whose organisation set a 5-day reopen window */
const shortWindow = new Set<string>();

const activities: Activities = withCommitStep({
  async projectCase() {},
  async reopenWindowDays() {
    // Regras gerais `cases.reopenWindowDays`: the cases in shortWindow stand for an organisation that set 5.
    return shortWindow.has(Context.current().info.workflowExecution?.workflowId ?? '') ? 5 : 30;
  },
  async businessMomentFrom({ at }) {
    return nextBusinessMoment(defaultCalendar(), at);
  },
  async planDeadline(req) {
    // Suggestions stand for an organisation whose policy accepts late extensions.
    // Requests stand for one whose complementation policy is `suspend`.
    const policy = {
      ...DEFAULT_POLICIES[req.scope],
      allowLateExtension: req.kind === 'suggestion',
      ...(req.kind === 'request' ? { complementation: 'suspend' as const } : {}),
    };
    return planWith(req, policy, defaultCalendar(), 1);
  },
  async notifyCaseEvent({ view, event, local }) {
    // Mail that leaves the machine (as with Resend or SMTP): the local step leaves it to the regular
    // activity, whose scheduled time is the server's (skipped) clock when the mail was asked for.
    if (local) return { pending: 1 };
    mails.push({
      protocol: view.protocol,
      type: event.type,
      at: Context.current().info.currentAttemptScheduledTimestampMs,
    });
    return { pending: 0 };
  },
});

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({
    ...(testServer ? { server: { executable: { type: 'existing-path', path: testServer } } } : {}),
    client: { dataConverter: testDataConverter },
  });
  // The Java test server knows no custom search attributes until they are added.
  const types = { Keyword: 2, Int: 3, Datetime: 6 } as const;
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(
      searchAttributeDefinitions.map(([name, type]) => [name, types[type]]),
    ),
  });
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities,
    dataConverter: testDataConverter,
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

async function startCase(kind: m.CaseInput['kind'] = 'complaint', receivedAt?: string) {
  const protocol = `OUV-2026-${100000 + (randomBytes(3).readUIntBE(0, 3) % 800000)}`;
  const now = receivedAt ?? new Date(await env.currentTimeMs()).toISOString();
  const handle = await env.client.workflow.start<typeof caseWorkflow>('caseWorkflow', {
    workflowId: protocol,
    taskQueue,
    args: [
      {
        protocol,
        kind,
        subject: 'Buraco',
        description: 'Buraco na rua',
        identity: 'identified',
        channel: 'web',
        citizen: { name: 'João', email: 'joao@example.org' },
        receivedAt: now,
        registeredBy: 'citizen',
      },
    ],
  });
  // Registered means the case's first state and its acknowledgement are recorded: what the filing waits for.
  await handle.executeUpdate(m.registeredUpdate);
  return handle;
}

type Handle = Awaited<ReturnType<typeof startCase>>;

async function waitFor(handle: Handle, ok: (v: m.CaseView) => boolean): Promise<m.CaseView> {
  for (let i = 0; i < 100; i++) {
    const v = await handle.query(m.caseViewQuery).catch(() => null);
    if (v && ok(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not reached');
}

const businessHours = (iso: string) => {
  const z = Temporal.Instant.from(iso).toZonedDateTimeISO('America/Sao_Paulo');
  const minutes = z.hour * 60 + z.minute;
  return z.dayOfWeek <= 5 && minutes >= 8 * 60 && minutes < 18 * 60;
};

describe.skipIf(!testServer)('deadline timers (time skipping)', () => {
  it('warns inside business hours, then marks the breach and escalates to the ombudsman', async () => {
    const handle = await startCase();
    const start = await handle.query(m.caseViewQuery);
    expect(start.deadline?.warnings).toHaveLength(3);
    await env.sleep('20 days');
    const warned = await waitFor(handle, (v) => v.timeline.some((e) => e.type === 'sla_warning'));
    expect(warned.slaState).toBe('warning');
    for (const e of warned.timeline.filter((x) => x.type === 'sla_warning'))
      expect(businessHours(e.at)).toBe(true);
    await env.sleep('15 days');
    const breached = await waitFor(handle, (v) => v.timeline.some((e) => e.type === 'escalated'));
    expect(breached.slaState).toBe('breached');
    const escalated = breached.timeline.find((e) => e.type === 'escalated')!;
    expect(businessHours(escalated.at)).toBe(true);
    expect(Date.parse(escalated.at)).toBeGreaterThanOrEqual(Date.parse(start.dueAt!));
    expect(breached.timeline.filter((e) => e.type === 'sla_warning')).toHaveLength(3);
    const sa = (await handle.describe()).searchAttributes;
    expect(sa.SlaState).toEqual(['breached']);
  });

  it('archives without a conclusive answer after 20 days of silence from the citizen', async () => {
    const handle = await startCase();
    await handle.executeUpdate(m.assignUpdate, { args: [{ assignee: 'ana@org', actor: 'ana@org' }] });
    await handle.executeUpdate(m.requestInfoUpdate, {
      args: [{ question: 'Informe o endereço completo.', actor: 'ana@org' }],
    });
    await env.sleep('10 days');
    expect((await handle.query(m.caseViewQuery)).status).toBe('awaiting_citizen');
    await env.sleep('15 days');
    const v = await waitFor(handle, (x) => x.status === 'archived');
    expect(v.timeline.at(-1)).toMatchObject({ type: 'archived', actor: 'system', visibility: 'public' });
    // Not at 23:59:59 of the last day: at the first business moment after it.
    expect(businessHours(v.timeline.at(-1)!.at)).toBe(true);
    expect(Date.parse(v.timeline.at(-1)!.at)).toBeGreaterThan(Date.parse(v.timeline.at(-2)!.at));
  });

  it('closes automatically when the citizen does not react to the answer', async () => {
    const handle = await startCase();
    await handle.executeUpdate(m.assignUpdate, { args: [{ assignee: 'ana@org', actor: 'ana@org' }] });
    await handle.executeUpdate(m.answerUpdate, {
      args: [{ text: 'Resposta conclusiva ao cidadão.', actor: 'ana@org' }],
    });
    await env.sleep('35 days');
    const v = await waitFor(handle, (x) => x.status === 'closed');
    expect(v.timeline.at(-1)).toMatchObject({ type: 'closed', actor: 'system' });
    expect(businessHours(v.timeline.at(-1)!.at)).toBe(true);
  });

  it('completes after the reopen window, and a new run reopens it keeping the history', async () => {
    const handle = await startCase();
    await handle.executeUpdate(m.assignUpdate, { args: [{ assignee: 'ana@org', actor: 'ana@org' }] });
    await handle.executeUpdate(m.closeUpdate, {
      args: [{ reason: 'Resolvido por telefone', actor: 'ana@org' }],
    });
    await env.sleep('31 days');
    const final = (await handle.result()) as m.CaseView;
    expect(final.status).toBe('closed');
    const reopened = await env.client.workflow.start<typeof caseWorkflow>('caseWorkflow', {
      workflowId: handle.workflowId,
      taskQueue,
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      args: [
        {
          protocol: final.protocol,
          kind: final.kind,
          subject: final.subject,
          description: final.description,
          identity: final.identity,
          channel: final.channel,
          citizen: final.citizen,
          receivedAt: final.receivedAt,
          registeredBy: 'citizen',
          carried: { view: final, processedMessageIds: [], firedAlerts: [] },
          reopen: { justification: 'Fato novo trazido pelo cidadão', actor: 'chefe@org' },
        },
      ],
    });
    const v = await waitFor(reopened, (x) => x.status === 'in_progress');
    expect(v.reopenCount).toBe(1);
    expect(v.timeline.map((e) => e.type)).toEqual(['received', 'assigned', 'closed', 'reopened']);
  });

  it('completes when the reopen window of Regras gerais ends (5 days instead of 30)', async () => {
    const handle = await startCase('praise');
    shortWindow.add(handle.workflowId);
    await handle.executeUpdate(m.assignUpdate, { args: [{ assignee: 'ana@org', actor: 'ana@org' }] });
    const closed = await handle.executeUpdate(m.closeUpdate, {
      args: [{ reason: 'Elogio registrado', actor: 'ana@org' }],
    });
    const final = (await handle.result()) as m.CaseView;
    expect(final.status).toBe('closed');
    const closedAt = Date.parse(closed.timeline.at(-1)!.at);
    const endedAt = (await handle.describe()).closeTime!.getTime();
    expect(endedAt - closedAt).toBeGreaterThanOrEqual(5 * 86_400_000);
    expect(endedAt - closedAt).toBeLessThan(6 * 86_400_000);
  });

  it('refuses to extend a unit deadline that has passed, unless the policy allows late extensions', async () => {
    const forwarded = async (kind: m.CaseInput['kind']) => {
      const handle = await startCase(kind);
      await handle.executeUpdate(m.assignUpdate, { args: [{ assignee: 'ana@org', actor: 'ana@org' }] });
      await handle.executeUpdate(m.forwardUpdate, {
        args: [{ units: ['SEC-OBRAS'], instructions: 'Vistoriar o local', actor: 'ana@org' }],
      });
      return handle;
    };
    const strict = await forwarded('complaint');
    const lenient = await forwarded('suggestion');
    await env.sleep('25 days');
    const late = { unit: 'SEC-OBRAS', justification: 'Aguardando a vistoria técnica', actor: 'ana@org' };
    const refused = await strict.executeUpdate(m.unitExtendUpdate, { args: [late] }).catch((e) => e);
    expect(refused).toBeInstanceOf(Error);
    expect(String(refused.cause?.message)).toContain('can no longer be extended');
    expect((await strict.query(m.caseViewQuery)).unitAssignments[0]?.extensions).toBe(0);
    const accepted = await lenient.executeUpdate(m.unitExtendUpdate, { args: [late] });
    expect(accepted.unitAssignments[0]?.extensions).toBe(1);
    expect(Date.parse(accepted.unitAssignments[0]!.deadline!.dueAt!)).toBeGreaterThan(
      await env.currentTimeMs(),
    );
  });

  describe('unit deadlines while the citizen is asked for information', () => {
    async function forwardedThenAsked(kind: m.CaseInput['kind']) {
      const handle = await startCase(kind);
      await handle.executeUpdate(m.assignUpdate, { args: [{ assignee: 'ana@org', actor: 'ana@org' }] });
      await handle.executeUpdate(m.forwardUpdate, {
        args: [{ units: ['SEC-OBRAS'], instructions: 'Vistoriar o local', actor: 'ana@org' }],
      });
      await env.sleep('5 days');
      const asked = await handle.executeUpdate(m.requestInfoUpdate, {
        args: [{ question: 'Informe o endereço completo.', actor: 'ana@org' }],
      });
      expect(asked.unitAssignments[0]?.deadline?.dueAt).toBeNull(); // the unit clock waits too
      await env.sleep('18 days'); // the unit's 20 days would have run out meanwhile
      const replied = await handle.executeUpdate(m.replyUpdate, {
        args: [{ text: 'Rua das Flores, 100, esquina com a Rua B.', actor: 'citizen' }],
      });
      await env.sleep('1 hour');
      const after = await handle.query(m.caseViewQuery);
      const unitAlarms = after.timeline.filter((e) => e.data.unit === 'SEC-OBRAS' && e.type !== 'forwarded');
      expect(unitAlarms.map((e) => e.type).filter((t) => t !== 'sla_warning')).toEqual([]);
      const repliedAt = Date.parse(replied.timeline.findLast((e) => e.type === 'citizen_replied')!.at);
      const unit = after.unitAssignments[0]!.deadline!;
      return { unit, days: (Date.parse(unit.dueAt!) - repliedAt) / 86_400_000 };
    }

    it('interrupt_once: the unit count restarts from the reply, and its explanation says so', async () => {
      const { unit, days } = await forwardedThenAsked('complaint');
      expect(days).toBeGreaterThanOrEqual(20);
      expect(unit.interruption).toBeDefined();
      expect(unit.explanation.join('\n')).toContain('Prazo interrompido pelo pedido de complementação');
      expect(unit.explanation.join('\n')).toContain('Decreto 9.492/2018, art. 18');
    });

    it('suspend: the unit count resumes where it stopped (about 15 days left), and its explanation says so', async () => {
      const { unit, days } = await forwardedThenAsked('request');
      expect(days).toBeGreaterThanOrEqual(14);
      expect(days).toBeLessThan(20);
      expect(unit.pauses).toHaveLength(1);
      expect(unit.explanation.join('\n')).toContain('Portaria Normativa CGU 116/2024, art. 25');
      expect(unit.explanation.join('\n')).toContain('Suspenso aguardando complementação');
    });
  });

  it('a letter registered on Sunday evening long after it arrived: the breach is recorded at once, overtaken warnings are skipped, and the mails wait for Monday 08:00', async () => {
    // Skip to the next Sunday, 18:15 in São Paulo.
    const now = Temporal.Instant.fromEpochMilliseconds(await env.currentTimeMs()).toZonedDateTimeISO(
      'America/Sao_Paulo',
    );
    let sunday = now.with({ hour: 18, minute: 15, second: 0, millisecond: 0 });
    while (sunday.dayOfWeek !== 7 || Temporal.ZonedDateTime.compare(sunday, now) <= 0)
      sunday = sunday.add({ days: 1 });
    await env.sleep(sunday.epochMilliseconds - now.epochMilliseconds);
    const arrived = sunday.subtract({ days: 45 }).toInstant().toString();
    const handle = await startCase('complaint', arrived);
    const v = await waitFor(handle, (x) => x.timeline.some((e) => e.type === 'escalated'));
    expect(v.slaState).toBe('breached');
    const types = v.timeline.map((e) => e.type);
    expect(types).toContain('sla_breached');
    expect(types).not.toContain('sla_warning'); // all three were overtaken by the breach
    const alarmMail = () =>
      mails.filter((x) => x.protocol === v.protocol && ['sla_breached', 'escalated'].includes(x.type));
    expect(mails.some((x) => x.protocol === v.protocol && x.type === 'received')).toBe(true);
    expect(alarmMail()).toEqual([]);

    await env.sleep('16 hours'); // Monday 10:15
    for (let i = 0; i < 100 && alarmMail().length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    const sent = alarmMail();
    expect(sent.map((x) => x.type).sort()).toEqual(['escalated', 'sla_breached']);
    const monday8 = sunday.add({ days: 1 }).with({ hour: 8, minute: 0 }).epochMilliseconds;
    for (const mail of sent) {
      expect(mail.at).toBeGreaterThanOrEqual(monday8);
      expect(businessHours(new Date(mail.at).toISOString())).toBe(true);
    }
  });

  it('a case registered 25 days after it arrived gets one warning (the latest one due), and one mail per recorded warning, in business hours', async () => {
    const now = await env.currentTimeMs();
    const handle = await startCase('complaint', new Date(now - 25 * 86_400_000).toISOString());
    const v = await waitFor(handle, (x) => x.timeline.some((e) => e.type === 'sla_warning'));
    expect(v.slaState).toBe('warning');
    expect(v.timeline.filter((e) => e.type === 'sla_warning')).toHaveLength(1); // 50% and 75% passed: one alarm
    expect(v.timeline.some((e) => e.type === 'sla_breached')).toBe(false);
    await env.sleep('3 days'); // (the 90% warning may come due meanwhile: it gets its own mail)
    await waitFor(handle, () => mails.some((x) => x.protocol === v.protocol && x.type === 'sla_warning'));
    const later = await handle.query(m.caseViewQuery);
    const warningMail = mails.filter((x) => x.protocol === v.protocol && x.type === 'sla_warning');
    // One mail per recorded warning: none for the skipped 50% point.
    expect(warningMail).toHaveLength(later.timeline.filter((e) => e.type === 'sla_warning').length);
    for (const mail of warningMail) expect(businessHours(new Date(mail.at).toISOString())).toBe(true);
  });
});
