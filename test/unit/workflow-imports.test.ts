// workflows/ is deterministic code: it may import @temporalio/workflow, @temporalio/common, its
// siblings, and types from activities/ — never Node built-ins, db/, config/, api/ or views/.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';

const dir = new URL('../../workflows/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
const importRe = /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm;

function forbiddenImports(source: string): string[] {
  const bad: string[] = [];
  for (const m of source.matchAll(importRe)) {
    const typeOnly = Boolean(m[2]);
    const spec = m[3] ?? '';
    const builtin = spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0] ?? '');
    const layer = /^\.\.\/(db|config|api|views)\//.test(spec);
    const activityValue = /^\.\.\/activities\//.test(spec) && !typeOnly;
    const pkg = !spec.startsWith('.') && !['@temporalio/workflow', '@temporalio/common'].includes(spec);
    if (builtin || layer || activityValue || pkg) bad.push(spec);
  }
  return bad;
}

describe('workflow import rules', () => {
  it.each(files)('%s imports only deterministic code', (file) => {
    expect(forbiddenImports(readFileSync(new URL(file, dir), 'utf8'))).toEqual([]);
  });

  it('catches the imports it must refuse', () => {
    const sample = [
      "import { readFileSync } from 'node:fs';",
      "import crypto from 'crypto';",
      "import { db } from '../db/client.ts';",
      "import { loadEnv } from '../config/env.ts';",
      "import { createActivities } from '../activities/index.ts';",
      "import type { Activities } from '../activities/index.ts';",
      "import { z } from 'zod';",
    ].join('\n');
    expect(forbiddenImports(sample)).toEqual([
      'node:fs',
      'crypto',
      '../db/client.ts',
      '../config/env.ts',
      '../activities/index.ts',
      'zod',
    ]);
  });
});
