// OpenAPI for the health endpoints (api/health.ts): each answers within about a second whatever is down.
const check = { type: 'string', enum: ['ok', 'error'] };
const retryAfter = { 'Retry-After': { schema: { type: 'integer' }, description: 'seconds' } };
const body = (properties: Record<string, unknown>) => ({
  content: { 'application/json': { schema: { type: 'object', properties } } },
});

export const healthPaths = {
  '/healthz': {
    get: {
      summary: 'Health of the database and Temporal, for operators and monitors',
      responses: {
        200: {
          description: '{"status":"ok","db":"ok","temporal":"ok"}',
          ...body({ status: check, db: check, temporal: check }),
        },
        503: {
          description: 'a part is down or did not answer within its budget: the failing part says "error"',
          headers: retryAfter,
          ...body({ status: check, db: check, temporal: check }),
        },
      },
    },
  },
  '/readyz': {
    get: {
      summary: 'Readiness for load balancers: send traffic only while this answers 200',
      responses: {
        200: { description: '{"status":"ready"}', ...body({ status: { type: 'string' } }) },
        503: {
          description:
            'not ready: the database or Temporal is down, or the server is shutting down (draining)',
          headers: retryAfter,
          ...body({
            status: { type: 'string', enum: ['unavailable', 'draining'] },
            db: check,
            temporal: check,
          }),
        },
      },
    },
  },
  '/livez': {
    get: {
      summary: 'Liveness: the process answers (restart it only when this fails)',
      responses: { 200: { description: '{"status":"alive"}', ...body({ status: { type: 'string' } }) } },
    },
  },
};
