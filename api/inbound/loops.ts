// Loops across cases (issue 13 item 15). A peer that answers every Ouvidor mail (without auto-reply headers,
// to the intake address, without threading headers) would open a case per answer; the per-case cap of the
// notify activity cannot see that. Before a message opens a case or reaches one, these limits apply across
// cases, per sender address and per sender domain, within a sliding window (MailSettings.loops):
//   - new cases opened by e-mail from one address / one domain;
//   - the same sender with the same subject pattern (prefixes, [tags], numbers and protocols ignored)
//     `repeats` times: a loop.
// What exceeds is not lost: it is stored with status `held` and the reason, listed for staff
// (GET /api/v1/inbound/held) and processed as usual when released (POST /api/v1/inbound/{id}/release).
import { defaultLoopLimits, type LoopLimits, type MailSettings } from '../../activities/email/settings.ts';
import type { Database } from '../../db/client.ts';
import { countCasesOpenedBy, recentSubjectsFrom } from '../../db/queries/email.ts';
import { protocolInText } from '../../db/queries/protocols.ts';

export const loopLimits = (mail: Pick<MailSettings, 'loops'>): LoopLimits => mail.loops ?? defaultLoopLimits;

/** The subject's pattern: lower case, no Re:/Fwd:/RES:/ENC: prefixes, no [tags], digits as '#'. */
export function subjectPattern(subject: string): string {
  let s = subject.toLowerCase().normalize('NFKC');
  for (;;) {
    const next = s.replace(
      /^\s*((re|res|fw|fwd|enc|rv|tr|aw|wg|sv|antw|resp)\s*(\[\d+\])?\s*:|\[[^\]]*\])\s*/i,
      '',
    );
    if (next === s) break;
    s = next;
  }
  return s.replace(protocolInText(), '#').replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
}

const domainOf = (address: string) => address.split('@')[1] ?? '';

/**
 * Why this message must be held (a sentence for staff), or null. `opensCase`: it would open a new case.
 * `excludeId` is the message itself (already stored).
 */
export async function loopHold(
  db: Database,
  mail: Pick<MailSettings, 'loops'>,
  m: { id: string; from: string; subject: string; opensCase: boolean; now?: Date },
): Promise<string | null> {
  const limits = loopLimits(mail);
  const since = new Date((m.now ?? new Date()).getTime() - limits.windowMs);
  const minutes = Math.round(limits.windowMs / 60_000);
  const pattern = subjectPattern(m.subject);
  const same = (await recentSubjectsFrom(db, { from: m.from, since, excludeId: m.id })).filter(
    (s) => subjectPattern(s ?? '') === pattern,
  ).length;
  if (same + 1 >= limits.repeats) {
    return `possível laço: ${same + 1} mensagens de ${m.from} com o mesmo assunto em ${minutes} min (limite ${limits.repeats - 1})`;
  }
  if (!m.opensCase) return null;
  const bySender = await countCasesOpenedBy(db, { address: m.from, since });
  if (bySender >= limits.newCasesPerSender) {
    return `limite de ${limits.newCasesPerSender} manifestações novas por e-mail de ${m.from} em ${minutes} min`;
  }
  const domain = domainOf(m.from);
  const byDomain = await countCasesOpenedBy(db, { domain, since });
  if (byDomain >= limits.newCasesPerDomain) {
    return `limite de ${limits.newCasesPerDomain} manifestações novas por e-mail do domínio ${domain} em ${minutes} min`;
  }
  return null;
}
