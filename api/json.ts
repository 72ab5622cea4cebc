// Reads a JSON request body: {} when empty; 415 `unsupported_media_type` when a body comes without
// `Content-Type: application/json`; 400 `invalid_json` when it is not JSON (zod validates next).
import { ApiError } from './errors.ts';

const isJson = (type: string | null) => !!type && /^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type);

export async function readJson(req: Request): Promise<unknown> {
  const text = await req.text();
  if (!text) return {};
  if (!isJson(req.headers.get('content-type'))) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      'Envie o corpo como JSON (Content-Type: application/json)',
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid_json', 'O corpo da requisição não é JSON válido');
  }
}
