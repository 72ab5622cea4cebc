// The whole life of a manifestação through Updates and Signals on the real dev server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failuresQuery, repairUpdate } from '../../workflows/failure-messages.ts';
import * as m from '../../workflows/messages.ts';
import { staff, startWorkflowWorker, updateFailure } from './support.ts';

let w: Awaited<ReturnType<typeof startWorkflowWorker>>;
beforeAll(async () => {
  w = await startWorkflowWorker();
});
afterAll(async () => w?.stop());

const DAY = 86_400_000;

async function assumed() {
  const c = await w.startCase();
  await c.handle.executeUpdate(m.assignUpdate, { args: [{ assignee: 'ana@org', ...staff('chefe@org') }] });
  return c;
}

describe('forwarding to units', () => {
  it('waits for every unit, each with its own 20-day deadline, then returns to in_progress', async () => {
    const { handle } = await assumed();
    const fwd = await handle.executeUpdate(m.forwardUpdate, {
      args: [{ units: ['SEC-OBRAS', 'SEC-SAUDE'], instructions: 'Verificar e responder', ...staff() }],
    });
    expect(fwd.status).toBe('forwarded');
    expect(fwd.units).toEqual(['SEC-OBRAS', 'SEC-SAUDE']);
    const due = fwd.unitAssignments.map((a) => Date.parse(a.deadline?.dueAt ?? ''));
    for (const d of due) {
      const days = (d - Date.now()) / DAY;
      expect(days).toBeGreaterThan(19);
      expect(days).toBeLessThan(25);
    }
    const one = await handle.executeUpdate(m.unitResponseUpdate, {
      args: [{ unit: 'SEC-OBRAS', text: 'Equipe enviada ao local.', actor: 'obras@org' }],
    });
    expect(one.status).toBe('forwarded');
    const both = await handle.executeUpdate(m.unitResponseUpdate, {
      args: [{ unit: 'SEC-SAUDE', text: 'Sem relação com a saúde.', actor: 'saude@org' }],
    });
    expect(both.status).toBe('in_progress');
    expect(both.unitAssignments.map((a) => a.status)).toEqual(['responded', 'responded']);
  });

  it('extends a unit deadline once, with justification, and refuses a second time', async () => {
    const { handle } = await assumed();
    const fwd = await handle.executeUpdate(m.forwardUpdate, {
      args: [{ units: ['SEC-OBRAS'], instructions: 'Avaliar', ...staff() }],
    });
    const before = Date.parse(fwd.unitAssignments[0]?.deadline?.dueAt ?? '');
    const ext = await handle.executeUpdate(m.unitExtendUpdate, {
      args: [{ unit: 'SEC-OBRAS', justification: 'Necessária vistoria técnica no local', ...staff() }],
    });
    const after = Date.parse(ext.unitAssignments[0]?.deadline?.dueAt ?? '');
    expect((after - before) / DAY).toBeGreaterThanOrEqual(18);
    const second = await updateFailure(
      handle.executeUpdate(m.unitExtendUpdate, {
        args: [{ unit: 'SEC-OBRAS', justification: 'Mais uma vez, por favor', ...staff() }],
      }),
    );
    expect(second.type).toBe('TransitionNotAllowed');
  });
});

describe('complementation', () => {
  it('pauses the clock, and the first reply restarts the 30 days from the reply (interrupt once)', async () => {
    const { handle } = await assumed();
    const asked = await handle.executeUpdate(m.requestInfoUpdate, {
      args: [{ question: 'Informe o número do poste, por favor.', ...staff() }],
    });
    expect(asked.status).toBe('awaiting_citizen');
    expect(asked.slaState).toBe('paused');
    expect(asked.dueAt).toBeNull();
    const days = (Date.parse(asked.complementationDeadline?.dueAt ?? '') - Date.now()) / DAY;
    expect(days).toBeGreaterThan(19);
    expect(days).toBeLessThan(25);
    const replied = await handle.executeUpdate(m.replyUpdate, {
      args: [{ text: 'Poste 1234', actor: 'citizen' }],
    });
    expect(replied.status).toBe('in_progress');
    expect(replied.slaState).toBe('ok');
    const restart = Date.parse(replied.deadline?.start ?? '');
    expect(Date.now() - restart).toBeLessThan(60_000);
    expect(replied.timeline.map((e) => e.type)).toContain('citizen_replied');
  });

  it('does not interrupt the clock again on a second request', async () => {
    const { handle } = await assumed();
    await handle.executeUpdate(m.requestInfoUpdate, {
      args: [{ question: 'Qual o endereço exato?', ...staff() }],
    });
    const first = await handle.executeUpdate(m.replyUpdate, {
      args: [{ text: 'Rua A, 10', actor: 'citizen' }],
    });
    const again = await handle.executeUpdate(m.requestInfoUpdate, {
      args: [{ question: 'Qual o ponto de referência?', ...staff() }],
    });
    expect(again.dueAt).toBe(first.dueAt);
    expect(again.slaState).not.toBe('paused');
  });
});

describe('deadline extension', () => {
  it('adds 30 days once with a justification and refuses a second extension', async () => {
    const { handle, view } = await assumed();
    const ext = await handle.executeUpdate(m.extendUpdate, {
      args: [{ justification: 'Aguardando laudo técnico da Defesa Civil', ...staff() }],
    });
    expect((Date.parse(ext.dueAt ?? '') - Date.parse(view.dueAt ?? '')) / DAY).toBeGreaterThanOrEqual(29);
    const event = ext.timeline.at(-1);
    expect(event).toMatchObject({ type: 'deadline_extended', visibility: 'public' });
    const second = await updateFailure(
      handle.executeUpdate(m.extendUpdate, {
        args: [{ justification: 'Ainda aguardando o laudo técnico', ...staff() }],
      }),
    );
    expect(second.type).toBe('TransitionNotAllowed');
    const noReason = await updateFailure(
      handle.executeUpdate(m.extendUpdate, { args: [{ justification: '', ...staff() }] }),
    );
    expect(noReason.type).toBe('InvalidPayload');
  });
});

describe('classification, notes and work', () => {
  it('reclassifies keeping the original kind, changes priority, logs work and notes', async () => {
    const { handle } = await assumed();
    const r = await handle.executeUpdate(m.reclassifyUpdate, {
      args: [{ kind: 'request', item: 'Iluminação pública', reason: 'É pedido de providência', ...staff() }],
    });
    expect(r).toMatchObject({ kind: 'request', originalKind: 'complaint', item: 'Iluminação pública' });
    const p = await handle.executeUpdate(m.priorityUpdate, {
      args: [{ priority: 'urgent', reason: 'risco', ...staff() }],
    });
    expect(p.priority).toBe('urgent');
    await handle.executeUpdate(m.worklogUpdate, {
      args: [{ minutes: 30, description: 'Análise', estimateMinutes: 120, ...staff() }],
    });
    const wl = await handle.executeUpdate(m.worklogUpdate, {
      args: [{ minutes: 45, description: 'Contato com a unidade', ...staff() }],
    });
    expect(wl).toMatchObject({ workMinutes: 75, estimateMinutes: 120 });
    const n = await handle.executeUpdate(m.noteUpdate, {
      args: [{ text: 'Cidadão ligou', visibility: 'internal', ...staff() }],
    });
    expect(n.timeline.at(-1)).toMatchObject({ type: 'note_added', visibility: 'internal' });
    const aux = await handle.executeUpdate(m.auxiliaryUpdate, {
      args: [{ attendant: 'bia@org', ...staff() }],
    });
    expect(aux.auxiliaries).toEqual(['bia@org']);
  });
});

describe('answer and the citizen', () => {
  it('accept → approved; ratings are partial before the answer and final after', async () => {
    const { handle } = await assumed();
    await handle.executeUpdate(m.rateUpdate, { args: [{ score: 3, actor: 'citizen' }] });
    await handle.executeUpdate(m.answerUpdate, { args: [{ text: 'O poste foi consertado.', ...staff() }] });
    const rated = await handle.executeUpdate(m.rateUpdate, {
      args: [{ score: 5, resolved: 'yes', actor: 'citizen' }],
    });
    expect(rated.ratings.map((r) => r.final)).toEqual([false, true]);
    const ok = await handle.executeUpdate(m.acceptUpdate, { args: [{ actor: 'citizen' }] });
    expect(ok.status).toBe('approved');
  });

  it('reject with a reason returns to in_progress and counts as a reopen', async () => {
    const { handle } = await assumed();
    await handle.executeUpdate(m.answerUpdate, { args: [{ text: 'O poste foi consertado.', ...staff() }] });
    const noReason = await updateFailure(
      handle.executeUpdate(m.rejectUpdate, { args: [{ reason: '', actor: 'citizen' }] }),
    );
    expect(noReason.type).toBe('InvalidPayload');
    const back = await handle.executeUpdate(m.rejectUpdate, {
      args: [{ reason: 'Continua apagado', actor: 'citizen' }],
    });
    expect(back).toMatchObject({ status: 'in_progress', reopenCount: 1 });
    const description = await handle.describe();
    expect(description.searchAttributes.ReopenCount).toEqual([1]);
  });
});

describe('archive, close and reopen', () => {
  it('never archives a praise before it reached the praised unit', async () => {
    const { handle } = await w.startCase({ kind: 'praise' });
    await handle.executeUpdate(m.assignUpdate, { args: [{ assignee: 'ana@org', ...staff() }] });
    const refused = await updateFailure(
      handle.executeUpdate(m.archiveUpdate, {
        args: [{ justification: 'Elogio genérico sem destinatário', ...staff() }],
      }),
    );
    expect(refused.type).toBe('TransitionNotAllowed');
    await handle.executeUpdate(m.forwardUpdate, {
      args: [{ units: ['GUARDA'], instructions: 'Elogio ao guarda', ...staff() }],
    });
    await handle.executeUpdate(m.unitResponseUpdate, {
      args: [{ unit: 'GUARDA', text: 'Ciente, obrigado.', actor: 'guarda@org' }],
    });
    const archived = await handle.executeUpdate(m.archiveUpdate, {
      args: [{ justification: 'Elogio encaminhado e registrado', ...staff() }],
    });
    expect(archived.status).toBe('archived');
  });

  it('reopens a closed case with a justification, with a fresh deadline', async () => {
    const { handle } = await assumed();
    await handle.executeUpdate(m.answerUpdate, { args: [{ text: 'Resposta conclusiva.', ...staff() }] });
    await handle.executeUpdate(m.closeUpdate, { args: [{ reason: 'ok', ...staff() }] });
    const refused = await updateFailure(
      handle.executeUpdate(m.reopenUpdate, { args: [{ justification: '', ...staff() }] }),
    );
    expect(refused.type).toBe('InvalidPayload');
    const reopened = await handle.executeUpdate(m.reopenUpdate, {
      args: [{ justification: 'Cidadão trouxe fato novo relevante', ...staff() }],
    });
    expect(reopened).toMatchObject({ status: 'in_progress', reopenCount: 1 });
    expect(reopened.timeline.map((e) => e.type)).toEqual([
      'received',
      'assigned',
      'answered',
      'closed',
      'reopened',
    ]);
  });
});

describe('signals', () => {
  it('takes an inbound e-mail once even when delivered twice, and resumes a case awaiting the citizen', async () => {
    const { handle } = await assumed();
    await handle.executeUpdate(m.requestInfoUpdate, {
      args: [{ question: 'Envie uma foto do local.', ...staff() }],
    });
    const msg: m.InboundMessage = {
      id: 'inbound-1',
      emailId: 'em-1',
      from: 'joao@example.org',
      fromRole: 'citizen',
      subject: 'Re: [OUV] foto',
      text: 'Segue a foto.',
      attachmentIds: ['att-1'],
      receivedAt: new Date().toISOString(),
    };
    await handle.signal(m.inboundMessageSignal, msg);
    await handle.signal(m.inboundMessageSignal, msg);
    let view = await handle.query(m.caseViewQuery);
    for (let i = 0; i < 50 && view.status !== 'in_progress'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      view = await handle.query(m.caseViewQuery);
    }
    expect(view.status).toBe('in_progress');
    expect(view.timeline.filter((e) => e.type === 'citizen_replied')).toHaveLength(1);
    expect(view.timeline.filter((e) => e.type === 'email_received')).toHaveLength(1);
  });

  it("runs the mail step for a citizen's e-mail once: for the reply, not for its `email_received` copy", async () => {
    const { handle, protocol } = await assumed();
    const mail = (id: string, fromRole: m.InboundMessage['fromRole']): m.InboundMessage => ({
      id,
      emailId: id,
      from: fromRole === 'citizen' ? 'joao@example.org' : 'setor@org',
      fromRole,
      subject: 'Re: [OUV] poste',
      text: 'O poste continua apagado.',
      attachmentIds: [],
      receivedAt: new Date().toISOString(),
      verification: 'verified',
    });
    await handle.signal(m.inboundMessageSignal, mail('reply-once', 'citizen'));
    // a message from staff is not a reply: its `email_received` keeps its mail step (the rules decide)
    await handle.signal(m.inboundMessageSignal, mail('staff-copy', 'staff'));
    let mine: string[] = [];
    for (let i = 0; i < 150 && mine.length < 4; i++) {
      await new Promise((r) => setTimeout(r, 100));
      mine = w.steps.filter((n) => n.startsWith(`${protocol}:`)).map((n) => n.slice(protocol.length + 1));
    }
    // each stored in the workflow task that recorded it (the log is the only transport here: case-activities.ts)
    expect(mine).toEqual([
      '1:received:local',
      '2:assigned:local',
      '4:citizen_replied:local',
      '5:email_received:local',
    ]);
    const view = await handle.query(m.caseViewQuery);
    expect(view.timeline.map((e) => e.type)).toEqual([
      'received',
      'assigned',
      'email_received',
      'citizen_replied',
      'email_received',
    ]);
  });

  it('re-plans deadlines when the calendar changes, and commits only when a date moved', async () => {
    const { handle, view } = await assumed();
    const before = w.planned.length;
    await handle.signal(m.calendarChangedSignal, { id: 'cal-edit-same', calendarVersion: 2 });
    for (let i = 0; i < 50 && w.planned.length === before; i++) await new Promise((r) => setTimeout(r, 100));
    expect(w.planned.length).toBeGreaterThan(before);
    const same = await handle.query(m.caseViewQuery);
    expect(same.timeline.some((e) => e.data.recalculated)).toBe(false);
    // a municipal holiday on the due day moves the deadline to the next business day
    const dueDay = new Date(Date.parse(view.dueAt ?? '') - 3 * 3_600_000).toISOString().slice(0, 10);
    w.overrides.push({ date: dueDay, kind: 'holiday', name: 'Feriado municipal' });
    await handle.signal(m.calendarChangedSignal, { id: 'cal-edit-holiday', calendarVersion: 3 });
    let moved = await handle.query(m.caseViewQuery);
    for (let i = 0; i < 50 && !moved.timeline.some((e) => e.data.recalculated); i++) {
      await new Promise((r) => setTimeout(r, 100));
      moved = await handle.query(m.caseViewQuery);
    }
    w.overrides.length = 0;
    expect(Date.parse(moved.dueAt ?? '')).toBeGreaterThan(Date.parse(view.dueAt ?? ''));
    expect(moved.deadline?.calendarVersion).toBe(2);
  });

  it('notifies every committed event exactly once', async () => {
    const { handle, protocol } = await assumed();
    await handle.executeUpdate(m.answerUpdate, { args: [{ text: 'Resposta conclusiva.', ...staff() }] });
    let mine: string[] = [];
    for (let i = 0; i < 50 && mine.length < 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
      mine = w.notified.filter((n) => n.startsWith(`${protocol}:`));
    }
    expect(mine).toEqual([`${protocol}:1:received`, `${protocol}:2:assigned`, `${protocol}:3:answered`]);
  });
});

describe('acknowledgement of a new case', () => {
  const activityTasks = async (handle: { fetchHistory: () => Promise<{ events?: unknown[] | null }> }) =>
    ((await handle.fetchHistory()).events ?? []).filter(
      (e) => (e as { activityTaskScheduledEventAttributes?: unknown }).activityTaskScheduledEventAttributes,
    ).length;

  it('is stored and logged in the registration itself when the mail only goes to the log', async () => {
    const { handle, protocol } = await w.startCase();
    expect(w.steps.filter((n) => n.startsWith(`${protocol}:`))).toEqual([`${protocol}:1:received:local`]);
    expect(w.notified).toContain(`${protocol}:1:received`);
    // no activity task and no second workflow task for it: the case is registered in one task
    expect(await activityTasks(handle)).toBe(0);
  });

  it('is sent once by the mail activity when it must leave the machine; so is a later event', async () => {
    w.external.add('received');
    w.external.add('note_added');
    try {
      const { handle, protocol } = await assumed();
      await handle.executeUpdate(m.noteUpdate, {
        args: [{ text: 'Vistoria marcada', visibility: 'public', ...staff() }],
      });
      let mine: string[] = [];
      for (let i = 0; i < 50 && mine.length < 5; i++) {
        mine = w.steps.filter((n) => n.startsWith(`${protocol}:`));
        if (mine.length < 5) await new Promise((r) => setTimeout(r, 100));
      }
      // stored in the task of its event, sent by the regular activity only when it leaves the machine
      expect(mine).toEqual([
        `${protocol}:1:received:local`,
        `${protocol}:1:received:remote`,
        `${protocol}:2:assigned:local`,
        `${protocol}:3:note_added:local`,
        `${protocol}:3:note_added:remote`,
      ]);
      expect(w.notified.filter((n) => n.startsWith(`${protocol}:`))).toEqual([
        `${protocol}:1:received`,
        `${protocol}:2:assigned`,
        `${protocol}:3:note_added`,
      ]);
      expect(await activityTasks(handle)).toBe(2);
    } finally {
      w.external.delete('received');
      w.external.delete('note_added');
    }
  });
});

describe('a message that cannot be stored', () => {
  it('is recorded as a failed step, owed, and sent by the repair once the cause is fixed', async () => {
    const { handle, protocol } = await assumed();
    w.refused.add('note_added');
    try {
      const noted = await handle.executeUpdate(m.noteUpdate, {
        args: [{ text: 'Vistoria marcada', visibility: 'public', ...staff() }],
      });
      // the case answered and shows the failure to staff
      expect(noted.timeline.at(-1)).toMatchObject({ type: 'step_failed', data: { step: 'notification' } });
      expect(noted.timeline.some((e) => e.type === 'note_added')).toBe(true);
      expect(await handle.query(failuresQuery)).toMatchObject([
        { step: 'notification', owedNotifications: 1, error: expect.stringContaining('PermanentDataError') },
      ]);
      // later actions still work
      const after = await handle.executeUpdate(m.priorityUpdate, {
        args: [{ priority: 'high', ...staff() }],
      });
      expect(after.priority).toBe('high');
    } finally {
      w.refused.delete('note_added');
    }
    const repaired = await handle.executeUpdate(repairUpdate, { args: [{ actor: 'chefe@org' }] });
    expect(repaired.timeline.at(-1)).toMatchObject({ type: 'step_repaired', data: { step: 'notification' } });
    expect(await handle.query(failuresQuery)).toEqual([]);
    // the owed message went through the regular activity this time
    expect(w.steps.filter((s) => s.startsWith(`${protocol}:`) && s.includes(':note_added:'))).toEqual([
      `${protocol}:3:note_added:local`,
      `${protocol}:3:note_added:remote`,
    ]);
  });
});

describe('long life', () => {
  it('continues as new when the history grows, losing nothing', async () => {
    const { handle } = await w.startCase({ historyLimit: 40 });
    await handle.executeUpdate(m.assignUpdate, { args: [{ assignee: 'ana@org', ...staff() }] });
    const first = (await handle.describe()).runId;
    for (let i = 1; i <= 12; i++) {
      await handle.executeUpdate(m.worklogUpdate, {
        args: [{ minutes: i, description: `trabalho ${i}`, ...staff() }],
      });
    }
    let runId = first;
    for (let i = 0; i < 50 && runId === first; i++) {
      await new Promise((r) => setTimeout(r, 100));
      runId = (await handle.describe()).runId;
    }
    expect(runId).not.toBe(first);
    const after = await handle.executeUpdate(m.worklogUpdate, {
      args: [{ minutes: 1, description: 'depois', ...staff() }],
    });
    expect(after.workMinutes).toBe(78 + 1);
    expect(after.timeline.filter((e) => e.type === 'work_logged')).toHaveLength(13);
    expect(after.status).toBe('in_progress');
  });
});
