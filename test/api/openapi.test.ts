// Every API route the app registers (/api/v1 and the /inbound e-mail doors) is documented in
// /api/v1/openapi.json with its method, and the document names no route that does not exist — so a new
// route cannot ship undocumented. A path parameter `:name` matches `{name}` in the document, or a concrete
// segment documented one by one (the staff and citizen actions are listed per action).
import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import type { AppDeps } from '../../api/types.ts';

// Registering routes and serving the document need no database, Temporal or session.
const app = createApp({ publicUrl: 'http://localhost', production: false, secret: 'x' } as AppDeps);

type Operation = { summary?: string; responses?: Record<string, unknown> };
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>> };

const isApi = (path: string) =>
  path.startsWith('/api/v1/') || path.startsWith('/inbound/') || path.startsWith('/codec/');
const methods = ['get', 'put', 'post', 'delete', 'patch'];

/** Registered routes (handlers, not `ALL` middleware), once each. */
function apiRoutes(): Array<{ method: string; path: string }> {
  const seen = new Map<string, { method: string; path: string }>();
  for (const r of app.routes) {
    if (r.method === 'ALL' || !isApi(r.path)) continue;
    const method = r.method.toLowerCase();
    seen.set(`${method} ${r.path}`, { method, path: r.path });
  }
  return [...seen.values()];
}

function matches(routePath: string, docPath: string): boolean {
  const route = routePath.split('/');
  const doc = docPath.split('/');
  if (route.length !== doc.length) return false;
  return route.every((seg, i) => {
    const d = doc[i]!;
    if (!seg.startsWith(':')) return seg === d;
    const name = seg.slice(1).replace(/\{.*\}$/, '');
    return d === `{${name}}` || (!d.includes('{') && d.length > 0);
  });
}

async function document(): Promise<Doc> {
  const res = await app.request('/api/v1/openapi.json');
  expect(res.status).toBe(200);
  return (await res.json()) as Doc;
}

describe('openapi.json', () => {
  it('documents every registered API route with its method', async () => {
    const doc = await document();
    const routes = apiRoutes();
    expect(routes.length).toBeGreaterThan(20);
    const missing = routes
      .filter(
        (r) =>
          !Object.entries(doc.paths).some(
            ([path, ops]) => matches(r.path, path) && ops[r.method] !== undefined,
          ),
      )
      .map((r) => `${r.method.toUpperCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(missing, 'routes missing from api/openapi.ts').toEqual([]);
  });

  it('names no route the app does not serve, and every operation has a summary and responses', async () => {
    const doc = await document();
    const routes = apiRoutes();
    const stale: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!isApi(path)) continue;
      for (const [method, op] of Object.entries(ops)) {
        expect(methods, `${path}: "${method}" is not an HTTP method`).toContain(method);
        expect(op.summary, `${method} ${path}`).toBeTruthy();
        expect(Object.keys(op.responses ?? {}).length, `${method} ${path}`).toBeGreaterThan(0);
        if (!routes.some((r) => r.method === method && matches(r.path, path))) {
          stale.push(`${method.toUpperCase()} ${path}`);
        }
      }
    }
    expect(stale, 'documented but not served').toEqual([]);
  });

  it('covers the e-mail doors, the mail log, attachments and the notification rules', async () => {
    const { paths } = await document();
    expect(paths['/inbound/mime']?.post).toBeDefined();
    expect(paths['/inbound/resend']?.post).toBeDefined();
    expect(paths['/api/v1/inbound/dead-letters']?.get).toBeDefined();
    expect(paths['/api/v1/inbound/{id}/replay']?.post).toBeDefined();
    expect(paths['/api/v1/manifestations/{protocol}/emails']?.get).toBeDefined();
    expect(paths['/api/v1/attachments/{id}']?.get).toBeDefined();
    expect(paths['/api/v1/admin/notification-rules']?.get).toBeDefined();
    expect(paths['/api/v1/admin/notification-rules/{eventType}']?.put).toBeDefined();
    // pages are not API: the signed follow link is not in the document
    expect(Object.keys(paths).some((p) => p.startsWith('/acompanhar'))).toBe(false);
  });
});
