// The production shape for the chaos tests: a throw-away PostgreSQL database reached through a TCP proxy
// the test can sever, a Temporal dev server of the test's own (free ports, persistent --db-filename in a
// temp dir, so it can be stopped and restarted), the web server (server.ts) and worker processes
// (worker.ts) as separate processes, as docker-compose.yml runs them. Each is ONE node process
// (`node --import tsx`), not the tsx CLI: the CLI runs the script in a child of its own, and a SIGKILL of the
// CLI cannot be relayed, so the "killed" worker went on polling and outlived the test run.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { type DevServer, startDevServer } from '../../config/temporal-dev-server.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

export const hasPostgres = Boolean(process.env.TEST_DATABASE_ADMIN_URL ?? process.env.DATABASE_URL);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export type Cluster = Awaited<ReturnType<typeof startCluster>>;

export async function startCluster(opts: { workers: number; env?: Record<string, string> }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ouvidor-chaos-'));
  const database: TestDatabase = await createTestDatabase();
  const pg = new URL(database.url!);
  const proxy: TcpProxy = await startTcpProxy({ host: pg.hostname, port: Number(pg.port || 5432) });
  const temporalPort = await freePort();
  const uiPort = await freePort();
  const startTemporal = () =>
    startDevServer({ dataDir: dir, port: temporalPort, uiPort, namespace: 'default' });
  let temporal: DevServer = await startTemporal();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const admin = { email: 'admin@chaos.test', password: `pw-${randomBytes(8).toString('hex')}` };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.tmpdir(),
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    PUBLIC_URL: url,
    DATA_DIR: dir,
    DATABASE_URL: proxy.url(database.url!),
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: 'chaos-cases',
    SMTP_PORT: String(await freePort()),
    SMTP_HOST: '127.0.0.1',
    MAIL_DOMAIN: 'chaos.test',
    AUTH_SECRET: randomBytes(32).toString('hex'),
    PAYLOAD_KEY: randomBytes(32).toString('base64'),
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    ...opts.env,
  };
  const children = new Set<ChildProcess>();
  const run = (script: string, name: string) => {
    const log = openSync(path.join(dir, `${name}.log`), 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: root,
      env,
      stdio: ['ignore', log, log],
    });
    children.add(child);
    child.once('exit', () => children.delete(child));
    return child;
  };

  const server = run('server.ts', 'server');
  const workers: ChildProcess[] = [];
  for (let i = 0; i < opts.workers; i++) workers.push(run('worker.ts', `worker-${i}`));
  await waitUntil(async () => (await fetch(`${url}/readyz`).catch(() => null))?.status === 200, 120_000);

  return {
    url,
    dir,
    admin,
    proxy,
    database,
    server,
    workers,
    /** Starts one more worker process (e.g. to replace a killed one). */
    startWorker: (name: string) => run('worker.ts', name),
    stopTemporal: () => temporal.stop(),
    restartTemporal: async () => {
      temporal = await startTemporal();
    },
    async stop() {
      for (const c of children) c.kill('SIGKILL');
      await temporal.stop();
      await proxy.close();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function waitUntil(check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not ready within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A staff Bearer token for the cluster's first admin. */
export async function adminToken(c: Cluster): Promise<string> {
  const res = await fetch(`${c.url}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(c.admin),
  });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}
