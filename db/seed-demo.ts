// Demo organisation (SEED_DEMO=1): its name and logo, units, one account per staff role and ~60
// manifestations in every reachable status, filed and moved through the real workflow (so timelines,
// deadlines and the read model are genuine). The citizens rate most answered cases, some answers record the
// measure adopted, and two clusters of complaints (same unit, kind and channel in one month) give the
// reports and the public transparency page units and figures shown beside the small cells suppressed.
// Deterministic content (seeded PRNG); dates are relative to now. Idempotent: does nothing when any
// manifestation or demo account already exists.
import { ensureUser } from '../api/auth/auth.ts';
import { fileManifestation } from '../api/manifestations/filing.ts';
import type { ActionBodies, NewManifestation } from '../api/manifestations/schemas.ts';
import type { AppDeps } from '../api/types.ts';
import type { CaseAction } from '../workflows/transitions.ts';
import type { Channel, Identity, Kind, Status } from '../workflows/vocabulary.ts';
import { readSettings, writeSettings } from './queries/settings.ts';
import { upsertUnit } from './queries/units.ts';
import { findUserByEmail } from './queries/users.ts';
import { manifestations, type Role } from './schema.ts';
import { seedAction } from './seed-action.ts';
import {
  clinics,
  type DemoTemplate,
  type DemoUnitCode,
  demoTemplates,
  demoUnits,
  firstNames,
  lastNames,
  neighbourhoods,
  schools,
  squares,
  streets,
} from './seed-demo-data.ts';
import { seedDemoPeople } from './seed-demo-people.ts';

export const DEMO_PASSWORD = 'ouvidor-demo';

export type DemoAccount = { email: string; role: Role; name: string; password: string; unitCode?: string };

export const demoAccounts: readonly DemoAccount[] = [
  { email: 'admin@demo.ouvidor.local', role: 'admin', name: 'Carlos Menezes', password: DEMO_PASSWORD },
  { email: 'ouvidora@demo.ouvidor.local', role: 'ombudsman', name: 'Helena Duarte', password: DEMO_PASSWORD },
  { email: 'atendente@demo.ouvidor.local', role: 'attendant', name: 'Rafael Lima', password: DEMO_PASSWORD },
  {
    email: 'obras@demo.ouvidor.local',
    role: 'unit',
    name: 'Jorge Pacheco',
    password: DEMO_PASSWORD,
    unitCode: 'SEC-OBRAS',
  },
  { email: 'cidadao@demo.ouvidor.local', role: 'citizen', name: 'Maria da Silva', password: DEMO_PASSWORD },
];

const OMBUDSMAN = 'ouvidora@demo.ouvidor.local';
const ATTENDANT = 'atendente@demo.ouvidor.local';

/** What a plan step knows about the case it acts on. */
export type DemoCase = {
  template: DemoTemplate;
  input: NewManifestation;
  registeredBy: string;
  /** Staff member who takes the case (assign) and writes the answer. */
  assignee: string;
  /** Template answer with its placeholders filled. */
  answer: string;
  /** The opening reason a `reason` step records (a code of the seeded opening_reasons). */
  reason: string;
  /** The citizen's final rating, when a plan step rates the case. */
  rating: { score: number; resolved: 'yes' | 'partially' | 'no' };
};

/** One staff action of a plan; `actor` defaults to the ombudsman. */
export type DemoStep = {
  [A in CaseAction]: { action: A; body: (c: DemoCase) => ActionBodies[A]; actor?: (c: DemoCase) => string };
}[CaseAction];

/** `count` cases end in `status` after running `steps`; received `daysAgo` [min, max] days ago. */
export type DemoStatePlan = {
  status: Status;
  count: number;
  daysAgo: readonly [number, number];
  steps: readonly DemoStep[];
  /**
   * The plan's cases share kind, unit and channel and arrive in one calendar month (`daysAgo` is then
   * ignored; see clusterWindow): a combination of 5 or more that the transparency page publishes.
   */
  cluster?: { kind: Kind; unit: DemoUnitCode; channel: Channel };
};

const assign: DemoStep = { action: 'assign', body: (c) => ({ assignee: c.assignee }) };
const answer: DemoStep = { action: 'answer', body: (c) => ({ text: c.answer }), actor: (c) => c.assignee };
const close: DemoStep = {
  action: 'close',
  body: () => ({ reason: 'Resposta conclusiva enviada ao cidadão.' }),
};

const forward: DemoStep = {
  action: 'forward',
  body: (c) => ({
    units: [c.template.unit],
    instructions: 'Favor verificar a situação relatada e responder à ouvidoria.',
  }),
  actor: (c) => c.assignee,
};
const unitResponse: DemoStep = {
  action: 'unit-response',
  body: (c) => ({
    unit: c.template.unit,
    text: 'Situação verificada no local; providências tomadas conforme relatado na resposta.',
  }),
  actor: (c) => demoUnits.find((u) => u.code === c.template.unit)!.email,
};
/** The opening reason (Administração → Motivos): the annual report's reasons by kind and subject. */
const reason: DemoStep = { action: 'details', body: (c) => ({ reasonCode: c.reason }) };
/** The citizen's rating (final once the case is answered). */
const rate: DemoStep = { action: 'rate', body: (c) => c.rating, actor: () => 'citizen' };
/** The answer produced an improvement: the measure adopted (reports: "Medidas adotadas"). */
const improvement: DemoStep = { action: 'improvement', body: (c) => ({ measure: c.answer }) };
const requestInfo: DemoStep = {
  action: 'request-info',
  body: () => ({ question: 'Poderia informar o endereço completo e um ponto de referência?' }),
  actor: (c) => c.assignee,
};
const accept: DemoStep = { action: 'accept', body: () => ({}), actor: () => 'citizen' };
const archive: DemoStep = {
  action: 'archive',
  body: () => ({
    justification: 'Assunto fora da competência do município; orientado a procurar o órgão estadual.',
  }),
};

/** The state mix of the demo. */
export const demoStatePlan: readonly DemoStatePlan[] = [
  { status: 'received', count: 10, daysAgo: [1, 40], steps: [] },
  { status: 'in_progress', count: 10, daysAgo: [2, 50], steps: [assign, reason] },
  { status: 'forwarded', count: 8, daysAgo: [3, 45], steps: [assign, forward] },
  { status: 'awaiting_citizen', count: 5, daysAgo: [3, 15], steps: [assign, requestInfo] },
  { status: 'answered', count: 7, daysAgo: [5, 55], steps: [assign, reason, answer, rate] },
  { status: 'closed', count: 5, daysAgo: [10, 60], steps: [assign, answer, improvement, close, rate] },
  { status: 'approved', count: 3, daysAgo: [10, 60], steps: [assign, answer, accept, rate] },
  { status: 'archived', count: 2, daysAgo: [10, 60], steps: [assign, archive] },
  {
    status: 'answered',
    count: 6,
    daysAgo: [0, 0],
    steps: [assign, reason, forward, unitResponse, answer, rate],
    cluster: { kind: 'complaint', unit: 'SEC-OBRAS', channel: 'web' },
  },
  {
    status: 'closed',
    count: 6,
    daysAgo: [0, 0],
    steps: [assign, reason, forward, unitResponse, answer, close, rate],
    cluster: { kind: 'complaint', unit: 'SEC-SAUDE', channel: 'web' },
  },
];

/**
 * The days-ago window of the clusters: one calendar month (São Paulo dates) — this month up to yesterday
 * when a week of it has passed, otherwise the last three weeks of the previous month; but never the previous
 * year: in the first week of January they arrive from 1 January up to now (the year's annual report and
 * transparency page, which open on the current year, would otherwise have no published combination).
 */
export function clusterWindow(now: Date): readonly [number, number] {
  const local = (part: 'month' | 'day') =>
    Number(
      new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Sao_Paulo', [part]: 'numeric' }).format(now),
    );
  const dayOfMonth = local('day');
  if (dayOfMonth > 7) return [1, dayOfMonth - 1];
  if (local('month') === 1) return [0, dayOfMonth - 1];
  return [dayOfMonth + 1, dayOfMonth + 20];
}

export const demoCaseCount = demoStatePlan.reduce((n, p) => n + p.count, 0);

const SEED = 20_170_626; // Lei 13.460, 26 June 2017
const CONCURRENCY = 4;
const DAY = 86_400_000;

/** The demo organisation as the PDFs and the site show it (name and logo; views/static/demo-logo.png). */
export const demoOrganisation = {
  'org.name': 'Prefeitura Municipal de Santa Aurora (demonstração)',
  'org.logoUrl': '/static/demo-logo.png',
} as const;

export async function seedDemo(deps: AppDeps): Promise<number> {
  if (await alreadySeeded(deps)) return 0;
  const settings = await readSettings(deps.db);
  if (!settings['org.name'] && !settings['org.logoUrl'])
    await writeSettings(deps.db, { id: 'demo-seed', ip: null }, demoOrganisation);
  for (const unit of demoUnits) await upsertUnit(deps.db, unit);
  for (const { password, ...account } of demoAccounts) {
    await ensureUser(deps.auth, deps.db, { ...account, password });
  }
  const cases = buildDemoCases(new Date());
  await inPool(cases, CONCURRENCY, async ({ demo, plan }) => {
    const { protocol } = await fileManifestation(deps, demo.input, demo.registeredBy);
    for (const [i, step] of plan.steps.entries()) {
      const actor = step.actor?.(demo) ?? OMBUDSMAN;
      await seedAction(deps, protocol, i, step.action, step.body(demo) as never, actor);
    }
  });
  return cases.length + (await seedDemoPeople(deps));
}

async function alreadySeeded(deps: AppDeps): Promise<boolean> {
  const [anyCase] = await deps.db.select({ protocol: manifestations.protocol }).from(manifestations).limit(1);
  if (anyCase) return true;
  for (const account of demoAccounts) if (await findUserByEmail(deps.db, account.email)) return true;
  return false;
}

/** Every demo case with its plan, oldest first (so protocol numbers roughly follow arrival). */
export function buildDemoCases(now: Date): { demo: DemoCase; plan: DemoStatePlan }[] {
  const rand = mulberry32(SEED);
  const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const plans = shuffle(
    demoStatePlan.flatMap((p) => Array.from({ length: p.count }, () => p)),
    rand,
  );
  // Every template once, then random ones, in shuffled order.
  const templates = shuffle(
    Array.from({ length: plans.length }, (_, i) => demoTemplates[i] ?? pick(demoTemplates)),
    rand,
  );
  const clusterDays = clusterWindow(now);
  const cases = plans.map((plan, i) => {
    const cluster = plan.cluster;
    const template = cluster
      ? pick(demoTemplates.filter((x) => x.kind === cluster.kind && x.unit === cluster.unit))
      : templates[i]!;
    const unitName = demoUnits.find((u) => u.code === template.unit)!.name;
    const vars: Record<string, string> = {
      rua: pick(streets),
      n: String(int(10, 2500)),
      bairro: pick(neighbourhoods),
      escola: pick(schools),
      ubs: pick(clinics),
      praca: pick(squares),
      unidade: unitName,
    };
    const fill = (text: string) => text.replace(/\{(\w+)\}/g, (m, key: string) => vars[key] ?? m);
    const channel =
      cluster?.channel ??
      weighted<Channel>(rand, [
        ['web', 45],
        ['email', 15],
        ['phone', 20],
        ['in_person', 12],
        ['letter', 8],
      ]);
    const identity = pickIdentity(template.kind, rand);
    const first = pick(firstNames);
    const last = pick(lastNames);
    const days = cluster ? clusterDays : plan.daysAgo;
    const receivedAt = arrival(now, int(days[0], days[1]), int(0, 9 * 60), channel);
    const score = weighted<number>(rand, [
      [5, 35],
      [4, 30],
      [3, 15],
      [2, 10],
      [1, 10],
    ]);
    const topic = demoTopic(template);
    const input: NewManifestation = {
      ...(topic ? { topic } : {}),
      kind: template.kind,
      subject: fill(template.subject),
      description: fill(template.description),
      identity,
      channel,
      receivedAt: receivedAt.toISOString(),
      ...(identity === 'anonymous'
        ? {}
        : { citizen: { name: `${first} ${last}`, email: `${slug(first)}.${slug(last)}@example.com` } }),
    };
    const demo: DemoCase = {
      template,
      input,
      registeredBy: channel === 'web' ? 'citizen' : ATTENDANT,
      assignee: rand() < 0.7 ? ATTENDANT : OMBUDSMAN,
      answer: fill(template.answer),
      rating: { score, resolved: score >= 4 ? 'yes' : score === 3 ? 'partially' : 'no' },
      reason: weighted<string>(rand, [
        ['primeiro-contato', 50],
        ['problema-recorrente', 25],
        ['sem-resposta-orgao', 15],
        ['insatisfacao-resposta', 10],
      ]),
    };
    return { demo, plan };
  });
  return cases.sort((a, b) => a.demo.input.receivedAt!.localeCompare(b.demo.input.receivedAt!));
}

/** The catalogue topic (seeded by migration 0016) a template belongs to; none where no topic fits. */
function demoTopic(t: DemoTemplate): string | undefined {
  const byUnit: Partial<Record<Kind, Partial<Record<DemoUnitCode, string>> & { other?: string }>> = {
    complaint: { 'SEC-OBRAS': 'obras-vias', 'SEC-SAUDE': 'saude', other: 'atendimento' },
    report: { 'SEC-OBRAS': 'irregularidade-obra', 'SEC-SAUDE': 'conduta-servidor' },
    praise: { other: 'elogio-atendimento' },
    suggestion: { other: 'melhoria-servicos' },
    request: { 'SEC-AMB': 'limpeza-urbana', 'SEC-OBRAS': 'limpeza-urbana' },
    information: { other: 'acesso-informacao' },
  };
  const topics = byUnit[t.kind];
  return topics?.[t.unit] ?? topics?.other;
}

/** Denúncias are often anonymous or with preserved identity; other kinds mostly identified. */
function pickIdentity(kind: Kind, rand: () => number): Identity {
  return kind === 'report'
    ? weighted<Identity>(rand, [
        ['anonymous', 50],
        ['preserved', 30],
        ['identified', 20],
      ])
    : weighted<Identity>(rand, [
        ['identified', 65],
        ['preserved', 20],
        ['anonymous', 15],
      ]);
}

/** `daysAgo` days before now, 08:00 + `minutes` in São Paulo (UTC−3); offices only on weekdays. */
function arrival(now: Date, daysAgo: number, minutes: number, channel: Channel): Date {
  const day = new Date(now.getTime() - daysAgo * DAY);
  day.setUTCHours(11, minutes, 0, 0);
  if (channel !== 'web' && channel !== 'email') {
    const weekday = day.getUTCDay();
    if (weekday === 0 || weekday === 6) day.setTime(day.getTime() - (weekday === 0 ? 2 : 1) * DAY);
  }
  // today's arrivals (the clusters of early January) are never later than now
  if (day.getTime() >= now.getTime()) day.setTime(now.getTime() - 60_000);
  return day;
}

const slug = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

function weighted<T>(rand: () => number, options: readonly (readonly [T, number])[]): T {
  const total = options.reduce((sum, [, w]) => sum + w, 0);
  let r = rand() * total;
  for (const [value, w] of options) {
    r -= w;
    if (r < 0) return value;
  }
  return options[options.length - 1]![0];
}

function shuffle<T>(items: T[], rand: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Small, well-known 32-bit PRNG: same seed, same demo. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `fn` over `items`, at most `limit` at a time, in order of start. */
async function inPool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(lanes);
}
