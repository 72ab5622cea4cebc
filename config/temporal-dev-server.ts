// Embedded mode: runs `temporal server start-dev` (binary from TEMPORAL_CLI_PATH or PATH, else the
// SDK's own download) with its SQLite store in DATA_DIR (WAL journal), the Web UI and our search attributes.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { searchAttributeDefinitions } from '../workflows/search-attributes.ts';

export type DevServer = { address: string; uiUrl: string; stop: () => Promise<void> };

export type DevServerOptions = {
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
  cliPath?: string | undefined;
  /** Remote codec the Web UI calls to decode payloads (Ouvidor's /codec). */
  codecEndpoint?: string | undefined;
  log?: (msg: string) => void;
};

export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const log = opts.log ?? (() => {});
  const binary = opts.cliPath ?? findOnPath('temporal');
  const address = `127.0.0.1:${opts.port}`;
  if (!binary) return startWithSdkDownload(opts, address);
  const dir = path.resolve(opts.dataDir);
  mkdirSync(dir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--ui-port',
    String(opts.uiPort),
    '--db-filename',
    path.join(dir, 'temporal.db'),
    '--sqlite-pragma',
    'journal_mode=wal',
    '--sqlite-pragma',
    'synchronous=normal',
    '--namespace',
    opts.namespace,
    '--log-level',
    'warn',
    '--ui-disable-news-fetch',
    ...(opts.codecEndpoint ? ['--ui-codec-endpoint', opts.codecEndpoint] : []),
    ...searchAttributeDefinitions.flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]),
  ];
  const logFd = openSync(path.join(dir, 'temporal.log'), 'a');
  const child = spawn(binary, args, { stdio: ['ignore', logFd, logFd] });
  log(`Temporal dev server starting (${binary}), log in ${path.join(dir, 'temporal.log')}`);
  await waitUntilServing(address, child);
  return {
    address,
    uiUrl: `http://localhost:${opts.uiPort}`,
    stop: () => stopChild(child),
  };
}

function findOnPath(bin: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  const found = r.stdout.trim();
  return r.status === 0 && found ? found : undefined;
}

async function waitUntilServing(address: string, child: ChildProcess): Promise<void> {
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`Temporal dev server exited with code ${exited}; see temporal.log`);
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1000 });
      await conn.healthService.check({});
      await conn.close();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  throw new Error(`Temporal dev server did not answer on ${address} within 60 s`);
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

/** No binary anywhere: let the SDK download one (fails without internet access to temporal.download). */
async function startWithSdkDownload(opts: DevServerOptions, address: string): Promise<DevServer> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: '127.0.0.1',
      port: opts.port,
      ui: true,
      uiPort: opts.uiPort,
      namespace: opts.namespace,
      dbFilename: path.join(path.resolve(opts.dataDir), 'temporal.db'),
      extraArgs: [
        '--sqlite-pragma',
        'journal_mode=wal',
        ...(opts.codecEndpoint ? ['--ui-codec-endpoint', opts.codecEndpoint] : []),
        ...searchAttributeDefinitions.flatMap(([n, t]) => ['--search-attribute', `${n}=${t}`]),
      ],
    },
  });
  return { address, uiUrl: `http://localhost:${opts.uiPort}`, stop: () => env.teardown() };
}
