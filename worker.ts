// Builds the activity deps and runs the Temporal worker for case workflows.
// `npm run worker` runs it alone (production shape); in embedded mode server.ts runs it in-process.
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import {
  DefaultLogger,
  type LogLevel,
  NativeConnection,
  Runtime,
  Worker,
  type WorkerOptions,
} from '@temporalio/worker';
import type { MailSettings } from './activities/email/settings.ts';
import { createActivities } from './activities/index.ts';
import { loadEnv } from './config/env.ts';
import { encryptedDataConverter, payloadCodecFromEnv } from './config/payload-codec.ts';
import { caseWorkflowSlots, WORKFLOW_SLOTS } from './config/worker-slots.ts';
import type { Database } from './db/client.ts';

export const workflowsPath = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

/** Temporal SDK logs at WARN unless LOG_LEVEL asks for more (the bundler is chatty at INFO). */
export function installRuntime(level: string) {
  const map: Record<string, LogLevel> = {
    trace: 'TRACE',
    debug: 'DEBUG',
    info: 'WARN',
    warn: 'WARN',
    error: 'ERROR',
  };
  try {
    Runtime.install({ logger: new DefaultLogger(map[level] ?? 'WARN') });
  } catch {
    // already installed
  }
}

export type CaseWorkerOptions = {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Database;
  timezone: string;
  /** Pre-built bundle (tests bundle once); otherwise the worker bundles workflowsPath. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** E-mail settings (tests); unset = from the environment, with the same secret as the server. */
  mail?: MailSettings;
  /** Encrypts payloads (config/payload-codec.ts); the same key as the server's client. */
  dataConverter: DataConverter;
  /** Cases kept in the worker's cache (default WORKFLOW_CACHE_SIZE). */
  maxCachedWorkflows?: number;
  /** Workflow-task slots, and how many of them for normal-queue tasks (default WORKFLOW_SLOTS). */
  workflowSlots?: { total: number; fresh: number };
  /** The server's own worker (embedded): keep just-committed views for its pages (activities/index.ts). */
  keepRecentViews?: boolean;
};

/**
 * How many cases the worker keeps in memory between workflow tasks: 1,000, chosen from `npm run bench`
 * (B7), not left to the SDK's default (derived from the heap limit: ~2,400 on this machine's 4.2 GB heap).
 * - Memory: B7 at 10,000 open cases, two full `npm run bench` runs (PGlite, load 3–11): 4,620 and 4,725 MB
 *   resident with all of them cached against 1,989 and 1,940 MB for the idle worker, 0.26–0.29 MB a case
 *   (0.23–0.28 MB a case from 1,000 to 10,000, the slope without the first heap growth); of it, the
 *   workflow thread's heap 0.12 MB (1,172–1,181 MB used for 10,000), the main thread's heap and buffers
 *   ≈ 0.08 MB (both freed on eviction), the rest the SDK core's per-run state and the allocators. These are
 *   freshly registered cases: a case with a long timeline holds more. So 1,000 cases cost ≈ 250–300 MB
 *   over the worker's base, and all 10,000 open cases of issue 14 ≈ 2.6–2.8 GB, more than a small server
 *   should give one process (and resident memory stays at its high mark after eviction: the process
 *   keeps the freed pages, though the workflow heap is back to 30 MB).
 * - What a miss costs: one replay of the case's history on its next event, B7.replay 2–3.6× a cached
 *   Query at load ≈ 4–5 (p95 33–36 ms against 10–16 ms), 8–11× on a loaded machine (205 against 24 ms at
 *   load ≈ 16). Cases are touched rarely (days between events), so the cache only needs the day's
 *   working set: a case filed, answered or replied to today answers its next event without a replay, and
 *   the rest pay one replay, once.
 */
export const WORKFLOW_CACHE_SIZE = 1000;

export async function createCaseWorker(opts: CaseWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    dataConverter: opts.dataConverter,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath }),
    maxCachedWorkflows: opts.maxCachedWorkflows ?? WORKFLOW_CACHE_SIZE,
    // new cases' registrations yield to the front door and to open cases (config/worker-slots.ts); the
    // other kinds keep the SDK's default sizes
    tuner: {
      workflowTaskSlotSupplier: caseWorkflowSlots(opts.workflowSlots ?? WORKFLOW_SLOTS),
      activityTaskSlotSupplier: { type: 'fixed-size', numSlots: 100 },
      localActivityTaskSlotSupplier: { type: 'fixed-size', numSlots: 100 },
      nexusTaskSlotSupplier: { type: 'fixed-size', numSlots: 100 },
    },
    activities: createActivities({
      db: opts.db,
      timezone: opts.timezone,
      ...(opts.mail ? { mail: opts.mail } : {}),
      ...(opts.keepRecentViews ? { keepRecentViews: true } : {}),
    }),
  });
}

async function main() {
  const env = loadEnv();
  installRuntime(env.LOG_LEVEL);
  const { openDatabase } = await import('./db/client.ts');
  if (!env.TEMPORAL_ADDRESS) {
    console.error('npm run worker needs TEMPORAL_ADDRESS (use npm start for the embedded mode)');
    process.exit(1);
  }
  const handle = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    orgTimezone: env.ORG_TIMEZONE,
  });
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  const worker = await createCaseWorker({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    db: handle.db,
    timezone: env.ORG_TIMEZONE,
    dataConverter: encryptedDataConverter(payloadCodecFromEnv(env)),
    ...(env.WORKFLOW_BUNDLE_PATH ? { workflowBundle: { codePath: env.WORKFLOW_BUNDLE_PATH } } : {}),
  });
  console.log(`Ouvidor worker on task queue ${env.TEMPORAL_TASK_QUEUE} (${env.TEMPORAL_ADDRESS})`);
  await worker.run();
  await connection.close();
  await handle.close();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
