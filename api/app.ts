// createApp(deps): the whole HTTP surface. Security middleware first (request id, secure headers with a
// nonce CSP, CSRF origin check, body limit), then the session, then the areas.
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import { meRoutes } from './account/me.ts';
import { registerAccountMail } from './admin/access/account-mail.ts';
import { displayListsMiddleware } from './admin/display-lists.ts';
import { adminRoutes } from './admin/routes.ts';
import { attachmentRoutes } from './attachments/routes.ts';
import { authRoutes } from './auth/routes.ts';
import { loadSession } from './auth/session.ts';
import { twoFactorGate } from './auth/two-factor-gate.ts';
import { catalogueRoutes } from './catalogue.ts';
import { codecRoutes } from './codec/routes.ts';
import { compression } from './compression.ts';
import { ApiError, errorBody, toApiError } from './errors.ts';
import { failureRoutes } from './failures/routes.ts';
import { csrfForCookieSessions, isJsonPath, limitUrl, noStore } from './guards.ts';
import { healthRoutes } from './health.ts';
import { identityRoutes } from './identity/routes.ts';
import { emailContext } from './inbound/context.ts';
import { emailResendRoutes } from './inbound/mail-resend.ts';
import { inboundRoutes } from './inbound/routes.ts';
import { caseEmailRoutes, inboundStaffRoutes } from './inbound/staff-routes.ts';
import { workflowBudget } from './manifestations/budget.ts';
import { exportRoutes } from './manifestations/export.ts';
import { queueRoutes } from './manifestations/queues.ts';
import { manifestationRoutes } from './manifestations/routes.ts';
import { openApiRoutes } from './openapi.ts';
import { peopleRoutes } from './people/routes.ts';
import { reportRoutes } from './reports/routes.ts';
import type { AppDeps, AppEnv } from './types.ts';
import { renderErrorPage } from './ui/render.ts';
import { uiRoutes } from './ui/routes.ts';
import { staticRoutes } from './ui/static.ts';
import { unitRoutes } from './units.ts';

/** Forms that carry file uploads. */
const uploadPaths =
  /^\/(registrar|painel\/registrar|acompanhar\/[^/]+\/responder|painel\/casos\/[^/]+\/(answer|note))$/;

export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  registerAccountMail(deps); // invitations and password links (better-auth reset flow → account mail)

  app.use(requestId());
  // gzip/deflate for pages, fragments, JSON, CSS and JS of 1 KiB or more (issue 14 B9; compression.ts)
  for (const m of compression()) app.use(m);
  app.use(async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.use(noStore);
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: [NONCE, "'strict-dynamic'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'https:'], // https: the organisation's logo (Regras gerais)
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      strictTransportSecurity: deps.production ? 'max-age=31536000; includeSubDomains' : false,
      overwrite: false, // a download keeps its own `sandbox` CSP (api/attachments/routes.ts)
    }),
  );
  app.use(limitUrl);
  app.use(
    csrfForCookieSessions(
      (origin, c) => origin === new URL(c.req.url).origin || origin === new URL(deps.publicUrl).origin,
    ),
  );
  app.route('/inbound', inboundRoutes); // e-mail doors, before the 1 MiB limit: they apply INBOUND_MAX_BYTES
  // 1 MiB for everything but the forms that upload files (files × count, checked again per file).
  const tooLarge = (c: Context<AppEnv>) => {
    const e = new ApiError(413, 'too_large', 'Arquivos ou texto grandes demais para enviar de uma vez');
    return c.req.path.startsWith('/api/') ? c.json(errorBody(c, e), 413) : renderErrorPage(c, e);
  };
  const smallBodies = bodyLimit({ maxSize: 1024 * 1024, onError: tooLarge });
  let uploadBodies: MiddlewareHandler<AppEnv> | undefined;
  app.use((c, next) => {
    if (!uploadPaths.test(c.req.path)) return smallBodies(c, next);
    if (!uploadBodies) {
      const { maxBytes, maxCount } = emailContext(deps).mail.attachments;
      uploadBodies = bodyLimit({ maxSize: maxBytes * maxCount + 1024 * 1024, onError: tooLarge });
    }
    return uploadBodies(c, next);
  });
  app.route('/', healthRoutes); // before the session: probes never touch auth
  app.use(loadSession());
  app.use(twoFactorGate); // admins enrol TOTP first when the security rules require it
  app.use(workflowBudget);
  app.use(displayListsMiddleware); // administered status/priority/rating labels (issue 10)

  app.route('/api/v1', openApiRoutes);
  app.route('/api/v1/auth', authRoutes);
  app.route('/api/v1/queues', queueRoutes);
  app.route('/api/v1/manifestations', exportRoutes); // before /:protocol
  app.route('/api/v1', failureRoutes);
  app.route('/api/v1/manifestations', manifestationRoutes);
  app.route('/api/v1/units', unitRoutes);
  app.route('/api/v1/catalogue', catalogueRoutes); // topics and items of each kind (issue 10)
  app.route('/api/v1/manifestations', caseEmailRoutes);
  app.route('/api/v1/inbound', inboundStaffRoutes);
  app.route('/api/v1/attachments', attachmentRoutes);
  app.route('/api/v1', identityRoutes);
  app.route('/api/v1/admin', adminRoutes);
  app.route('/api/v1', peopleRoutes); // people, companies (issue 11)
  app.route('/api/v1/reports', reportRoutes);
  app.route('/api/v1', meRoutes); // the citizen's account (issue 11)
  app.route('/codec', codecRoutes); // Temporal remote codec (JSON only, so the CSRF form check never applies)
  app.route('/static', staticRoutes);
  app.route('/', emailResendRoutes); // REST + form: staff resend an uncertain/failed message
  app.route('/', uiRoutes);

  app.notFound((c) => {
    const e = new ApiError(404, 'not_found', 'Página não encontrada');
    if (c.req.path.startsWith('/api/')) return c.json(errorBody(c, e), 404);
    return renderErrorPage(c, e);
  });

  app.onError((err, c) => {
    const e = toApiError(err);
    for (const [name, value] of Object.entries(e.headers ?? {})) c.header(name, value);
    if (e.code === 'unavailable')
      console.warn(`[${c.get('requestId')}] ${e.code}: ${(err as Error).message}`);
    else if (e.status >= 500 && e.code !== 'pending') console.error(`[${c.get('requestId')}]`, err);
    if (isJsonPath(c.req.path)) return c.json(errorBody(c, e), e.status);
    return renderErrorPage(c, e);
  });

  return app;
}
