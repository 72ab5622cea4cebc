// In-process Ouvidor for HTTP tests: a fresh database, a worker on its own task queue against the
// shared dev server, and createApp(deps) to call with app.request().
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { createApp } from '../../api/app.ts';
import { createAuth } from '../../api/auth/auth.ts';
import { configureEmail } from '../../api/inbound/context.ts';
import type { AppDeps } from '../../api/types.ts';
import { caseEventHub } from '../../db/queries/case-events.ts';
import { forgetOnOtherCommits } from '../../db/queries/recent-views.ts';
import { protocolSequences, type Role } from '../../db/schema.ts';
import { createCaseWorker } from '../../worker.ts';
import { testMailSettings } from '../email/support.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { testCodec, testDataConverter } from './payload-codec.ts';
import { createStaffAccount } from './staff.ts';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed in this test worker
}

/** The Temporal Web UI origin the test app allows to call /codec (CORS). */
export const testUiOrigin = 'http://localhost:8233';

export type TestOuvidor = Awaited<ReturnType<typeof startTestOuvidor>>;

export async function startTestOuvidor(
  opts: {
    rateLimit?: number;
    /** Another Temporal server (e.g. one with the Web UI); default the run's shared dev server. */
    temporal?: { address: string; namespace: string };
  } = {},
) {
  const database: TestDatabase = await createTestDatabase();
  // Test files share one Temporal namespace: start each file's protocol sequence at a random point so
  // their workflow ids (= protocols) never collide.
  const year = new Date().getFullYear();
  const first = 100_000 + Math.floor(Math.random() * 800_000);
  await database.db
    .insert(protocolSequences)
    .values([year - 1, year, year + 1].map((y) => ({ year: y, last: first })))
    .onConflictDoNothing();
  const address = opts.temporal?.address ?? inject('temporalAddress');
  const namespace = opts.temporal?.namespace ?? inject('temporalNamespace');
  const taskQueue = `test-${randomBytes(4).toString('hex')}`;
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace, dataConverter: testDataConverter });
  // One secret for the API and the worker, as in production (reply tokens, follow links, access codes).
  const secret = randomBytes(32).toString('hex');
  const mail = testMailSettings(secret);
  const workerConnection = await NativeConnection.connect({ address });
  const newWorker = () =>
    createCaseWorker({
      connection: workerConnection,
      namespace,
      taskQueue,
      db: database.db,
      timezone: 'America/Sao_Paulo',
      workflowBundle: { codePath: inject('workflowBundlePath') },
      mail,
      dataConverter: testDataConverter,
      keepRecentViews: true, // as the embedded server's worker
    });
  let worker: Worker | undefined = await newWorker();
  let running: Promise<void> = worker.run();
  const publicUrl = 'http://localhost';
  const auth = createAuth({ db: database.db, secret, baseURL: publicUrl, secureCookies: false });
  const deps: AppDeps = {
    db: database.db,
    temporal: { client, connection, taskQueue, namespace, codec: testCodec, uiOrigins: [testUiOrigin] },
    auth,
    secret,
    publicUrl,
    timezone: 'America/Sao_Paulo',
    production: false,
    rateLimit: { windowMs: 60_000, limit: opts.rateLimit ?? 1000 },
    caseEvents: caseEventHub(database),
  };
  forgetOnOtherCommits(database.db, deps.caseEvents!); // as server.ts does
  configureEmail(deps, mail);
  const app = createApp(deps);

  const createStaff = (role: Role, extra: { unitCode?: string; email?: string; name?: string } = {}) =>
    createStaffAccount({ app, auth, db: database.db, domain: 'test.local' }, role, extra);

  /** Stops the worker: nothing polls the task queue until resumeWorker(). */
  async function pauseWorker() {
    worker?.shutdown();
    await running;
    worker = undefined;
  }
  async function resumeWorker() {
    if (worker) return;
    worker = await newWorker();
    running = worker.run();
  }

  async function stop() {
    await deps.caseEvents?.close();
    worker?.shutdown();
    await running;
    await workerConnection.close();
    await connection.close();
    await database.drop();
  }

  return {
    app,
    deps,
    client,
    db: database.db,
    databaseUrl: database.url,
    taskQueue,
    createStaff,
    pauseWorker,
    resumeWorker,
    stop,
  };
}

/** JSON helper: `await json(app.request(...))` → { status, body }. */
export async function json<T = Record<string, unknown>>(res: Response | Promise<Response>) {
  const r = await res;
  const text = await r.text();
  return { status: r.status, body: (text ? JSON.parse(text) : null) as T, headers: r.headers };
}

export const newManifestation = (over: Record<string, unknown> = {}) => ({
  kind: 'complaint',
  subject: 'Iluminação pública apagada',
  description: 'Os postes da Rua das Flores estão apagados há uma semana.',
  identity: 'identified',
  citizen: { name: 'Maria Souza', email: 'maria@example.org' },
  ...over,
});
