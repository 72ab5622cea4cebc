// The DNS lookups of SPF/DKIM/DMARC (mailauth, in the parse threads: api/inbound/parse-worker.ts): a
// resolver that retries a lost answer after 300 ms instead of c-ares's 1 s and remembers answers for a
// minute. A lost UDP answer used to add a whole second to a reply: measured here, 1 lookup in 17 took
// 1,000 ms, and a reply makes 2–4 of them, so 16 citizens replying at once waited 1.1 s at p95 (issue 14,
// B3). Remembered are answers and "no such record" (ENOTFOUND, ENODATA), never a failure to ask (a
// timeout, SERVFAIL): the next message asks again. An MTA's resolver caches the same way, within the
// records' TTL; one minute is below the TTL of the SPF, DKIM and DMARC records of any real domain.
// Loaded in the parse worker thread by Node directly (type stripping): erasable TypeScript only.
import { promises as dns } from 'node:dns';
import type { DNSResolver } from 'mailauth';

/** How long an answer is kept (ms), and how many are kept at most (the oldest goes first). */
export const DNS_CACHE = { ms: 60_000, entries: 10_000 };

/** A lookup as mailauth calls it (`opts.resolver`): `dns.promises.resolve(name, type)`'s answer. */
export type MailauthResolver = DNSResolver;

const NO_RECORD = new Set(['ENOTFOUND', 'ENODATA']);

type Answer = Awaited<ReturnType<DNSResolver>>;
type Entry = { at: number; answer: Promise<Answer> };

/**
 * A caching resolver for mailauth. `resolve` defaults to a c-ares resolver with a 300 ms timeout per try
 * and 4 tries; `now` for tests. A lookup in flight is shared by the callers asking the same name and type.
 */
export function cachingResolver(
  resolve: MailauthResolver = defaultResolve(),
  now: () => number = Date.now,
): MailauthResolver {
  const cache = new Map<string, Entry>();
  return (name, type) => {
    const key = `${type} ${name.toLowerCase()}`;
    const hit = cache.get(key);
    if (hit && now() - hit.at < DNS_CACHE.ms) return hit.answer.then(copy);
    if (hit) cache.delete(key);
    const answer = resolve(name, type);
    cache.set(key, { at: now(), answer });
    if (cache.size > DNS_CACHE.entries) cache.delete(cache.keys().next().value as string);
    answer.catch((err: { code?: string }) => {
      if (!NO_RECORD.has(err?.code ?? '') && cache.get(key)?.answer === answer) cache.delete(key);
    });
    return answer.then(copy);
  };
}

/** Each caller gets its own list (mailauth may sort or splice what it is given). */
const copy = (v: Answer): Answer => v.slice() as Answer;

function defaultResolve(): MailauthResolver {
  const resolver = new dns.Resolver({ timeout: 300, tries: 4 });
  return (name, type) => resolver.resolve(name, type) as Promise<Answer>;
}
