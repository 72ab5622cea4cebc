// Building blocks for the OpenAPI documents (api/openapi.ts, api/admin/openapi.ts, api/inbound/openapi.ts).
import { z } from 'zod';

export const jsonBody = (schema: z.ZodType) => ({
  content: {
    'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) },
  },
});

export const errorResponses = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [
      code,
      {
        description: String(code),
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
    ]),
  );

export const bearerSecurity = [{ bearer: [] }];

export const pathParam = (name: string, example: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string', example },
});
