// The statuses every door adds to a route, written into each operation of the OpenAPI document (so a
// client and the contract fuzzer know them): 414 for a URL over api/guards.ts maxUrlBytes; for a request
// body, 400 `invalid_json`, 413 over the body limit, 415 without `Content-Type: application/json` (api/json.ts),
// 422 invalid fields; 401/403 on authenticated routes; 404/422 for a path naming something unknown or
// malformed; 422 for query parameters. Statuses an area documents itself are kept as they are.
const errorSchema = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

const meaning: Record<number, string> = {
  400: 'invalid_json: the body is not JSON',
  401: 'unauthorized: no or invalid credentials',
  403: 'forbidden: the role may not do this',
  404: 'not_found: unknown, or not visible to you',
  413: 'too_large: body over the limit (1 MiB; INBOUND_MAX_BYTES for the e-mail doors)',
  414: 'uri_too_long: path + query over 4096 bytes',
  415: 'unsupported_media_type: a body without Content-Type: application/json',
  422: 'invalid_body: invalid fields or query parameters, with `fields`',
};

type Operation = {
  parameters?: Array<{ in?: string }>;
  requestBody?: { content?: Record<string, unknown> };
  security?: Array<Record<string, unknown>>;
  responses?: Record<string, unknown>;
};

export function withDoorErrors<T extends { paths: Record<string, Record<string, unknown>> }>(doc: T): T {
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const op of Object.values(ops) as Operation[]) {
      if (!op || typeof op !== 'object' || !op.responses) continue;
      const add = (status: number) => {
        if (op.responses![status] === undefined)
          op.responses![status] = { description: meaning[status], content: errorSchema };
      };
      add(414);
      const json = !!op.requestBody?.content?.['application/json'];
      if (op.requestBody) add(413);
      if (json) [400, 415, 422].forEach(add);
      const schemes = (op.security ?? []).flatMap((s) => Object.keys(s));
      if (schemes.length) add(401);
      if (schemes.includes('bearer')) add(403);
      if (path.includes('{')) [404, 422].forEach(add); // unknown, or a malformed id/date
      if ((op.parameters ?? []).some((p) => p.in === 'query')) add(422);
    }
  }
  return doc;
}
