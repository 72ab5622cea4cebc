// Admin pages of the catalogue (issue 10 items 2–5): /painel/admin/grupos (attendant groups, members,
// routing rules), /unidades (cost centres and units), /catalogo (topics and items per kind), /listas
// (opening reasons, priorities, status names, rating scale). Plain forms; every write goes through
// api/admin/catalogue-service.ts (validated, audited). Mounted by api/ui/admin/routes.ts.
import { asc, eq, ne } from 'drizzle-orm';
import { type Context, Hono } from 'hono';
import {
  labelOf,
  listCostCentres,
  listGroups,
  listItems,
  listOpeningReasons,
  listPriorityLabels,
  listRatingScales,
  listRoutingRules,
  listStatusLabels,
  listTopics,
} from '../../../db/queries/catalogue.ts';
import { audit } from '../../../db/queries/users.ts';
import { units, users } from '../../../db/schema.ts';
import { translator } from '../../../views/i18n.ts';
import { channels, kinds, statuses } from '../../../workflows/vocabulary.ts';
import {
  costCentreDef,
  type EntityDef,
  groupDef,
  itemDef,
  openingReasonDef,
  priorityDef,
  ratingScaleDef,
  statusDef,
  topicDef,
  unitDef,
} from '../../admin/catalogue-defs.ts';
import {
  addMember,
  addRule,
  createEntity,
  membersByGroup,
  pathKey,
  removeMember,
  removeRule,
  updateEntity,
} from '../../admin/catalogue-service.ts';
import { casesToReroute, rerouteOpenCases } from '../../admin/reroute.ts';
import type { AppEnv } from '../../types.ts';
import { languageOf, render } from '../render.ts';
import {
  actorOf,
  attempt,
  type Choices,
  type FormFailure,
  formBody,
  pageData,
  type RowView,
  rowsOf,
  type SectionView,
} from './catalogue-kit.ts';

type SectionDef = { def: EntityDef; title: string; intro?: string; extra?: string };
type PageDef = { title: string; intro: string; sections: SectionDef[] };

const pages: Record<string, PageDef> = {
  grupos: {
    title: 'groups.title',
    intro: 'groups.intro',
    sections: [{ def: groupDef, title: 'groups.section', extra: 'group_extra' }],
  },
  unidades: {
    title: 'units.title',
    intro: 'units.intro',
    sections: [
      { def: costCentreDef, title: 'units.costCentres', intro: 'units.costCentres.hint' },
      { def: unitDef, title: 'units.section', intro: 'units.section.hint', extra: 'unit_extra' },
    ],
  },
  catalogo: {
    title: 'catalogue.title',
    intro: 'catalogue.intro',
    sections: [
      { def: topicDef, title: 'catalogue.topics', intro: 'catalogue.topics.hint' },
      { def: itemDef, title: 'catalogue.items', intro: 'catalogue.items.hint' },
    ],
  },
  listas: {
    title: 'lists.title',
    intro: 'lists.intro',
    sections: [
      { def: openingReasonDef, title: 'lists.reasons', intro: 'lists.reasons.hint' },
      { def: priorityDef, title: 'lists.priorities', intro: 'lists.priorities.hint' },
      { def: statusDef, title: 'lists.statuses', intro: 'lists.statuses.hint' },
      { def: ratingScaleDef, title: 'lists.rating', intro: 'lists.rating.hint' },
    ],
  },
};

/** Rows of an entity in the order its lists use. */
async function rowsFor(c: Context<AppEnv>, def: EntityDef): Promise<Record<string, unknown>[]> {
  const db = c.var.deps.db;
  if (def === groupDef) return listGroups(db);
  if (def === costCentreDef) return listCostCentres(db);
  if (def === unitDef) return db.select().from(units).orderBy(asc(units.name));
  if (def === topicDef) return listTopics(db);
  if (def === itemDef) return listItems(db);
  if (def === openingReasonDef) return listOpeningReasons(db);
  if (def === priorityDef) return listPriorityLabels(db);
  if (def === statusDef) {
    const rows = await listStatusLabels(db);
    return [...rows].sort((a, b) => statuses.indexOf(a.code as never) - statuses.indexOf(b.code as never));
  }
  return listRatingScales(db);
}

async function choicesFor(c: Context<AppEnv>): Promise<Choices & Record<string, unknown>> {
  const db = c.var.deps.db;
  const lang = languageOf(c);
  const t = translator(lang);
  const inactive = (active: boolean) => (active ? '' : ` (${t('catalogue.inactive')})`);
  const topicRows = await listTopics(db);
  const topicLabel = new Map(topicRows.map((r) => [r.code, labelOf(r, lang)]));
  const staff = await db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(ne(users.role, 'citizen'))
    .orderBy(asc(users.name));
  return {
    kinds: kinds.map((k) => ({ value: k, label: t(`kind.${k}`, k) })),
    channels: channels.map((ch) => ({ value: ch, label: t(`channel.${ch}`, ch) })),
    costCentres: (await listCostCentres(db)).map((r) => ({
      value: r.code,
      label: `${r.name}${inactive(r.active)}`,
    })),
    topics: topicRows.map((r) => ({
      value: r.code,
      label: `${t(`kind.${r.kind}`, r.kind)} — ${labelOf(r, lang)}${inactive(r.active)}`,
    })),
    items: (await listItems(db)).map((r) => ({
      value: r.code,
      label: `${topicLabel.get(r.topicCode) ?? r.topicCode} — ${labelOf(r, lang)}${inactive(r.active)}`,
    })),
    staff: staff.map((u) => ({ value: u.id, label: `${u.name} (${u.email})` })),
  };
}

/** The row extras of a section (group members and rules, unit staff). */
async function withExtras(c: Context<AppEnv>, s: SectionDef, rows: RowView[]): Promise<RowView[]> {
  const db = c.var.deps.db;
  if (s.def === groupDef) {
    const members = await membersByGroup(
      db,
      rows.map((r) => r.key),
    );
    const rules = await listRoutingRules(db);
    return rows.map((r) => ({
      ...r,
      extra: { members: members.get(r.key) ?? [], rules: rules.filter((x) => x.groupCode === r.key) },
    }));
  }
  if (s.def === unitDef) {
    const staff = await db
      .select({ name: users.name, email: users.email, unitCode: users.unitCode })
      .from(users)
      .where(eq(users.role, 'unit'))
      .orderBy(asc(users.name));
    return rows.map((r) => ({ ...r, extra: { staff: staff.filter((u) => u.unitCode === r.key) } }));
  }
  return rows;
}

async function renderPage(c: Context<AppEnv>, name: string, failure: FormFailure | null = null) {
  const page = pages[name]!;
  const sections: SectionView[] = [];
  for (const s of page.sections) {
    const rows = await withExtras(c, s, rowsOf(s.def, await rowsFor(c, s.def)));
    sections.push({
      id: s.def.path,
      title: s.title,
      ...(s.intro ? { intro: s.intro } : {}),
      action: `/painel/admin/${name}/${s.def.path}`,
      fields: s.def.fields,
      canCreate: s.def.create !== null,
      rows,
      ...(s.extra ? { extra: s.extra } : {}),
    });
  }
  const data = pageData(c, page.title, page.intro, sections, await choicesFor(c), failure);
  // groups: open cases the current rules would send elsewhere (api/admin/reroute.ts)
  const reroute =
    name === 'grupos'
      ? { pending: (await casesToReroute(c.var.deps.db)).length, done: c.req.query('reencaminhadas') ?? null }
      : null;
  return render(c, 'admin/catalogue', { ...data, reroute }, failure ? 422 : 200);
}

const done = (c: Context<AppEnv>, page: string) => c.redirect(`/painel/admin/${page}?salvo=1`, 303);

export const catalogueAdminPages = new Hono<AppEnv>();

/** Badge colours of the administered priorities (a stylesheet: the CSP allows no inline styles). */
catalogueAdminPages.get('/painel/prioridades.css', async (c) => {
  const rows = await listPriorityLabels(c.var.deps.db);
  const css = rows
    .filter((p) => /^#[0-9a-fA-F]{6}$/.test(p.colour) && /^[a-z]+$/.test(p.code))
    .map((p) => `.prio-${p.code}{color:${p.colour};border:1px solid ${p.colour};background:transparent}`)
    .join('\n');
  c.header('Content-Type', 'text/css; charset=utf-8');
  c.header('Cache-Control', 'no-cache');
  return c.body(`${css}\n`);
});

for (const name of Object.keys(pages)) {
  catalogueAdminPages.get(`/painel/admin/${name}`, (c) => renderPage(c, name));
}

// group members and routing rules (before the generic routes: more segments)
catalogueAdminPages.post('/painel/admin/grupos/groups/:code/membros', async (c) => {
  const code = pathKey(c.req.param('code'));
  const form = await c.req.parseBody();
  const userId = typeof form.userId === 'string' && form.userId ? form.userId : undefined;
  const failure = await attempt('members', code, {}, () =>
    addMember(c.var.deps, code, userId ? { userId } : {}, actorOf(c)),
  );
  return failure ? renderPage(c, 'grupos', failure) : done(c, 'grupos');
});
catalogueAdminPages.post('/painel/admin/grupos/groups/:code/membros/:userId/remover', async (c) => {
  await removeMember(c.var.deps, pathKey(c.req.param('code')), pathKey(c.req.param('userId')), actorOf(c));
  return done(c, 'grupos');
});
catalogueAdminPages.post('/painel/admin/grupos/groups/:code/regras', async (c) => {
  const code = pathKey(c.req.param('code'));
  const form = await c.req.parseBody();
  const body: Record<string, unknown> = {};
  for (const k of ['kind', 'topicCode', 'itemCode', 'channel'])
    if (typeof form[k] === 'string' && form[k]) body[k] = form[k];
  const pos = typeof form.position === 'string' ? form.position.trim() : '';
  if (pos) body.position = /^\d+$/.test(pos) ? Number(pos) : pos;
  const failure = await attempt('rules', code, body, () => addRule(c.var.deps, code, body, actorOf(c)));
  return failure ? renderPage(c, 'grupos', failure) : done(c, 'grupos');
});
catalogueAdminPages.post('/painel/admin/grupos/reencaminhar', async (c) => {
  const actor = actorOf(c);
  const report = await rerouteOpenCases(c.var.deps, actor.email ?? 'admin');
  await audit(c.var.deps.db, {
    actor: actor.email,
    action: 'admin.routing.reroute',
    ip: actor.ip,
    data: { entity: 'routing', id: 'open-cases', before: null, after: report },
  });
  return c.redirect(`/painel/admin/grupos?reencaminhadas=${report.rerouted}`, 303);
});
catalogueAdminPages.post('/painel/admin/grupos/groups/:code/regras/:id/remover', async (c) => {
  await removeRule(c.var.deps, pathKey(c.req.param('code')), pathKey(c.req.param('id')), actorOf(c));
  return done(c, 'grupos');
});

// create and update, one route pair per section (explicit paths: no other area's URL is caught)
for (const [page, def] of Object.entries(pages).flatMap(([p, d]) =>
  d.sections.map((s) => [p, s.def] as const),
)) {
  const base = `/painel/admin/${page}/${def.path}`;
  if (def.create)
    catalogueAdminPages.post(base, async (c) => {
      const form = await c.req.parseBody({ all: true });
      const body = formBody(form, def.fields, true);
      const failure = await attempt(def.path, 'create', body, () =>
        createEntity(c.var.deps, def, body, actorOf(c)),
      );
      return failure ? renderPage(c, page, failure) : done(c, page);
    });
  catalogueAdminPages.post(`${base}/:key`, async (c) => {
    const key = pathKey(c.req.param('key'));
    const form = await c.req.parseBody({ all: true });
    const body = formBody(form, def.fields, false);
    const failure = await attempt(def.path, key, body, () =>
      updateEntity(c.var.deps, def, key, body, actorOf(c)),
    );
    return failure ? renderPage(c, page, failure) : done(c, page);
  });
}
