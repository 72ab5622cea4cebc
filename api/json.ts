// Reads a JSON request body: {} when empty, 400 `invalid_json` when it is not JSON (zod validates next).
import { ApiError } from './errors.ts';

export async function readJson(req: Request): Promise<unknown> {
  const text = await req.text();
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid_json', 'O corpo da requisição não é JSON válido');
  }
}
