// A worker process killed in the middle of sending: the retry on a fresh worker sends the same
// Idempotency-Key, so the (fake) Resend API accepts one message and the mail log ends with it sent.
// Needs real PostgreSQL (two processes share the database): skipped on PGlite.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { listOutboundForCase } from '../../db/queries/email.ts';
import type { caseWorkflow } from '../../workflows/case.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { testDataConverter, testPayloadKey } from '../support/payload-codec.ts';

const hasPostgres = Boolean(process.env.TEST_DATABASE_ADMIN_URL ?? process.env.DATABASE_URL);

describe.skipIf(!hasPostgres)('worker killed mid-send (real PostgreSQL, two worker processes)', () => {
  let database: TestDatabase;
  let connection: Connection;
  const children: ChildProcess[] = [];
  const requests: string[] = []; // idempotency keys, in arrival order
  const accepted = new Set<string>();
  let holdFirst = true;
  const held: ServerResponse[] = [];
  const fake = createServer((req, res) => {
    req.resume(); // the body is not needed: the idempotency key is what counts
    req.on('end', () => {
      const key = String(req.headers['idempotency-key'] ?? '');
      requests.push(key);
      accepted.add(key); // Resend has the message: it is sent even if the caller never hears back
      if (holdFirst) {
        holdFirst = false;
        held.push(res); // the worker dies before the answer arrives
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `email_${[...accepted].indexOf(key) + 1}` }));
    });
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', () => r()));
    connection = await Connection.connect({ address: inject('temporalAddress') });
  });

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    for (const res of held) res.destroy();
    await new Promise<void>((r) => fake.close(() => r()));
    await connection?.close();
    await database?.drop();
  });

  it('sends the receipt once although the first worker died after handing it to Resend', async () => {
    const taskQueue = `crash-${randomBytes(4).toString('hex')}`;
    const env = {
      ...process.env,
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      TEMPORAL_TASK_QUEUE: taskQueue,
      RESEND_API_KEY: 're_test_key',
      RESEND_BASE_URL: `http://127.0.0.1:${(fake.address() as AddressInfo).port}`,
      AUTH_SECRET: randomBytes(32).toString('hex'),
      DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'ouvidor-crash-')),
      MAIL_DOMAIN: 'ouvidor.test',
      LOG_LEVEL: 'warn',
      PAYLOAD_KEY: testPayloadKey.toString('base64'),
    };
    const startWorker = () => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'worker.ts'], { env, stdio: 'ignore' });
      children.push(child);
      return child;
    };
    const first = startWorker();
    const client = new Client({
      connection,
      namespace: inject('temporalNamespace'),
      dataConverter: testDataConverter,
    });
    const protocol = `OUV-2026-${100000 + (randomBytes(3).readUIntBE(0, 3) % 800000)}`;
    await client.workflow.start<typeof caseWorkflow>('caseWorkflow', {
      workflowId: protocol,
      taskQueue,
      args: [
        {
          protocol,
          kind: 'complaint',
          subject: 'Buraco na rua',
          description: 'Buraco grande em frente ao número 120.',
          identity: 'identified',
          channel: 'web',
          citizen: { name: 'Maria', email: 'maria@example.org' },
          receivedAt: new Date().toISOString(),
          registeredBy: 'citizen',
        },
      ],
    });
    // the first worker hands the receipt to "Resend" and is killed before the answer
    for (let i = 0; i < 600 && held.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(held).toHaveLength(1);
    first.kill('SIGKILL');
    startWorker();
    // the activity times out on the dead worker and is retried on the new one
    let rows = await listOutboundForCase(database.db, protocol);
    for (let i = 0; i < 1200 && !rows.some((r) => r.status === 'sent'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      rows = await listOutboundForCase(database.db, protocol);
    }
    const receipt = rows.filter((r) => r.template === 'receipt');
    expect(receipt).toHaveLength(1);
    expect(receipt[0]?.status).toBe('sent');
    const receiptKey = requests[0]!;
    expect(requests.filter((k) => k === receiptKey).length).toBeGreaterThanOrEqual(2); // sent twice…
    expect(accepted.has(receiptKey)).toBe(true); // …under one key: Resend delivers it once
    expect(new Set(requests).size).toBe(accepted.size);
  }, 180_000);
});
