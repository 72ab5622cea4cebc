// "Pessoas" (/painel/pessoas, issue 11): the ouvidoria's records of people and companies — search, create,
// edit (VIP, company, deactivate), merge a duplicate (its cases move; the duplicate stays, inactive, as the
// trace), companies, and the data subjects' LGPD requests. Office staff only (units get 403: a person record
// would tell them who filed a preserved case). Plain forms; every write through api/people/service.ts
// (audited).
import { type Context, Hono } from 'hono';
import { ZodError } from 'zod';
import { closeDataRequest, listCompanies, listDataRequests, listPeople } from '../../db/queries/people.ts';
import { audit } from '../../db/queries/users.ts';
import { requireRole } from '../auth/session.ts';
import type { StaffRole } from '../disclosure.ts';
import { toApiError, zodFieldErrors } from '../errors.ts';
import { formatCnpj, formatCpf } from '../people/documents.ts';
import {
  companyCreateSchema,
  companyPatchSchema,
  personCreateSchema,
  personPatchSchema,
} from '../people/schemas.ts';
import {
  companyDetail,
  createCompanyAudited,
  createPersonAudited,
  mergeAudited,
  personDetail,
  recordRoles,
  updateCompanyAudited,
  updatePersonAudited,
} from '../people/service.ts';
import { clientIp } from '../rate-limit.ts';
import type { AppEnv } from '../types.ts';
import { render } from './render.ts';

export const peoplePages = new Hono<AppEnv>();

type Values = Record<string, string>;
type Errors = Record<string, string[]>;

function staff(c: Context<AppEnv>) {
  if (!c.var.user) return undefined;
  return requireRole(c, recordRoles);
}

const strings = (form: Record<string, unknown>): Values =>
  Object.fromEntries(Object.entries(form).map(([k, v]) => [k, typeof v === 'string' ? v.trim() : '']));
const orNull = (v: string | undefined) => (v ? v : null);

/** Form values → the API shape (empty = null; checkboxes). */
function personInput(v: Values) {
  return {
    name: v.name ?? '',
    email: orNull(v.email),
    phone: orNull(v.phone),
    cpf: orNull(v.cpf),
    address: orNull(v.address),
    language: v.language === 'en' ? ('en' as const) : ('pt-BR' as const),
    companyId: orNull(v.companyId),
    vip: v.vip === 'on',
    vipReason: orNull(v.vipReason),
    active: v.active !== 'off',
  };
}
function companyInput(v: Values) {
  return {
    legalName: v.legalName ?? '',
    tradeName: orNull(v.tradeName),
    cnpj: orNull(v.cnpj),
    email: orNull(v.email),
    phone: orNull(v.phone),
    vip: v.vip === 'on',
    vipReason: orNull(v.vipReason),
    active: v.active !== 'off',
  };
}

function failureFields(err: unknown): Errors {
  if (err instanceof ZodError) return zodFieldErrors(err);
  const e = toApiError(err);
  if (e.status === 409 || e.status === 422) return e.fields ?? { form: [e.message] };
  throw err;
}

// --- people ---

peoplePages.get('/painel/pessoas', async (c) => {
  if (!staff(c)) return c.redirect('/entrar', 303);
  const q = (c.req.query('q') ?? '').slice(0, 200);
  const people = await listPeople(c.var.deps.db, { q, includeInactive: c.req.query('inativos') === '1' });
  return render(c, 'people/index', { title: 'people.title', q, people, formatCpf });
});

async function personForm(
  c: Context<AppEnv>,
  values: Values,
  errors: Errors,
  id: string | null,
  extra: Record<string, unknown> = {},
) {
  const companies = await listCompanies(c.var.deps.db, '', 500);
  return render(
    c,
    'people/person',
    {
      title: id ? values.name || 'people.title' : 'people.new',
      id,
      values,
      errors,
      companies,
      cases: [],
      merged: null,
      candidates: null,
      dup: '',
      ...extra,
    },
    Object.keys(errors).length ? 422 : 200,
  );
}

peoplePages.get('/painel/pessoas/nova', async (c) => {
  if (!staff(c)) return c.redirect('/entrar', 303);
  return personForm(c, { language: 'pt-BR', active: 'on' }, {}, null);
});

peoplePages.post('/painel/pessoas', async (c) => {
  const user = requireRole(c, recordRoles);
  const values = strings(await c.req.parseBody());
  try {
    const person = await createPersonAudited(c.var.deps, personCreateSchema.parse(personInput(values)), {
      email: user.email,
      ip: clientIp(c),
    });
    return c.redirect(`/painel/pessoas/${person.id}?feito=1`, 303);
  } catch (err) {
    return personForm(c, values, failureFields(err), null);
  }
});

function personValues(p: Awaited<ReturnType<typeof personDetail>>['person']): Values {
  return {
    name: p.name,
    email: p.email ?? '',
    phone: p.phone ?? '',
    cpf: p.cpf ? formatCpf(p.cpf) : '',
    address: p.address ?? '',
    language: p.language,
    companyId: p.companyId ?? '',
    vip: p.vip ? 'on' : '',
    vipReason: p.vipReason ?? '',
    active: p.active ? 'on' : '',
  };
}

async function renderPerson(
  c: Context<AppEnv>,
  id: string,
  override?: { values: Values; errors: Errors },
  notice: Record<string, unknown> = {},
) {
  const user = requireRole(c, recordRoles);
  const detail = await personDetail(c.var.deps, id, user.role as StaffRole);
  const dup = (c.req.query('duplicado') ?? '').slice(0, 200);
  const candidates = dup
    ? (await listPeople(c.var.deps.db, { q: dup, includeInactive: true })).filter((p) => p.id !== id)
    : null;
  return personForm(c, override?.values ?? personValues(detail.person), override?.errors ?? {}, id, {
    cases: detail.cases,
    mergedInto: detail.person.mergedInto,
    company: detail.company,
    candidates,
    dup,
    saved: c.req.query('feito') === '1',
    merged: c.req.query('mesclados') ?? null,
    formatCpf,
    ...notice,
  });
}

peoplePages.get('/painel/pessoas/pedidos', async (c) => {
  if (!staff(c)) return c.redirect('/entrar', 303);
  const requests = await listDataRequests(c.var.deps.db);
  return render(c, 'people/requests', { title: 'people.requests', requests });
});

peoplePages.post('/painel/pessoas/pedidos/:id', async (c) => {
  const user = requireRole(c, recordRoles);
  const row = await closeDataRequest(c.var.deps.db, c.req.param('id'), user.email);
  if (row)
    await audit(c.var.deps.db, {
      actor: user.email,
      action: 'data_request.handled',
      ip: clientIp(c),
      data: { entity: 'data_request', id: row.id, before: { status: 'open' }, after: { status: 'done' } },
    });
  return c.redirect('/painel/pessoas/pedidos', 303);
});

// --- companies ---

peoplePages.get('/painel/pessoas/empresas', async (c) => {
  if (!staff(c)) return c.redirect('/entrar', 303);
  const q = (c.req.query('q') ?? '').slice(0, 200);
  const companies = await listCompanies(c.var.deps.db, q, 100);
  return render(c, 'people/companies', {
    title: 'people.companies',
    q,
    companies,
    formatCnpj,
    values: { active: 'on' },
    errors: {},
  });
});

peoplePages.post('/painel/pessoas/empresas', async (c) => {
  const user = requireRole(c, recordRoles);
  const values = strings(await c.req.parseBody());
  try {
    const company = await createCompanyAudited(c.var.deps, companyCreateSchema.parse(companyInput(values)), {
      email: user.email,
      ip: clientIp(c),
    });
    return c.redirect(`/painel/pessoas/empresas/${company.id}?feito=1`, 303);
  } catch (err) {
    const errors = failureFields(err);
    const companies = await listCompanies(c.var.deps.db, '', 100);
    return render(
      c,
      'people/companies',
      { title: 'people.companies', q: '', companies, formatCnpj, values, errors },
      422,
    );
  }
});

async function renderCompany(c: Context<AppEnv>, id: string, override?: { values: Values; errors: Errors }) {
  const company = await companyDetail(c.var.deps, id);
  const members = await listPeople(c.var.deps.db, { companyId: id, includeInactive: true });
  const values: Values = override?.values ?? {
    legalName: company.legalName,
    tradeName: company.tradeName ?? '',
    cnpj: company.cnpj ? formatCnpj(company.cnpj) : '',
    email: company.email ?? '',
    phone: company.phone ?? '',
    vip: company.vip ? 'on' : '',
    vipReason: company.vipReason ?? '',
    active: company.active ? 'on' : '',
  };
  const errors = override?.errors ?? {};
  return render(
    c,
    'people/company',
    { title: company.legalName, id, values, errors, members, saved: c.req.query('feito') === '1' },
    Object.keys(errors).length ? 422 : 200,
  );
}

peoplePages.get('/painel/pessoas/empresas/:id', async (c) => {
  if (!staff(c)) return c.redirect('/entrar', 303);
  return renderCompany(c, c.req.param('id'));
});

peoplePages.post('/painel/pessoas/empresas/:id', async (c) => {
  const user = requireRole(c, recordRoles);
  const id = c.req.param('id');
  const values = strings(await c.req.parseBody());
  try {
    await updateCompanyAudited(c.var.deps, id, companyPatchSchema.parse(companyInput(values)), {
      email: user.email,
      ip: clientIp(c),
    });
  } catch (err) {
    return renderCompany(c, id, { values, errors: failureFields(err) });
  }
  return c.redirect(`/painel/pessoas/empresas/${id}?feito=1`, 303);
});

// --- one person (after the fixed paths above) ---

peoplePages.get('/painel/pessoas/:id', async (c) => {
  if (!staff(c)) return c.redirect('/entrar', 303);
  return renderPerson(c, c.req.param('id'));
});

peoplePages.post('/painel/pessoas/:id', async (c) => {
  const user = requireRole(c, recordRoles);
  const id = c.req.param('id');
  const values = strings(await c.req.parseBody());
  try {
    await updatePersonAudited(c.var.deps, id, personPatchSchema.parse(personInput(values)), {
      email: user.email,
      ip: clientIp(c),
    });
  } catch (err) {
    return renderPerson(c, id, { values, errors: failureFields(err) });
  }
  return c.redirect(`/painel/pessoas/${id}?feito=1`, 303);
});

peoplePages.post('/painel/pessoas/:id/mesclar', async (c) => {
  const user = requireRole(c, recordRoles);
  const id = c.req.param('id');
  const form = strings(await c.req.parseBody());
  try {
    const result = await mergeAudited(c.var.deps, id, form.from ?? '', {
      email: user.email,
      ip: clientIp(c),
    });
    return c.redirect(`/painel/pessoas/${id}?mesclados=${result.moved.length}`, 303);
  } catch (err) {
    const e = toApiError(err);
    if (e.status !== 409 && e.status !== 422) throw err;
    return renderPerson(c, id, undefined, { mergeError: e.fields?.from?.[0] ?? e.message });
  }
});
