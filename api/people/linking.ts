// Which person filed a case (issue 11 item 2), decided at intake by the API — never by the workflow, which
// stays the only writer of case state: the link is a fact of the people records (db/schema/people.ts).
//   staff chose a record (personId)         → that record (a merged one: the record it was merged into)
//   a CPF was given                          → the record with that CPF, or a new one
//   the e-mail is known                      → the record with that e-mail (verified: a signed-in citizen,
//                                              a DMARC-verified e-mail; a public form's address is not)
//   otherwise, a name and a contact          → a new record
// Anonymous filings are never linked (nobody may learn who filed them, not even through a record).

import type { Database } from '../../db/client.ts';
import {
  createPerson,
  findPersonByCpf,
  findPersonByEmail,
  getPerson,
  isUniqueViolation,
  linkCase,
  type Person,
} from '../../db/queries/people.ts';
import type { CaseLinkHow } from '../../db/schema/people.ts';

export type FilingParty = {
  /** staff chose this record on the intake form / API */
  personId?: string | undefined;
  /** the e-mail address was proven by the filer (citizen session, DMARC-verified mail) */
  emailVerified?: boolean | undefined;
};

type Filer = {
  identity: string;
  citizen?:
    | { name: string; email?: string | undefined; phone?: string | undefined; cpf?: string | undefined }
    | undefined;
};

/**
 * Links `protocol` to its person per the rules above; returns the person (undefined: not linked).
 * Idempotent: a case already linked keeps its first link (a retried filing).
 */
export async function linkFiling(
  db: Database,
  protocol: string,
  input: Filer,
  registeredBy: string,
  party: FilingParty = {},
): Promise<Person | undefined> {
  if (input.identity === 'anonymous') return undefined;
  const c = input.citizen;
  const byStaff = registeredBy !== 'citizen';
  let person: Person | undefined;
  let how: CaseLinkHow = 'created';
  let verified = byStaff || !!party.emailVerified;
  if (party.personId) {
    person = await getPerson(db, party.personId);
    how = 'staff';
    verified = true;
  }
  if (!person && c?.cpf) {
    person = await findPersonByCpf(db, c.cpf);
    if (person) how = 'cpf';
  }
  if (!person && c?.email) {
    person = await findPersonByEmail(db, c.email);
    if (person) how = party.emailVerified && !byStaff ? 'session' : 'email';
  }
  while (person?.mergedInto) person = await getPerson(db, person.mergedInto);
  if (!person && c && (c.email || c.phone || c.cpf)) {
    const fields = { name: c.name, email: c.email ?? null, phone: c.phone ?? null, cpf: c.cpf ?? null };
    try {
      person = await createPerson(db, fields);
    } catch (err) {
      // the same CPF filed twice at once: the other filing created the record
      if (!isUniqueViolation(err) || !c.cpf) throw err;
      person = await findPersonByCpf(db, c.cpf);
    }
    how = 'created';
  }
  if (!person) return undefined;
  await linkCase(db, { protocol, personId: person.id, how, verified, linkedBy: registeredBy });
  return person;
}

/**
 * A staff filing that names only `personId` takes the contact from that record (the body parsed next
 * still validates it). Leaves any other body as it is.
 */
export async function withRecordContact(db: Database, raw: unknown): Promise<unknown> {
  if (!raw || typeof raw !== 'object') return raw;
  const body = raw as { personId?: unknown; citizen?: unknown; identity?: unknown };
  if (typeof body.personId !== 'string' || body.citizen !== undefined || body.identity === 'anonymous')
    return raw;
  if (!/^[0-9a-f-]{36}$/i.test(body.personId)) return raw;
  const person = await getPerson(db, body.personId);
  if (!person) return raw;
  const citizen = {
    name: person.name,
    ...(person.email ? { email: person.email } : {}),
    ...(person.phone ? { phone: person.phone } : {}),
  };
  return { ...body, citizen };
}

/** A signed-in citizen filing with their own account e-mail: the address is proven (magic link). */
export function citizenParty(
  user: { role: string; email: string } | undefined,
  citizen: { email?: string | undefined } | undefined,
): FilingParty {
  const own =
    user?.role === 'citizen' && !!citizen?.email && citizen.email.toLowerCase() === user.email.toLowerCase();
  return { emailVerified: own };
}
