// Public pages: home, "Registrar manifestação" (form → receipt) and "Acompanhar manifestação"
// (protocol + access code → a signed cookie → the case's public view).
import { Hono } from 'hono';
import { getSignedCookie, setSignedCookie } from 'hono/cookie';
import { ZodError } from 'zod';
import { channels, identities, kinds } from '../../workflows/vocabulary.ts';
import { zodFieldErrors } from '../errors.ts';
import { presentCase } from '../manifestations/present.ts';
import { newManifestationSchema } from '../manifestations/schemas.ts';
import { checkAccessCode, fileManifestation, getCaseView } from '../manifestations/service.ts';
import { limit } from '../rate-limit.ts';
import type { AppEnv } from '../types.ts';
import { render } from './render.ts';

export const publicPages = new Hono<AppEnv>();
const followCookie = 'ouvidor_follow';

publicPages.get('/', (c) => render(c, 'home', { title: '' }));

const formOptions = { kinds, identities, channels };

publicPages.get('/registrar', (c) =>
  render(c, 'file', {
    title: 'file.title',
    ...formOptions,
    values: { identity: 'identified' },
    errors: {},
  }),
);

publicPages.post('/registrar', limit('file-form', 30), async (c) => {
  const form = await c.req.parseBody();
  const str = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : '');
  const values = {
    kind: str('kind'),
    subject: str('subject'),
    description: str('description'),
    identity: str('identity') || 'identified',
    name: str('name'),
    email: str('email'),
    phone: str('phone'),
  };
  const candidate = {
    kind: values.kind || undefined,
    subject: values.subject,
    description: values.description,
    identity: values.identity,
    channel: 'web',
    citizen:
      values.identity === 'anonymous' || (!values.name && !values.email && !values.phone)
        ? undefined
        : { name: values.name, email: values.email || undefined, phone: values.phone || undefined },
  };
  try {
    const input = newManifestationSchema.parse(candidate);
    const { protocol, accessCode, view } = await fileManifestation(c.var.deps, input, 'citizen');
    c.header('Cache-Control', 'no-store');
    return render(c, 'receipt', { title: 'receipt.title', protocol, accessCode, view });
  } catch (err) {
    if (!(err instanceof ZodError)) throw err;
    const errors = zodFieldErrors(err);
    return render(c, 'file', { title: 'file.title', ...formOptions, values, errors }, 422);
  }
});

publicPages.get('/acompanhar', (c) =>
  render(c, 'follow', {
    title: 'follow.title',
    values: { protocol: c.req.query('protocolo') ?? '' },
    error: null,
  }),
);

publicPages.post('/acompanhar', limit('follow', 20), async (c) => {
  const form = await c.req.parseBody();
  const protocol = String(form.protocol ?? '')
    .trim()
    .toUpperCase();
  const code = String(form.accessCode ?? '');
  if (!(await checkAccessCode(c.var.deps, protocol, code))) {
    return render(c, 'follow', { title: 'follow.title', values: { protocol }, error: 'follow.invalid' }, 422);
  }
  const granted = await followedProtocols(c);
  const next = [protocol, ...granted.filter((p) => p !== protocol)].slice(0, 10);
  await setSignedCookie(c, followCookie, next.join(','), c.var.deps.secret, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.var.deps.production,
    path: '/acompanhar',
    maxAge: 60 * 60 * 8,
  });
  return c.redirect(`/acompanhar/${protocol}`, 303);
});

publicPages.get('/acompanhar/:protocol', async (c) => {
  const protocol = c.req.param('protocol');
  if (!(await followedProtocols(c)).includes(protocol))
    return c.redirect(`/acompanhar?protocolo=${encodeURIComponent(protocol)}`, 303);
  const view = presentCase(await getCaseView(c.var.deps, protocol), { kind: 'citizen' });
  return render(c, 'follow-case', { title: protocol, view });
});

async function followedProtocols(c: Parameters<typeof getSignedCookie>[0]): Promise<string[]> {
  const deps = (c as unknown as { var: AppEnv['Variables'] }).var.deps;
  const value = await getSignedCookie(c, deps.secret, followCookie);
  return typeof value === 'string' && value ? value.split(',') : [];
}
