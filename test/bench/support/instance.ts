// A throw-away Ouvidor for the bench: embedded Temporal dev server and worker in a temporary DATA_DIR, on
// PGlite, or on a fresh database of the PostgreSQL server named by DATABASE_URL (dropped at the end).
// Beside it, a plain Temporal client (no payload codec) and a worker on its own task queue running the
// reference workflows (support/raw-workflow.ts): the same-run baseline every ratio is taken against.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import postgres from 'postgres';
import { type MailSettings, mailSettingsFromEnv } from '../../../activities/email/settings.ts';
import { parseEnv } from '../../../config/env.ts';
import { type Running, startOuvidor } from '../../../server.ts';
import { installRuntime } from '../../../worker.ts';

export type BenchInstance = {
  running: Running;
  base: string;
  smtpPort: number;
  /** 'postgres' when DATABASE_URL named a server, else 'pglite'. */
  database: 'postgres' | 'pglite';
  temporalAddress: string;
  /** The worker's mail settings (same secret as the server). */
  mail: MailSettings;
  /** A Bearer token of an admin. */
  auth: Record<string, string>;
  /** Plain client (no codec) for the reference workflows, and their task queue. */
  raw: { client: Client; taskQueue: string };
  stop: () => Promise<void>;
};

import { ADMIN } from './http.ts';

export async function startBenchInstance(): Promise<BenchInstance> {
  installRuntime('warn');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ouvidor-bench-'));
  const [port, temporalPort, uiPort, smtpPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  let dropDatabase = async () => {};
  let databaseUrl: string | undefined;
  if (process.env.DATABASE_URL) {
    const name = `ouvidor_bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
    const admin = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const a = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await a.end();
    };
  }
  const env = parseEnv({
    DATA_DIR: dataDir,
    PORT: String(port),
    TEMPORAL_DEV_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
    SMTP_PORT: String(smtpPort),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    MAIL_DOMAIN: 'bench.local',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production', // measured as it runs in production (template cache, React's production build)
  });
  const running = await startOuvidor(env, { runWorker: true, log: () => {} });
  // The bench is one client on one address: lift the per-client limits of the public doors.
  running.deps.rateLimit = { windowMs: 60_000, limit: 1_000_000_000 };
  const address = `127.0.0.1:${env.TEMPORAL_DEV_PORT}`;
  const rawConnection = await Connection.connect({ address });
  const rawClient = new Client({ connection: rawConnection, namespace: env.TEMPORAL_NAMESPACE });
  const taskQueue = 'bench-raw';
  const workerConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: workerConnection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('./raw-workflow.ts', import.meta.url)),
  });
  const rawRunning = worker.run();
  const res = await fetch(`${running.url}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const { token } = (await res.json()) as { token: string };
  return {
    running,
    base: running.url,
    smtpPort: env.SMTP_PORT,
    temporalAddress: address,
    mail: mailSettingsFromEnv(env, { secret: running.deps.secret, publicUrl: running.deps.publicUrl }),
    database: databaseUrl ? 'postgres' : 'pglite',
    auth: { authorization: `Bearer ${token}` },
    raw: { client: rawClient, taskQueue },
    stop: async () => {
      worker.shutdown();
      await rawRunning;
      await workerConnection.close();
      await rawConnection.close();
      await running.stop();
      await dropDatabase();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A port nobody listens on now (the OS picks it), so parallel runs and neighbours never collide. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
