// The parser's two pools (api/inbound/parse.ts): replies and other small messages share one thread, several
// at a time; a message over 1 MiB gets a thread of its own. Either way each message comes back as itself
// (its own sender, subject and text, never a neighbour's), with its SPF/DKIM/DMARC check.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { closeParsePool, parseMail, sharedParseMaxBytes } from '../../api/inbound/parse.ts';

afterAll(async () => {
  await closeParsePool();
});

const message = (n: number, body: string) =>
  Buffer.from(
    [
      `From: Leitora ${n} <leitora${n}@example.org>`,
      'To: ouvidoria@prefeitura.test',
      `Subject: Re: poda da árvore ${n}`,
      `Message-ID: <${randomBytes(6).toString('hex')}@example.org>`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      body,
      '',
    ].join('\r\n'),
  );

describe('parsing mail off the event loop', () => {
  it('parses sixteen replies arriving at once, each into its own result', async () => {
    const sent = Array.from({ length: 16 }, (_, n) => ({
      n,
      raw: message(n, `O galho ${n} continua sobre a fiação.`),
    }));
    const parsed = await Promise.all(
      sent.map(({ n, raw }) =>
        parseMail(raw, {
          ip: `127.0.0.${2 + n}`,
          helo: 'cliente.example.org',
          sender: `leitora${n}@example.org`,
          mta: 'prefeitura.test',
        }),
      ),
    );
    for (const [n, p] of parsed.entries()) {
      expect(p.subject).toBe(`Re: poda da árvore ${n}`);
      expect(p.text?.trim()).toBe(`O galho ${n} continua sobre a fiação.`);
      expect(p.from?.value[0]?.address).toBe(`leitora${n}@example.org`);
      // checked in the same task; no DNS records for example.org here (or no DNS at all): never a pass
      expect(p.auth).toBeDefined();
      expect(p.auth?.spf).not.toBe('pass');
    }
  });

  it('parses a message over the shared size on a thread of its own, whole', async () => {
    const line = 'Segue o relatório completo da vistoria, com todas as medições do poste.\r\n';
    const body = line.repeat(Math.ceil((sharedParseMaxBytes * 1.5) / line.length));
    const raw = message(99, body);
    expect(raw.byteLength).toBeGreaterThan(sharedParseMaxBytes);
    const [big, small] = await Promise.all([parseMail(raw), parseMail(message(7, 'Obrigada.'))]);
    expect(big.subject).toBe('Re: poda da árvore 99');
    expect(big.text).toMatch(/^Segue o relatório completo/);
    expect(small.text?.trim()).toBe('Obrigada.');
  });
});
