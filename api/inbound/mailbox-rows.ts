// Dead letters and held messages (GET /api/v1/inbound/dead-letters and /held, and the "Falhas" page) as an
// office viewer may read them: the disclosure policy (api/disclosure.ts) decides, as it does for a case's
// mail log (api/manifestations/mail-log.ts). A message threaded to a case hides its sender from who may
// not see that case's reporter (a preserved identity: Decreto 10.153/2019 art. 6), and its subject and
// error are redacted of the case's citizen secrets and hidden reporter data. A message tied to no case
// shows its sender: no case protects it yet, and the office needs the address to triage it.

import { caseReporters } from '../../db/queries/case-reporters.ts';
import type { CitizenContact } from '../../db/schema.ts';
import type { Identity } from '../../workflows/vocabulary.ts';
import { masks, redactorFor, reporterAccess, type Viewer } from '../disclosure.ts';

/** The fields of a mailbox row the policy shapes; everything else passes through unchanged. */
type MailboxRow = {
  protocol: string | null;
  fromAddress: string | null;
  fromRole: string | null;
  subject: string | null;
  error: string | null;
};

/**
 * `rows` as `viewer` may read them, same order and shape. `secret`: the app secret (the access code a
 * subject may quote is derived from it). A row whose case is not in the read model hides its sender too.
 */
export async function presentMailboxRows<R extends MailboxRow>(
  db: Parameters<typeof caseReporters>[0],
  secret: string,
  viewer: Viewer,
  rows: R[],
): Promise<R[]> {
  const protocols = [...new Set(rows.flatMap((r) => (r.protocol ? [r.protocol] : [])))];
  const reporters = new Map(
    (await caseReporters(db, protocols)).map((c) => [
      c.protocol,
      { protocol: c.protocol, identity: c.identity as Identity, citizen: c.citizen as CitizenContact | null },
    ]),
  );
  return rows.map((row) => {
    if (!row.protocol) return row;
    const reporter = reporters.get(row.protocol);
    if (!reporter) return { ...row, fromAddress: row.fromAddress === null ? null : masks.sender };
    const redact = redactorFor(viewer, reporter, { secret });
    const staffSender = row.fromRole === 'staff' || row.fromRole === 'unit';
    const knowsSender = staffSender || reporterAccess(viewer, reporter.identity) === 'full';
    return {
      ...row,
      fromAddress: row.fromAddress === null || knowsSender ? row.fromAddress : masks.sender,
      subject: row.subject === null ? null : redact(row.subject),
      error: row.error === null ? null : redact(row.error),
    };
  });
}
