// Once per test run: a real Temporal dev server (the `temporal` binary on PATH, via the SDK's
// TestWorkflowEnvironment.createLocal with existing-path; else the SDK's download) with our search
// attributes, and the workflow bundle built once and shared by every test's worker.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { failureConverterPath } from '../../config/payload-codec.ts';
import { workflowsPath } from '../../worker.ts';
import { searchAttributeKeys } from '../../workflows/search-attributes.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalNamespace: string;
    workflowBundlePath: string;
  }
}

export default async function setup(project: TestProject) {
  const found = spawnSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' }).stdout.trim();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ...(found ? { executable: { type: 'existing-path' as const, path: found } } : {}),
      searchAttributes: searchAttributeKeys,
      extraArgs: ['--log-level', 'error', '--headless'],
    },
  });
  // failureConverterPath as the worker's data converter has it (config/payload-codec.ts)
  const { code } = await bundleWorkflowCode({ workflowsPath, failureConverterPath, logger: quietLogger });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ouvidor-bundle-'));
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, code);
  project.provide('temporalAddress', env.address);
  project.provide('temporalNamespace', env.namespace ?? 'default');
  project.provide('workflowBundlePath', bundlePath);
  return async () => {
    await env.teardown();
  };
}

const noop = () => {};
const quietLogger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: console.warn,
  error: console.error,
  log: noop,
};
