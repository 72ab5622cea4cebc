// The citizen account pages (issue 11 item 5): sign in with a one-time link sent by e-mail (/conta/entrar
// → the e-mail → /conta/link), "Minhas manifestações" (/conta), their own record and company (/conta/dados),
// and the LGPD export and correction request. Staff addresses never get a sign-in link (staff sign in with
// a password at /entrar); a citizen session never opens /painel.
import { type Context, Hono } from 'hono';
import { ZodError, z } from 'zod';
import { findUserByEmail } from '../../db/queries/users.ts';
import { whenAuthFailed } from '../auth/session.ts';
import { takeSignInToken } from '../auth/sign-in-links.ts';
import { ApiError, toApiError, zodFieldErrors } from '../errors.ts';
import { renderPdf } from '../pdf/render.ts';
import { formatCnpj, formatCpf } from '../people/documents.ts';
import { correctionSchema, mePatchSchema } from '../people/schemas.ts';
import { clientIp, limit } from '../rate-limit.ts';
import type { AppEnv } from '../types.ts';
import { render } from '../ui/render.ts';
import {
  accountRecord,
  accountsEnabled,
  type CitizenUser,
  exportFor,
  myCases,
  requestCorrection,
  updateOwnRecord,
} from './data.ts';
import { exportPdfDocument } from './export-pdf.ts';
import { deliverSignInLink } from './mail.ts';

export const accountPages = new Hono<AppEnv>();

// A citizen session belongs in the account, never in the staff workspace ("Acesso negado" before). The
// priority colours (a stylesheet every page links, public ones included) are not the workspace.
for (const path of ['/painel', '/painel/*'])
  accountPages.use(path, async (c, next) => {
    if (c.var.user?.role === 'citizen' && c.req.path !== '/painel/prioridades.css')
      return c.redirect('/conta', 303);
    await next();
  });

const off = (c: Context<AppEnv>) => render(c, 'account/off', { title: 'account.title' }, 200);

accountPages.get('/conta/entrar', async (c) => {
  if (!(await accountsEnabled(c.var.deps.db))) return off(c);
  if (c.var.user?.role === 'citizen') return c.redirect('/conta', 303);
  const error = c.req.query('erro') === 'link' ? 'account.link.invalid' : null;
  return render(c, 'account/signin', { title: 'account.signin.title', email: '', error });
});

accountPages.post('/conta/entrar', limit('account-signin', 5), async (c) => {
  if (!(await accountsEnabled(c.var.deps.db))) return off(c);
  const form = await c.req.parseBody();
  const raw = String(form.email ?? '').trim();
  const parsed = z.email().max(320).safeParse(raw);
  if (!parsed.success)
    return render(
      c,
      'account/signin',
      { title: 'account.signin.title', email: raw, error: 'account.email.invalid' },
      422,
    );
  const email = parsed.data.toLowerCase();
  const deps = c.var.deps;
  const existing = await findUserByEmail(deps.db, email);
  // Staff accounts sign in with their password (and second factor): no link, and the same answer, so the
  // page does not tell who works here.
  if (!existing || existing.role === 'citizen') {
    await deps.auth.api
      .signInMagicLink({ body: { email }, headers: c.req.raw.headers })
      .catch((err: unknown) => whenAuthFailed(c, err));
    const token = takeSignInToken(email);
    if (token)
      await deliverSignInLink(deps, email, `${deps.publicUrl}/conta/link?token=${encodeURIComponent(token)}`);
  }
  return render(c, 'account/sent', { title: 'account.signin.title', email });
});

accountPages.get('/conta/link', limit('account-link', 20), async (c) => {
  const token = c.req.query('token') ?? '';
  if (!token || token.length > 200) return c.redirect('/conta/entrar?erro=link', 303);
  const result = await c.var.deps.auth.api
    .magicLinkVerify({ query: { token }, headers: c.req.raw.headers, returnHeaders: true })
    .catch(() => null);
  const user = (result?.response as { user?: { role?: string } } | undefined)?.user;
  if (!result || (user?.role && user.role !== 'citizen')) return c.redirect('/conta/entrar?erro=link', 303);
  for (const cookie of result.headers.getSetCookie()) c.header('Set-Cookie', cookie, { append: true });
  return c.redirect('/conta', 303);
});

/** The signed-in citizen for a page, or a redirect to the sign-in page. */
function citizenOf(c: Context<AppEnv>): CitizenUser | undefined {
  const u = c.var.user;
  if (!u) return undefined;
  if (u.role !== 'citizen')
    throw new ApiError(403, 'forbidden', 'Esta área é dos cidadãos: a equipe usa o painel.');
  return { id: u.id, email: u.email, name: u.name };
}

accountPages.get('/conta', async (c) => {
  if (!(await accountsEnabled(c.var.deps.db))) return off(c);
  const user = citizenOf(c);
  if (!user) return c.redirect('/conta/entrar', 303);
  const [cases, record] = await Promise.all([
    myCases(c.var.deps.db, user.email),
    accountRecord(c.var.deps.db, user.email),
  ]);
  return render(c, 'account/home', {
    title: 'account.title',
    account: user,
    cases,
    person: record.person,
    company: record.company,
    corrected: c.req.query('feito') === 'correcao',
    correction: { values: { details: '' }, errors: {} },
  });
});

type DataForm = Record<string, string>;

function dataView(
  c: Context<AppEnv>,
  user: CitizenUser,
  values: DataForm,
  errors: Record<string, string[]>,
  saved = false,
) {
  return render(
    c,
    'account/data',
    { title: 'account.data.title', account: user, values, errors, saved },
    Object.keys(errors).length ? 422 : 200,
  );
}

accountPages.get('/conta/dados', async (c) => {
  if (!(await accountsEnabled(c.var.deps.db))) return off(c);
  const user = citizenOf(c);
  if (!user) return c.redirect('/conta/entrar', 303);
  const { person, company } = await accountRecord(c.var.deps.db, user.email);
  const values: DataForm = {
    name: person?.name ?? user.name,
    phone: person?.phone ?? '',
    cpf: person?.cpf ? formatCpf(person.cpf) : '',
    address: person?.address ?? '',
    language: person?.language ?? 'pt-BR',
    legalName: company?.legalName ?? '',
    tradeName: company?.tradeName ?? '',
    cnpj: company?.cnpj ? formatCnpj(company.cnpj) : '',
    companyEmail: company?.email ?? '',
    companyPhone: company?.phone ?? '',
  };
  return dataView(c, user, values, {}, c.req.query('feito') === '1');
});

accountPages.post('/conta/dados', async (c) => {
  if (!(await accountsEnabled(c.var.deps.db))) return off(c);
  const user = citizenOf(c);
  if (!user) return c.redirect('/conta/entrar', 303);
  const form = await c.req.parseBody();
  const values: DataForm = Object.fromEntries(
    Object.entries(form).map(([k, v]) => [k, typeof v === 'string' ? v.trim() : '']),
  );
  const opt = (k: string) => (values[k] ? values[k] : null);
  const candidate = {
    name: values.name ?? '',
    phone: opt('phone'),
    cpf: opt('cpf'),
    address: opt('address'),
    language: values.language === 'en' ? 'en' : 'pt-BR',
    company:
      values.legalName || values.cnpj
        ? {
            legalName: values.legalName ?? '',
            tradeName: opt('tradeName'),
            cnpj: opt('cnpj'),
            email: opt('companyEmail'),
            phone: opt('companyPhone'),
          }
        : undefined,
  };
  try {
    const patch = mePatchSchema.parse(candidate);
    await updateOwnRecord(c.var.deps, user, patch, clientIp(c));
  } catch (err) {
    if (err instanceof ZodError) return dataView(c, user, values, formErrors(zodFieldErrors(err)));
    const e = toApiError(err);
    if (e.status === 409 || e.status === 422)
      return dataView(c, user, values, formErrors(e.fields ?? { form: [e.message] }));
    throw err;
  }
  return c.redirect('/conta/dados?feito=1', 303);
});

/** API field names → the form's input names. */
function formErrors(fields: Record<string, string[]>): Record<string, string[]> {
  const names: Record<string, string> = {
    'company.legalName': 'legalName',
    'company.tradeName': 'tradeName',
    'company.cnpj': 'cnpj',
    'company.email': 'companyEmail',
    'company.phone': 'companyPhone',
  };
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [names[k] ?? k, v]));
}

accountPages.get('/conta/exportar.json', async (c) => {
  if (!(await accountsEnabled(c.var.deps.db))) return off(c);
  const user = citizenOf(c);
  if (!user) return c.redirect('/conta/entrar', 303);
  const data = await exportFor(c.var.deps, user, 'json');
  c.header('Content-Disposition', 'attachment; filename="meus-dados-ouvidoria.json"');
  return c.body(JSON.stringify(data, null, 2), 200, { 'Content-Type': 'application/json; charset=utf-8' });
});

accountPages.get('/conta/exportar.pdf', async (c) => {
  if (!(await accountsEnabled(c.var.deps.db))) return off(c);
  const user = citizenOf(c);
  if (!user) return c.redirect('/conta/entrar', 303);
  const data = await exportFor(c.var.deps, user, 'pdf');
  const pdf = await renderPdf(exportPdfDocument(data, c.var.deps.timezone));
  return c.body(new Uint8Array(pdf), 200, {
    'Content-Type': 'application/pdf',
    'Content-Disposition': 'attachment; filename="meus-dados-ouvidoria.pdf"',
  });
});

accountPages.post('/conta/correcao', async (c) => {
  if (!(await accountsEnabled(c.var.deps.db))) return off(c);
  const user = citizenOf(c);
  if (!user) return c.redirect('/conta/entrar', 303);
  const form = await c.req.parseBody();
  const values = { details: typeof form.details === 'string' ? form.details : '' };
  const parsed = correctionSchema.safeParse(values);
  if (!parsed.success) {
    const [cases, record] = await Promise.all([
      myCases(c.var.deps.db, user.email),
      accountRecord(c.var.deps.db, user.email),
    ]);
    return render(
      c,
      'account/home',
      {
        title: 'account.title',
        account: user,
        cases,
        person: record.person,
        company: record.company,
        corrected: false,
        correction: { values, errors: zodFieldErrors(parsed.error) },
      },
      422,
    );
  }
  await requestCorrection(c.var.deps, user, parsed.data.details);
  return c.redirect('/conta?feito=correcao', 303);
});
