// The DNS resolver of SPF/DKIM/DMARC checks (api/inbound/dns-resolver.ts): answers and "no such record"
// remembered for a minute, a failure to ask never remembered, one lookup shared by callers asking at once.
import { describe, expect, it } from 'vitest';
import { cachingResolver, DNS_CACHE } from '../../api/inbound/dns-resolver.ts';

const dnsError = (code: string) => Object.assign(new Error(code), { code });

function fakeDns(answer: (name: string, type: string) => Promise<string[][] | string[]>) {
  const asked: string[] = [];
  let clock = 0;
  const resolver = cachingResolver(
    (name, type) => {
      asked.push(`${type} ${name}`);
      return answer(name, type);
    },
    () => clock,
  );
  return { resolver, asked, advance: (ms: number) => (clock += ms) };
}

describe('DNS resolver of the mail checks', () => {
  it('asks once a minute for the same record, whatever the case of the name', async () => {
    const d = fakeDns(async () => [['v=spf1 -all']]);
    expect(await d.resolver('example.org', 'TXT')).toEqual([['v=spf1 -all']]);
    expect(await d.resolver('EXAMPLE.org', 'TXT')).toEqual([['v=spf1 -all']]);
    await d.resolver('example.org', 'MX');
    expect(d.asked).toEqual(['TXT example.org', 'MX example.org']);
    d.advance(DNS_CACHE.ms);
    await d.resolver('example.org', 'TXT');
    expect(d.asked).toHaveLength(3);
  });

  it('remembers that a record does not exist, but not a failure to ask', async () => {
    const d = fakeDns(async (name) => {
      throw dnsError(name === 'lost.example' ? 'ETIMEOUT' : 'ENOTFOUND');
    });
    await expect(d.resolver('_dmarc.example.org', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(d.resolver('_dmarc.example.org', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(d.resolver('lost.example', 'TXT')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    await expect(d.resolver('lost.example', 'TXT')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    expect(d.asked).toEqual(['TXT _dmarc.example.org', 'TXT lost.example', 'TXT lost.example']);
  });

  it('shares a lookup in flight and gives each caller its own list', async () => {
    let release: (v: string[]) => void = () => {};
    const d = fakeDns(() => new Promise((r) => (release = r)));
    const a = d.resolver('example.org', 'A');
    const b = d.resolver('example.org', 'A');
    release(['192.0.2.1']);
    const [x, y] = await Promise.all([a, b]);
    expect(d.asked).toHaveLength(1);
    (x as string[]).push('mutated');
    expect(y).toEqual(['192.0.2.1']);
    expect(await d.resolver('example.org', 'A')).toEqual(['192.0.2.1']);
  });

  it('keeps at most DNS_CACHE.entries answers, dropping the oldest', async () => {
    const d = fakeDns(async (name) => [name]);
    const saved = DNS_CACHE.entries;
    DNS_CACHE.entries = 2;
    try {
      await d.resolver('a.example', 'A');
      await d.resolver('b.example', 'A');
      await d.resolver('c.example', 'A'); // a.example goes
      await d.resolver('c.example', 'A');
      await d.resolver('a.example', 'A');
      expect(d.asked).toEqual(['A a.example', 'A b.example', 'A c.example', 'A a.example']);
    } finally {
      DNS_CACHE.entries = saved;
    }
  });
});
