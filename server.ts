// Builds deps and serves the app. With --embedded (npm start) or when TEMPORAL_ADDRESS is unset it also
// starts a Temporal dev server and runs the worker in this process (PGlite is one process too).
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { mailSettingsFromEnv } from './activities/email/settings.ts';
import { createApp } from './api/app.ts';
import { createAuth, ensureUser } from './api/auth/auth.ts';
import { markDraining } from './api/health.ts';
import { configureEmail } from './api/inbound/context.ts';
import { configureParsing } from './api/inbound/parse.ts';
import { startSmtpListener } from './api/inbound/smtp.ts';
import { smtpLimitsFromEnv } from './api/inbound/smtp-limits.ts';
import { archiveConcluded } from './api/manifestations/archive-backfill.ts';
import { reconcileIntakes } from './api/manifestations/filing.ts';
import { serveApp } from './api/serve.ts';
import type { AppDeps } from './api/types.ts';
import { type Env, loadEnv, temporalUiOrigins } from './config/env.ts';
import { encryptedDataConverter, payloadCodecFromEnv } from './config/payload-codec.ts';
import { resolveSecret } from './config/secret.ts';
import { connectTemporalClient } from './config/temporal-client.ts';
import { type DevServer, startDevServer } from './config/temporal-dev-server.ts';
import { openDatabase } from './db/client.ts';
import { caseEventHub } from './db/queries/case-events.ts';
import { forgetOnOtherCommits } from './db/queries/recent-views.ts';
import { listenForDeadlineData } from './db/queries/sla.ts';
import { countUsers } from './db/queries/users.ts';
import { seedDemo } from './db/seed-demo.ts';
import { type CaseWorkerOptions, createCaseWorker, installRuntime } from './worker.ts';

export type Running = { url: string; temporalUiUrl: string | null; deps: AppDeps; stop: () => Promise<void> };

export type StartOptions = {
  /** Run the worker in this process (always true in embedded mode). */
  runWorker?: boolean;
  workflowBundle?: CaseWorkerOptions['workflowBundle'];
  log?: (msg: string) => void;
};

export async function startOuvidor(env: Env, opts: StartOptions = {}): Promise<Running> {
  const log = opts.log ?? ((m: string) => console.log(m));
  const cleanups: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const fn of cleanups.reverse()) await fn().catch((e) => console.error(e));
  };
  try {
    const dbHandle = await openDatabase({
      databaseUrl: env.DATABASE_URL,
      dataDir: env.DATA_DIR,
      orgTimezone: env.ORG_TIMEZONE,
    });
    cleanups.push(() => dbHandle.close());
    log(
      `Database: ${dbHandle.kind === 'pglite' ? `PGlite in ${env.DATA_DIR}/pgdata` : 'PostgreSQL (DATABASE_URL)'}`,
    );

    const publicUrl = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
    const secret = resolveSecret(env.AUTH_SECRET, env.DATA_DIR);
    const mail = mailSettingsFromEnv(env, { secret, publicUrl });
    const codec = payloadCodecFromEnv(env);
    const dataConverter = encryptedDataConverter(codec);

    let devServer: DevServer | undefined;
    let address = env.TEMPORAL_ADDRESS;
    if (!address) {
      devServer = await startDevServer({
        dataDir: env.DATA_DIR,
        port: env.TEMPORAL_DEV_PORT,
        uiPort: env.TEMPORAL_UI_PORT,
        namespace: env.TEMPORAL_NAMESPACE,
        cliPath: env.TEMPORAL_CLI_PATH,
        codecEndpoint: `${publicUrl}/codec`,
        log,
      });
      cleanups.push(() => devServer!.stop());
      address = devServer.address;
    }
    const connection = await connectTemporalClient(address);
    cleanups.push(() => connection.close());
    const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE, dataConverter });

    if (opts.runWorker ?? !env.TEMPORAL_ADDRESS) {
      const workerConnection = await NativeConnection.connect({ address });
      const worker = await createCaseWorker({
        connection: workerConnection,
        namespace: env.TEMPORAL_NAMESPACE,
        taskQueue: env.TEMPORAL_TASK_QUEUE,
        db: dbHandle.db,
        timezone: env.ORG_TIMEZONE,
        workflowBundle: opts.workflowBundle,
        mail,
        dataConverter,
        keepRecentViews: true, // its pages read what it just committed (db/queries/recent-views.ts)
      });
      const running = worker.run();
      cleanups.push(async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
        await workerConnection.close();
      });
    }

    const auth = createAuth({
      db: dbHandle.db,
      secret,
      baseURL: publicUrl,
      secureCookies: publicUrl.startsWith('https:'),
    });
    const caseEvents = caseEventHub(dbHandle);
    const deps: AppDeps = {
      db: dbHandle.db,
      temporal: {
        client,
        connection,
        taskQueue: env.TEMPORAL_TASK_QUEUE,
        namespace: env.TEMPORAL_NAMESPACE,
        codec,
        uiOrigins: temporalUiOrigins(env),
      },
      auth,
      secret,
      publicUrl,
      timezone: env.ORG_TIMEZONE,
      production: env.NODE_ENV === 'production',
      caseEvents,
      dueSoonBusinessDays: env.DUE_SOON_BUSINESS_DAYS,
      updateWaitMs: env.UPDATE_WAIT_MS,
    };
    cleanups.push(() => deps.caseEvents?.close() ?? Promise.resolve());
    // a view this process keeps (db/queries/recent-views.ts) is dropped when another commit of its case is heard of
    forgetOnOtherCommits(dbHandle.db, caseEvents);
    // an admin's edit in another process drops this one's cached policies and calendars at once
    cleanups.push(await listenForDeadlineData(dbHandle));

    if ((await countUsers(dbHandle.db)) === 0 && (env.ADMIN_EMAIL || !env.SEED_DEMO)) {
      const first = firstAdmin(env);
      await ensureUser(auth, dbHandle.db, { ...first, name: 'Administrador', role: 'admin' });
      const where = first.generated
        ? ` / password ${first.password} (saved in ${first.generated}; change it)`
        : '';
      log(`First admin created: ${first.email}${where}`);
    }

    const emailCtx = configureEmail(deps, mail);
    const app = createApp(deps);
    const server = await serveApp(app, { port: env.PORT });
    cleanups.push(() => server.close());
    // filings left pending by a timeout or an outage: settle them (created or a recorded gap)
    const settle = setInterval(() => void reconcileIntakes(deps).catch(() => {}), 60_000);
    settle.unref();
    cleanups.push(async () => clearInterval(settle));
    // concluded cases closed before case_archives existed: archived while Temporal still has them
    void archiveConcluded(deps)
      .then((n) => n > 0 && log(`Archived the last view of ${n} concluded case(s)`))
      .catch((err) => log(`Archiving concluded cases failed (tried again at the next start): ${err}`));

    // --- e-mail: inbound SMTP listener (issue 4) ---
    await configureParsing(env);
    const smtp = await startSmtpListener(emailCtx, {
      port: env.SMTP_PORT,
      host: env.SMTP_HOST,
      limits: smtpLimitsFromEnv(env),
    });
    cleanups.push(() => smtp.close());
    log(`SMTP listener: port ${smtp.port} (mail for @${env.MAIL_DOMAIN})`);
    // --- end e-mail ---
    if (env.SEED_DEMO) {
      // In the background, so the app answers at once; the demo accounts exist after a few seconds.
      log('Seeding the demo organisation in the background…');
      seedDemo(deps).then(
        (n) =>
          log(n ? `Demo organisation seeded (${n} manifestations)` : 'Demo organisation already present'),
        (err) => console.error('Demo seed failed:', err),
      );
    }
    const url = `http://localhost:${env.PORT}`;
    return { url, temporalUiUrl: devServer?.uiUrl ?? null, deps, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** ADMIN_EMAIL/ADMIN_PASSWORD, or admin@ouvidor.local with a generated password kept in DATA_DIR. */
function firstAdmin(env: Env): { email: string; password: string; generated?: string } {
  if (env.ADMIN_EMAIL && env.ADMIN_PASSWORD) return { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD };
  const password = randomBytes(12).toString('base64url');
  const file = path.resolve(env.DATA_DIR, 'initial-admin-password');
  writeFileSync(file, `admin@ouvidor.local\n${password}\n`, { mode: 0o600 });
  return { email: `admin@ouvidor.local`, password, generated: file };
}

async function main() {
  const env = loadEnv();
  installRuntime(env.LOG_LEVEL);
  const running = await startOuvidor(env, {
    runWorker: process.argv.includes('--embedded') || !env.TEMPORAL_ADDRESS,
  });
  console.log(`\nOuvidor is running:  ${running.url}`);
  if (running.temporalUiUrl) {
    console.log(`Temporal Web UI:     ${running.temporalUiUrl}`);
    console.log(`Codec endpoint:      ${running.deps.publicUrl}/codec (admins read payloads; README)`);
  }
  console.log(`Data directory:      ${env.DATA_DIR}\n`);
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping…');
    markDraining();
    await running.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
