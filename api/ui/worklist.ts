// The attendant's workspace at /painel: queues with counts, every filter and search (URL = state),
// three sorts with keyset pages, bulk actions on selected cases, and live updates over SSE.

import { type Context, Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { groupsOfUser, listGroups } from '../../db/queries/catalogue.ts';
import {
  countGroupQueues,
  countQueues,
  listManifestations,
  pendingStatuses,
} from '../../db/queries/manifestations.ts';
import { listCompanies } from '../../db/queries/people.ts';
import { listUnits } from '../../db/queries/units.ts';
import { listStaff } from '../../db/queries/users.ts';
import { channels, kinds, slaStates, statuses } from '../../workflows/vocabulary.ts';
import { priorityOrder } from '../admin/display-lists.ts';
import { requireRole, type StaffUser } from '../auth/session.ts';
import { presentListRow, staffViewer } from '../disclosure.ts';
import { runBulk } from '../manifestations/bulk.ts';
import { listQueryString, queueWindow, resolveListQuery, viewerOf } from '../manifestations/list-filter.ts';
import { listQuerySchema, queueNames } from '../manifestations/schemas.ts';
import { recordRoles } from '../people/service.ts';
import type { AppEnv } from '../types.ts';
import { formCatalogue } from './catalogue-choices.ts';
import { isPartial, render } from './render.ts';

export const worklistPages = new Hono<AppEnv>();

const filterKeys = Object.keys(listQuerySchema.shape);

/** The raw, known query values (what the form shows back, valid or not). */
function rawValues(query: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of filterKeys) if (query[k]?.trim()) out[k] = query[k].trim();
  return out;
}

/** The user's attendant groups with their open cases (issue 10: "solicitações separadas por grupo"). */
async function groupQueues(c: Context<AppEnv>, user: StaffUser) {
  const db = c.var.deps.db;
  const mine = await groupsOfUser(db, user.id);
  const names = new Map((await listGroups(db)).map((g) => [g.code, g.name]));
  const counts = await countGroupQueues(db, viewerOf(user), mine);
  return mine.map((code) => ({ code, name: names.get(code) ?? code, count: counts[code] ?? 0 }));
}

async function queueCounts(c: Context<AppEnv>, user: StaffUser) {
  const counts = await countQueues(c.var.deps.db, viewerOf(user), await queueWindow(c.var.deps));
  return queueNames.map((name) => ({ name, count: counts[name] }));
}

async function pageData(c: Context<AppEnv>, user: StaffUser, query: Record<string, string>) {
  const deps = c.var.deps;
  const values = rawValues(query);
  const resolved = await resolveListQuery(query, user, deps);
  const [units, staff, queues, groupQueueList, groups, companyList, catalogue] = await Promise.all([
    listUnits(deps.db),
    listStaff(deps.db),
    queueCounts(c, user),
    groupQueues(c, user),
    listGroups(deps.db, { activeOnly: true }),
    // issue 11: company filter for who may see records (units: none)
    recordRoles.includes(user.role) ? listCompanies(deps.db, '', 500) : Promise.resolve([]),
    // topic and item as selects of the catalogue (a chosen one stays offered after it is deactivated)
    formCatalogue(c, { topic: values.topic ?? null, item: values.item ?? null }),
  ]);
  const unitNames = new Map(units.map((u) => [u.code, u.name]));
  const base = {
    title: 'list.title',
    values,
    queues,
    groupQueues: groupQueueList,
    groups: groups.map((g) => ({ code: g.code, name: g.name })),
    topicChoices: catalogue.topics,
    itemChoices: catalogue.items,
    companies: companyList.map((co) => ({ id: co.id, name: co.tradeName || co.legalName })),
    recordFilters: recordRoles.includes(user.role),
    statuses,
    kinds,
    priorities: priorityOrder(deps.db), // administered order (issue 10)
    channels,
    slaStates,
    pendingStatuses,
    units: units.map((u) => ({ code: u.code, name: u.name })),
    staff,
    unitName: (code: string) => unitNames.get(code) ?? code,
    canBulk: user.role !== 'unit',
    live: !!deps.caseEvents,
    bulk: null as null | { protocol: string; ok: boolean; message: string }[],
  };
  if (!resolved.ok)
    return {
      status: 422 as const,
      data: { ...base, items: [], nextCursor: null, errors: resolved.fields, query: '' },
    };
  const { filter, viewer, window } = resolved.list;
  const listed = await listManifestations(deps.db, filter, viewer, window);
  const reader = staffViewer(user)!;
  const items = listed.items.map((row) => presentListRow(reader, row, { secret: deps.secret }));
  const nextCursor = listed.nextCursor;
  const query_ = listQueryString(resolved.list.query);
  return { status: 200 as const, data: { ...base, items, nextCursor, errors: {}, query: query_ } };
}

/**
 * The same URL without blank parameters (`?status=&kind=` from a form where nothing was chosen), or null
 * when it has none: a bookmarked or shared view carries only the filters set.
 */
export function withoutBlankParams(url: string): string | null {
  const u = new URL(url);
  const kept = [...u.searchParams].filter(([, value]) => value.trim() !== '');
  if (kept.length === [...u.searchParams].length) return null;
  const query = new URLSearchParams(kept).toString();
  return `${u.pathname}${query ? `?${query}` : ''}`;
}

worklistPages.get('/painel', async (c) => {
  if (!c.var.user) return c.redirect('/entrar', 303);
  const user = requireRole(c);
  const clean = withoutBlankParams(c.req.url);
  // The filter form sends every field: a page load goes to the clean URL; htmx pushes the clean one.
  if (clean && !isPartial(c)) return c.redirect(clean, 303);
  if (clean) c.header('HX-Push-Url', clean);
  const { status, data } = await pageData(c, user, c.req.query());
  // cases ticked for a bulk action, sent back by the live refresh (hx-include): they stay ticked
  const selected = c.req.queries('protocols') ?? [];
  Object.assign(data, { selected });
  if (isPartial(c) && c.req.query('fragment') === 'rows') return render(c, '_case_rows', data, status);
  if (isPartial(c)) return render(c, '_case_results', data, status);
  return render(c, 'cases', data, status);
});

/** The queue sidebar alone (live refresh of the counts). */
worklistPages.get('/painel/filas', async (c) => {
  const user = requireRole(c);
  const values = rawValues(c.req.query());
  return render(c, '_queues', {
    queues: await queueCounts(c, user),
    groupQueues: await groupQueues(c, user),
    values,
    live: !!c.var.deps.caseEvents,
  });
});

/** Selected cases → one Update each (assume, assign, priority); each result reported on its own. */
worklistPages.post('/painel/lote', async (c) => {
  const user = requireRole(c, ['admin', 'ombudsman', 'attendant']);
  const form = await c.req.parseBody({ all: true });
  const protocols = [form.protocols ?? []]
    .flat()
    .filter((p): p is string => typeof p === 'string' && p !== '');
  const back = typeof form.back === 'string' ? form.back : '';
  const query = Object.fromEntries(new URLSearchParams(back));
  const results = protocols.length
    ? await runBulk(c.var.deps, user, protocols, String(form.action ?? ''))
    : [{ protocol: '—', ok: false, message: 'Selecione ao menos uma manifestação.' }];
  const { data } = await pageData(c, user, query);
  const withResults = { ...data, bulk: results };
  const status = results.some((r) => !r.ok) && results.every((r) => !r.ok) ? 422 : 200;
  if (isPartial(c)) return render(c, '_case_results', withResults, status);
  return render(c, 'cases', withResults, status);
});

/**
 * Server-sent events: `case-changed` whenever the projection writes a case (PostgreSQL NOTIFY, so a
 * separate worker process feeds it too). With ?protocol= only that case's changes. No data but the
 * protocol; pages re-read what they show through their own authorised routes.
 */
worklistPages.get('/painel/eventos', (c) => {
  requireRole(c);
  const events = c.var.deps.caseEvents;
  const only = c.req.query('protocol');
  return streamSSE(c, async (stream) => {
    if (!events) return;
    let queue = Promise.resolve();
    const unsubscribe = events.subscribe((protocol) => {
      if (only && protocol !== only) return;
      queue = queue.then(() => stream.writeSSE({ event: 'case-changed', data: only ? protocol : '' }));
    });
    const keepAlive = setInterval(() => {
      queue = queue.then(() => stream.write(': keep-alive\n\n')).then(() => {});
    }, 25_000);
    await new Promise<void>((resolve) => stream.onAbort(resolve));
    clearInterval(keepAlive);
    unsubscribe();
  });
});
