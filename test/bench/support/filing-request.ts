// One filing as a citizen's client sends it (POST /api/v1/manifestations with an Idempotency-Key), shared by
// B2's filers' thread (support/filers.ts) and the soak (soak.ts files from the bench's own thread).
import { randomBytes } from 'node:crypto';
import { clientFetch } from './http.ts';

const words = ['iluminação', 'buraco', 'merenda', 'ônibus', 'posto de saúde', 'praça', 'IPTU', 'calçada'];

/** Files the `i`-th bench manifestation at `base`; resolves with its protocol, rejects on any answer but 201. */
export async function postFiling(base: string, i: number): Promise<string> {
  const w = words[i % words.length];
  const res = await clientFetch(`${base}/api/v1/manifestations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomBytes(12).toString('hex') },
    body: JSON.stringify({
      kind: 'complaint',
      subject: `${w} número ${i}`,
      description: `Relato sobre ${w} na rua ${i}, com detalhes suficientes para a busca.`,
      identity: i % 2 ? 'anonymous' : 'identified',
      ...(i % 2 ? {} : { citizen: { name: `Cidadã ${i}`, email: `cidada${i}@example.org` } }),
    }),
  });
  const body = (await res.json()) as { protocol?: string };
  if (res.status !== 201 || !body.protocol) throw new Error(`intake: ${res.status} ${JSON.stringify(body)}`);
  return body.protocol;
}
