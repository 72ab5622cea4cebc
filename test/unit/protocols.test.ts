// Issue 14.3: protocol numbers do not run out. Past 999,999 filings a year the number grows a digit, and
// every reader of protocols (links, reply tokens, mail subjects) takes both forms.
import { describe, expect, it } from 'vitest';
import { signReplyToken, verifyReplyToken } from '../../activities/email/reply-token.ts';
import { subjectPattern } from '../../api/inbound/loops.ts';
import { findProtocol, formatProtocol, isProtocol, parseProtocol } from '../../db/queries/protocols.ts';

describe('protocol numbers', () => {
  it('keep the six-digit form up to 999,999 and grow a digit after it', () => {
    expect(formatProtocol(2026, 123)).toBe('OUV-2026-000123');
    expect(formatProtocol(2026, 999_999)).toBe('OUV-2026-999999');
    expect(formatProtocol(2026, 1_000_000)).toBe('OUV-2026-1000000');
    expect(formatProtocol(2026, 2_147_483_647)).toBe('OUV-2026-2147483647');
  });

  it('parse only canonical protocols (a leading zero past six digits names no case)', () => {
    expect(parseProtocol('OUV-2026-000123')).toEqual({ year: 2026, seq: 123 });
    expect(parseProtocol('OUV-2026-1000000')).toEqual({ year: 2026, seq: 1_000_000 });
    expect(isProtocol('OUV-2026-0123456')).toBe(false);
    expect(isProtocol('OUV-2026-12345')).toBe(false);
    expect(isProtocol('OUV-2026-99999999999')).toBe(false);
    expect(isProtocol('OUV-2026-000123 ')).toBe(false);
  });

  it('are found in mail subjects, old and new forms', () => {
    expect(findProtocol('Re: [OUV-2026-000123] Manifestação registrada')).toBe('OUV-2026-000123');
    expect(findProtocol('RES: [ouv-2026-1000000] Manifestação registrada')).toBe('OUV-2026-1000000');
    expect(findProtocol('Re: OUV-2026-12345 curto demais')).toBeUndefined();
    expect(subjectPattern('Re: [OUV-2026-1000001] Buraco')).toBe(subjectPattern('[OUV-2026-000002] Buraco'));
  });

  it('round-trip through signed reply tokens (same 32-character token for six-digit ones)', () => {
    const secret = 'a'.repeat(64);
    for (const protocol of ['OUV-2026-000123', 'OUV-2026-1000000', 'OUV-2031-2147483647']) {
      const token = signReplyToken(secret, protocol, 'cidada@example.org');
      expect(token).toHaveLength(32);
      expect(verifyReplyToken(secret, token)?.protocol).toBe(protocol);
    }
  });
});
