// Who may act as the citizen by e-mail: the signed reply address issued to that sender, or DMARC pass.
import { describe, expect, it } from 'vitest';
import { verificationOf } from '../../api/inbound/verify.ts';

const auth = (dmarc: string) => ({ spf: 'pass', dkim: 'pass', dmarc });

describe('verified or não verificada', () => {
  it('the signed reply address issued to this sender verifies it, whatever DMARC says', () => {
    expect(verificationOf({ by: 'token', fromRole: 'citizen' }, auth('fail'))).toBe('verified');
  });

  it('a token used by another sender does not', () => {
    expect(verificationOf({ by: 'token', fromRole: 'unknown' }, auth('none'))).toBe('unverified');
  });

  it('a DMARC pass for the From: domain verifies a message matched by headers or subject', () => {
    for (const by of ['in_reply_to', 'thread_index', 'subject', 'thread_topic'] as const) {
      expect(verificationOf({ by, fromRole: 'citizen' }, auth('pass'))).toBe('verified');
    }
  });

  it('headers or subject alone, with DMARC fail, none or unknown, leave it não verificada', () => {
    for (const dmarc of ['fail', 'none', 'temperror', 'softfail']) {
      expect(verificationOf({ by: 'subject', fromRole: 'citizen' }, auth(dmarc))).toBe('unverified');
    }
    expect(verificationOf({ by: 'in_reply_to', fromRole: 'citizen' }, null)).toBe('unverified');
  });
});
