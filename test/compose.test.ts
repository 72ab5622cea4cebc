// The production shape (docker-compose.yml) cannot run in CI (no Docker engine), so its contract
// with config/env.ts and DESIGN §2/§4 is checked statically here, next to parseEnv itself.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EnvError, envSchema, parseEnv } from '../config/env.ts';

type Service = {
  image?: string;
  build?: unknown;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | { target: number; published: string | number })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  volumes?: (string | { source?: string; target: string })[];
};
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown> };

const composeText = readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8');
const compose = parse(composeText) as Compose;
const services = compose.services;

/** Compose interpolation with every variable unset: `${X:-d}` / `${X-d}` → d, `${X}` → '', `$$` → `$`. */
function interpolateDefaults(value: string): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g, (match, _name, fallback) =>
    match === '$$' ? '$' : (fallback ?? ''),
  );
}

function service(name: string): Service {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** A service's environment as a plain record, with compose defaults applied. */
function environmentOf(name: string): Record<string, string> {
  const env = service(name).environment ?? {};
  const entries: [string, string][] = Array.isArray(env)
    ? env.map((line) => {
        const eq = line.indexOf('=');
        return eq === -1 ? [line, ''] : [line.slice(0, eq), line.slice(eq + 1)];
      })
    : Object.entries(env).map(([key, value]) => [key, value == null ? '' : String(value)]);
  return Object.fromEntries(entries.map(([key, value]) => [key, interpolateDefaults(value)]));
}

function imageOf(name: string): string {
  return interpolateDefaults(service(name).image ?? '');
}

function commandText(name: string): string {
  const { command, entrypoint } = service(name);
  const parts = [entrypoint ?? [], command ?? []].flat();
  return interpolateDefaults(parts.join(' '));
}

/** Published ports as {host, container} pairs (short syntax with optional IP, or long syntax). */
function publishedPorts(name: string): { host: number; container: number }[] {
  return (service(name).ports ?? []).map((port) => {
    if (typeof port === 'object') return { host: Number(port.published), container: port.target };
    const parts = interpolateDefaults(String(port))
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    const container = Number(parts.at(-1));
    const host = parts.length >= 2 ? Number(parts.at(-2)) : container;
    return { host, container };
  });
}

function dependencies(name: string): Record<string, string | undefined> {
  const deps = service(name).depends_on ?? [];
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((dep) => [dep, undefined]));
  return Object.fromEntries(Object.entries(deps).map(([dep, spec]) => [dep, spec?.condition]));
}

const appServices = ['ouvidor-server', 'ouvidor-worker'] as const;

// DESIGN §2: the case workflow's search attributes (no PII).
const searchAttributes: Record<string, string> = {
  CaseStatus: 'Keyword',
  CaseKind: 'Keyword',
  Channel: 'Keyword',
  AssignedUnit: 'Keyword',
  AssignedTo: 'Keyword',
  SlaState: 'Keyword',
  DueAt: 'Datetime',
  NextEscalationAt: 'Datetime',
  ReopenCount: 'Int',
  Stuck: 'Keyword',
};

describe('docker-compose.yml (production shape)', () => {
  it('defines every service of the production shape', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining([
        'postgres',
        'temporal-schema',
        'temporal',
        'temporal-search-attributes',
        'temporal-ui',
        'mailpit',
        'ouvidor-worker',
        'ouvidor-server',
      ]),
    );
    expect(imageOf('postgres')).toMatch(/^postgres:16(\b|$)/);
    expect(imageOf('temporal-ui')).toMatch(/^temporalio\/ui(:|$)/);
    expect(imageOf('mailpit')).toMatch(/^axllent\/mailpit(:|$)/);
  });

  it('gives PostgreSQL a volume and a healthcheck', () => {
    const postgres = service('postgres') as Service & { healthcheck?: { test?: unknown } };
    const mounts = (postgres.volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':')[1] : v.target));
    expect(mounts).toContain('/var/lib/postgresql/data');
    expect(JSON.stringify(postgres.healthcheck?.test ?? '')).toContain('pg_isready');
  });

  it('runs the worker and the server from the Dockerfile, with the right npm scripts', () => {
    for (const name of appServices) expect(service(name).build, name).toBeTruthy();
    expect(commandText('ouvidor-worker')).toBe('npm run worker');
    expect(commandText('ouvidor-server')).toBe('npm run server');
    const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:24-slim/m);
    const install = dockerfile.split('\n').filter((line) => /^RUN .*\bnpm (ci|install)\b/.test(line));
    expect(install.some((line) => /\bnpm ci\b/.test(line))).toBe(true);
    // tsx runs the TypeScript at runtime: dev dependencies must be installed
    for (const line of install) expect(line).not.toMatch(/--omit[= ]dev|--production|--only[= ]prod/);
    expect(dockerfile).toMatch(/^CMD \["npm", ?"run", ?"server"\]/m);
  });

  it('sets only variables that config/env.ts knows on the app services', () => {
    const known = Object.keys(envSchema.shape);
    for (const name of appServices) {
      const unknown = Object.keys(environmentOf(name)).filter((key) => !known.includes(key));
      expect(unknown, `${name} sets variables envSchema does not read`).toEqual([]);
    }
  });

  it('sets what the production shape needs on both app services', () => {
    for (const name of appServices) {
      const env = environmentOf(name);
      for (const key of [
        'DATABASE_URL',
        'TEMPORAL_ADDRESS',
        'DATA_DIR',
        'SMTP_URL',
        'MAIL_DOMAIN',
        'AUTH_SECRET',
      ]) {
        expect(env[key], `${name} ${key}`).toBeTruthy();
      }
    }
  });

  it('has app environments that parseEnv accepts with the placeholder defaults', () => {
    for (const name of appServices) {
      const env = parseEnv(environmentOf(name));
      expect(env.DATABASE_URL, name).toBeDefined();
      expect(env.TEMPORAL_ADDRESS, name).toBeDefined();
      expect(env.AUTH_SECRET, name).toBeDefined();
      expect(env.DATA_DIR, name).toBe('/data');
    }
  });

  it('mounts DATA_DIR as a shared named volume', () => {
    for (const name of appServices) {
      const dataDir = environmentOf(name).DATA_DIR;
      const mounts = service(name).volumes ?? [];
      const mount = mounts.find((v) => (typeof v === 'string' ? v.split(':')[1] : v.target) === dataDir);
      expect(mount, `${name} mounts ${dataDir}`).toBeDefined();
      const source = typeof mount === 'string' ? mount.split(':')[0] : mount?.source;
      expect(Object.keys(compose.volumes ?? {}), name).toContain(source);
    }
  });

  it('points TEMPORAL_ADDRESS at the Temporal service and DATABASE_URL at postgres', () => {
    for (const name of appServices) {
      const env = environmentOf(name);
      const [host, port] = (env.TEMPORAL_ADDRESS ?? '').split(':');
      expect(Object.keys(services), `${name} TEMPORAL_ADDRESS host`).toContain(host);
      expect(imageOf(host ?? '')).toMatch(/^temporalio\/server(:|$)/);
      expect(port, `${name} TEMPORAL_ADDRESS port`).toBe('7233');

      const db = new URL(env.DATABASE_URL ?? '');
      expect(db.protocol).toMatch(/^postgres(ql)?:$/);
      expect(db.hostname, `${name} DATABASE_URL host`).toBe('postgres');
      expect(db.port || '5432').toBe('5432');
      const postgresEnv = environmentOf('postgres');
      expect(decodeURIComponent(db.username)).toBe(postgresEnv.POSTGRES_USER);
      expect(decodeURIComponent(db.password)).toBe(postgresEnv.POSTGRES_PASSWORD);
      expect(db.pathname.slice(1)).toBe(postgresEnv.POSTGRES_DB);

      expect(env.SMTP_URL).toMatch(/^smtp:\/\/mailpit:1025\/?$/);
    }
  });

  it('waits for healthy PostgreSQL and the registered search attributes before starting the app', () => {
    for (const name of appServices) {
      const deps = dependencies(name);
      expect(deps.postgres, name).toBe('service_healthy');
      expect(deps['temporal-search-attributes'], name).toBe('service_completed_successfully');
    }
  });

  it('runs temporalio/server on PostgreSQL after the schema job, never auto-setup', () => {
    expect(imageOf('temporal')).toMatch(/^temporalio\/server(:|$)/);
    for (const [name, svc] of Object.entries(services)) {
      expect(svc.image ?? '', name).not.toContain('auto-setup');
    }
    const env = environmentOf('temporal');
    expect(env.DB).toBe('postgres12');
    expect(env.DB_PORT).toBe('5432');
    expect(Object.keys(services)).toContain(env.POSTGRES_SEEDS);
    expect(env.POSTGRES_SEEDS).toBe('postgres');
    expect(env.POSTGRES_USER).toBe(environmentOf('postgres').POSTGRES_USER);
    expect(env.POSTGRES_PWD).toBe(environmentOf('postgres').POSTGRES_PASSWORD);
    expect(env.BIND_ON_IP).toBe('0.0.0.0');
    expect(dependencies('temporal')['temporal-schema']).toBe('service_completed_successfully');
  });

  it('creates and migrates both Temporal schemas with admin-tools', () => {
    expect(imageOf('temporal-schema')).toMatch(/^temporalio\/admin-tools(:|$)/);
    expect(imageOf('temporal-schema').split(':')[1]).toBe(imageOf('temporal').split(':')[1]);
    expect(dependencies('temporal-schema').postgres).toBe('service_healthy');
    const script = commandText('temporal-schema');
    expect(script).toContain('temporal-sql-tool');
    expect(script).toContain('postgres12');
    for (const db of ['temporal', 'temporal_visibility']) {
      for (const step of ['create-database', 'setup-schema', 'update-schema']) {
        expect(script, `${step} for ${db}`).toMatch(new RegExp(`--db ${db} ${step}\\b`));
      }
    }
    expect(script).toContain('postgresql/v12/temporal/versioned');
    expect(script).toContain('postgresql/v12/visibility/versioned');
  });

  it('registers every search attribute of DESIGN §2 with its type', () => {
    expect(imageOf('temporal-search-attributes')).toMatch(/^temporalio\/admin-tools(:|$)/);
    expect(dependencies('temporal-search-attributes').temporal).toBe('service_healthy');
    const script = commandText('temporal-search-attributes');
    expect(script).toContain('temporal operator search-attribute create');
    expect(script).toMatch(/temporal operator namespace create/);
    const registered = Object.fromEntries(
      [...script.matchAll(/--name\s+(\w+)\s+--type\s+(\w+)/g)].map((m) => [m[1], m[2]]),
    );
    expect(registered).toEqual(searchAttributes);
    // the namespace it registers them on is the one the app uses
    const namespace = environmentOf('temporal-search-attributes').TEMPORAL_NAMESPACE;
    for (const name of appServices) expect(environmentOf(name).TEMPORAL_NAMESPACE).toBe(namespace);
  });

  it('publishes the ports of the env defaults', () => {
    const defaults = parseEnv({});
    const server = parseEnv(environmentOf('ouvidor-server'));
    const serverPorts = publishedPorts('ouvidor-server');
    expect(serverPorts).toContainEqual({ host: defaults.PORT, container: server.PORT });
    expect(serverPorts).toContainEqual({ host: defaults.SMTP_PORT, container: server.SMTP_PORT });
    expect(defaults.PORT).toBe(3000);
    expect(defaults.SMTP_PORT).toBe(2525);

    expect(environmentOf('temporal-ui').TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(publishedPorts('temporal-ui')).toContainEqual({
      host: defaults.TEMPORAL_UI_PORT,
      container: 8080,
    });
    expect(defaults.TEMPORAL_UI_PORT).toBe(8233);

    const mailpit = publishedPorts('mailpit');
    expect(mailpit).toContainEqual({ host: 8025, container: 8025 });
    expect(mailpit).toContainEqual({ host: 1025, container: 1025 });
  });
});

describe('parseEnv', () => {
  it('applies the documented defaults', () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.TEMPORAL_UI_PORT).toBe(8233);
    expect(env.TEMPORAL_DEV_PORT).toBe(7233);
    expect(env.SMTP_PORT).toBe(2525);
    expect(env.DATA_DIR).toBe('./data');
    expect(env.TEMPORAL_NAMESPACE).toBe('default');
    expect(env.MAIL_DOMAIN).toBe('localhost');
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.TEMPORAL_ADDRESS).toBeUndefined();
    expect(env.SEED_DEMO).toBe(false);
  });

  it('rejects a non-numeric PORT, naming the variable', () => {
    expect(() => parseEnv({ PORT: 'abc' })).toThrow(EnvError);
    expect(() => parseEnv({ PORT: 'abc' })).toThrow(/\bPORT\b/);
  });

  it('requires ADMIN_PASSWORD when ADMIN_EMAIL is set', () => {
    expect(() => parseEnv({ ADMIN_EMAIL: 'admin@example.org' })).toThrow(/ADMIN_PASSWORD/);
    expect(parseEnv({ ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'long-enough' }).ADMIN_EMAIL).toBe(
      'admin@example.org',
    );
  });

  it('turns SEED_DEMO=1 into true', () => {
    expect(parseEnv({ SEED_DEMO: '1' }).SEED_DEMO).toBe(true);
    expect(parseEnv({ SEED_DEMO: '0' }).SEED_DEMO).toBe(false);
  });
});
