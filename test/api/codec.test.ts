// Temporal payloads are encrypted end to end (issue 7): a case filed through the API leaves no citizen
// name or e-mail in `temporal workflow show`, and the /codec endpoint (Temporal's remote codec protocol)
// gives them back only to a signed-in admin, with CORS for the Temporal Web UI.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { auditLog } from '../../db/schema.ts';
import {
  json,
  newManifestation,
  startTestOuvidor,
  type TestOuvidor,
  testUiOrigin,
} from '../support/harness.ts';
import { origin as appOrigin, cookiesOf } from '../ui/support.ts';

type JsonPayload = { metadata?: Record<string, string>; data?: string };

let t: TestOuvidor;
let admin: Awaited<ReturnType<TestOuvidor['createStaff']>>;

beforeAll(async () => {
  t = await startTestOuvidor();
  admin = await t.createStaff('admin');
});
afterAll(async () => {
  await t?.stop();
});

const temporalCli = () =>
  spawnSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' }).stdout.trim() || 'temporal';

/** `temporal workflow show -o json` of a case, as an operator runs it against the Temporal server. */
function workflowShow(protocol: string, command: 'show' | 'describe' = 'show'): string {
  const r = spawnSync(
    temporalCli(),
    [
      'workflow',
      command,
      '--workflow-id',
      protocol,
      '--address',
      inject('temporalAddress'),
      '--namespace',
      inject('temporalNamespace'),
      '-o',
      'json',
    ],
    { encoding: 'utf8' },
  );
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** Every Payload object anywhere in a history (objects with base64 `data` and `metadata`). */
function payloadsIn(value: unknown, out: JsonPayload[] = []): JsonPayload[] {
  if (Array.isArray(value)) for (const v of value) payloadsIn(v, out);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (o.metadata && typeof o.metadata === 'object' && 'encoding' in (o.metadata as object)) {
      out.push(o as JsonPayload);
    } else for (const v of Object.values(o)) payloadsIn(v, out);
  }
  return out;
}

/** What someone reading the history sees: the raw text plus every payload's data decoded from base64. */
const readable = (raw: string, payloads: JsonPayload[]) =>
  [raw, ...payloads.map((p) => Buffer.from(p.data ?? '', 'base64').toString('utf8'))].join('\n');

const encoding = (p: JsonPayload) => Buffer.from(p.metadata?.encoding ?? '', 'base64').toString();

const codecRequest = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  t.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': inject('temporalNamespace'), ...headers },
    body: JSON.stringify(body),
  });

describe('temporal workflow show', () => {
  it('holds no citizen name, e-mail or phone; /codec/decode gives them back to an admin', async () => {
    const citizen = {
      name: 'Rosângela Vieira Tavares',
      email: 'rosangela.tavares@example.org',
      phone: '+55 21 98765-4321',
    };
    const filed = await json<{ protocol: string }>(
      t.app.request('/api/v1/manifestations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(newManifestation({ identity: 'preserved', citizen })),
      }),
    );
    expect(filed.status).toBe(201);
    const { protocol } = filed.body;
    // an update with its result, so the history holds more than the start input
    const assigned = await t.app.request(`/api/v1/manifestations/${protocol}/actions/assign`, {
      method: 'POST',
      headers: admin.headers,
      body: JSON.stringify({ assignee: admin.email }),
    });
    expect(assigned.status).toBe(200);

    const raw = workflowShow(protocol);
    const payloads = payloadsIn(JSON.parse(raw));
    const shown = readable(raw, payloads);
    expect(shown).toContain(protocol); // the workflow id is the protocol: not personal
    for (const secret of [citizen.email, citizen.name, 'Rosângela', 'Tavares', citizen.phone]) {
      expect(shown).not.toContain(secret);
    }
    const encrypted = payloads.filter((p) => encoding(p) === 'binary/encrypted');
    expect(encrypted.length).toBeGreaterThanOrEqual(3); // input, update args, update result, activities…

    // what the Temporal UI lists without a codec: search attributes, memo, summary and current details
    const described = workflowShow(protocol, 'describe');
    expect(described).toContain('CaseStatus');
    const metadata = await t.client.workflow
      .getHandle(protocol)
      .query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toContain('in_progress');
    const listed = [readable(described, payloadsIn(JSON.parse(described))), metadata.currentDetails].join(
      '\n',
    );
    for (const secret of [citizen.email, citizen.name, 'Rosângela', 'Tavares', citizen.phone]) {
      expect(listed).not.toContain(secret);
    }

    const decoded = await json<{ payloads: JsonPayload[] }>(
      codecRequest('/codec/decode', { payloads }, admin.headers),
    );
    expect(decoded.status).toBe(200);
    expect(decoded.body.payloads).toHaveLength(payloads.length);
    expect(decoded.body.payloads.some((p) => encoding(p) === 'binary/encrypted')).toBe(false);
    const opened = readable('', decoded.body.payloads);
    expect(opened).toContain(citizen.email);
    expect(opened).toContain(citizen.name);
  });

  it('the scan above would see a plaintext history (an unencrypted fixture shows its citizen)', () => {
    const raw = readFileSync(new URL('../fixtures/histories/v2-received.json', import.meta.url), 'utf8');
    expect(raw).not.toContain('joao@example.org');
    expect(readable(raw, payloadsIn(JSON.parse(raw)))).toContain('joao@example.org');
  });
});

describe('/codec endpoint', () => {
  const sample = async () => {
    const res = await json<{ payloads: JsonPayload[] }>(
      codecRequest(
        '/codec/encode',
        {
          payloads: [
            {
              metadata: { encoding: Buffer.from('json/plain').toString('base64') },
              data: Buffer.from(JSON.stringify({ email: 'ana@example.org' })).toString('base64'),
            },
          ],
        },
        admin.headers,
      ),
    );
    expect(res.status).toBe(200);
    return res.body.payloads;
  };

  it('answers 401 without credentials and 403 to staff who are not admins', async () => {
    const payloads = await sample();
    const anonymous = await json(codecRequest('/codec/decode', { payloads }, { origin: testUiOrigin }));
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('access-control-allow-origin')).toBe(testUiOrigin);
    for (const role of ['unit', 'attendant', 'ombudsman'] as const) {
      const who = await t.createStaff(role, role === 'unit' ? { unitCode: 'SEC-OBRAS' } : {});
      const res = await json(codecRequest('/codec/decode', { payloads }, who.headers));
      expect(res.status, role).toBe(403);
      expect(JSON.stringify(res.body)).not.toContain('ana@example.org');
      expect((await codecRequest('/codec/encode', { payloads }, who.headers)).status, role).toBe(403);
    }
  });

  it('decodes for an admin signed in with the session cookie, from the Temporal UI origin', async () => {
    const payloads = await sample();
    const signIn = await t.app.request('/entrar', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: appOrigin },
      body: new URLSearchParams({ email: admin.email, password: admin.password }).toString(),
    });
    expect(signIn.status).toBe(303);
    const res = await json<{ payloads: JsonPayload[] }>(
      codecRequest('/codec/decode', { payloads }, { cookie: cookiesOf(signIn), origin: testUiOrigin }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(testUiOrigin);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(Buffer.from(res.body.payloads[0]!.data!, 'base64').toString()).toBe('{"email":"ana@example.org"}');
    expect(encoding(res.body.payloads[0]!)).toBe('json/plain');
    const audited = await t.db.select().from(auditLog).where(eq(auditLog.actor, admin.email));
    expect(audited.map((a) => a.action)).toContain('temporal.codec.decode');
  });

  it('answers the CORS preflight of the Temporal UI, and no other origin', async () => {
    const preflight = (origin: string) =>
      t.app.request('/codec/decode', {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-namespace',
        },
      });
    const ok = await preflight(testUiOrigin);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(testUiOrigin);
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ok.headers.get('access-control-allow-methods')).toContain('POST');
    expect(ok.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-namespace');
    const evil = await preflight('https://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    // and a simple cross-site form post riding the admin's session cookie cannot reach it (CSRF)
    const signIn = await t.app.request('/entrar', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: appOrigin },
      body: new URLSearchParams({ email: admin.email, password: admin.password }).toString(),
    });
    const form = await t.app.request('/codec/decode', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'https://evil.example', cookie: cookiesOf(signIn) },
      body: '{}',
    });
    expect(form.status).toBe(403);
  });

  it('honours X-Namespace and the namespace path form; other namespaces are 404', async () => {
    const payloads = await sample();
    const ns = inject('temporalNamespace');
    expect((await codecRequest(`/codec/${ns}/decode`, { payloads }, admin.headers)).status).toBe(200);
    const other = await json(
      codecRequest('/codec/decode', { payloads }, { ...admin.headers, 'x-namespace': 'billing' }),
    );
    expect(other.status).toBe(404);
    expect((await codecRequest('/codec/billing/decode', { payloads }, admin.headers)).status).toBe(404);
  });

  it('refuses altered ciphertext and malformed bodies with a clear error', async () => {
    const [p] = await sample();
    const data = Buffer.from(p!.data!, 'base64');
    data[data.length - 1]! ^= 1;
    const altered = await json<{ error: { code: string } }>(
      codecRequest('/codec/decode', { payloads: [{ ...p, data: data.toString('base64') }] }, admin.headers),
    );
    expect(altered.status).toBe(422);
    expect(altered.body.error.code).toBe('undecryptable_payload');
    const bad = await json<{ error: { code: string } }>(
      codecRequest('/codec/decode', { payloads: [{ data: 'not base64!' }] }, admin.headers),
    );
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('invalid_body');
    // proto3 JSON omits an empty list: the CLI sends `{}` for an event without payloads
    const empty = await json(codecRequest('/codec/decode', {}, admin.headers));
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ payloads: [] });
    expect((await codecRequest('/codec/decode', { payloads: 'x' }, admin.headers)).status).toBe(422);
  });
});
