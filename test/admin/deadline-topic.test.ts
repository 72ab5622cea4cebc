// Deadline policies per catalogue topic (Administração → Prazos): a topic policy applies to every item of
// the topic, an item policy on one of them is more specific, and the preview and new cases agree.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseViewQuery } from '../../workflows/messages.ts';
import { json, newManifestation, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';

type Staff = Awaited<ReturnType<TestOuvidor['createStaff']>>;
let t: TestOuvidor;
let admin: Staff;

beforeAll(async () => {
  t = await startTestOuvidor();
  admin = await t.createStaff('admin');
});
afterAll(async () => t?.stop());

const policy = (body: Record<string, unknown>) =>
  json<{ id: string; topic: string | null }>(
    t.app.request('/api/v1/admin/sla-policies', {
      method: 'POST',
      headers: admin.headers,
      body: JSON.stringify(body),
    }),
  );
const file = async (over: Record<string, unknown>) => {
  const r = await json<{ protocol: string }>(
    t.app.request('/api/v1/manifestations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(newManifestation(over)),
    }),
  );
  expect(r.status).toBe(201);
  return t.client.workflow.getHandle(r.body.protocol).query(caseViewQuery);
};

describe('policies per topic', () => {
  it('a topic policy covers its items; an item policy wins over it; other topics keep the law', async () => {
    const topic = await policy({
      id: 'obras-7du',
      name: 'Obras e vias: 7 dias úteis',
      scope: 'case',
      topic: 'obras-vias',
      unit: 'business_days',
      amount: 7,
    });
    expect(topic.status).toBe(201);
    expect(topic.body.topic).toBe('obras-vias');
    expect(
      (
        await policy({
          id: 'buraco-5du',
          name: 'Buraco: 5 dias úteis',
          scope: 'case',
          item: 'buraco-via',
          unit: 'business_days',
          amount: 5,
        })
      ).status,
    ).toBe(201);

    const sidewalk = await file({ topic: 'obras-vias', item: 'calcada' });
    expect(sidewalk.deadline?.policy.id).toBe('obras-7du');
    const pothole = await file({ topic: 'obras-vias', item: 'buraco-via' });
    expect(pothole.deadline?.policy.id).toBe('buraco-5du');
    const clinic = await file({ topic: 'saude', item: 'ubs' });
    expect(clinic.deadline?.policy.id).not.toBe('obras-7du');

    const preview = await json<{ policy: { id: string }; explanation: string[] }>(
      t.app.request('/api/v1/admin/deadline-preview', {
        method: 'POST',
        headers: admin.headers,
        body: JSON.stringify({ start: '2026-10-05T10:00:00-03:00', topic: 'obras-vias' }),
      }),
    );
    expect(preview.body.policy.id).toBe('obras-7du');
    expect(preview.body.explanation[0]).toContain('assunto "obras-vias"');
  });
});
