// Staff intake (/painel/registrar) finds the person on the phone, at the desk or who wrote the letter by
// name, e-mail, CPF or company, and files on their behalf: the form is prefilled from the record and carries
// its id (linking: api/people/linking.ts). Used by api/ui/intake.ts.

import type { Database } from '../../db/client.ts';
import { getPerson, listPeople } from '../../db/queries/people.ts';
import { formatCpf } from './documents.ts';

export type IntakeLookup = {
  /** what was searched ('' = no search) */
  q: string;
  results:
    | {
        id: string;
        name: string;
        email: string | null;
        cpf: string | null;
        company: string | null;
        vip: boolean;
      }[]
    | null;
  /** the record chosen, whose data prefill the form */
  chosen: { id: string; name: string; vip: boolean } | null;
};

/** Search results for `q` and the record `personId` (with the form values it prefills). */
export async function intakeLookup(db: Database, q: string, personId: string) {
  const lookup: IntakeLookup = { q, results: null, chosen: null };
  let prefill: Record<string, string> = {};
  if (q) {
    const rows = await listPeople(db, { q, limit: 10 });
    lookup.results = rows.map((p) => ({
      id: p.id,
      name: p.name,
      email: p.email,
      cpf: p.cpf ? formatCpf(p.cpf) : null,
      company: p.companyName,
      vip: p.vip || !!p.companyVip,
    }));
  }
  if (/^[0-9a-f-]{36}$/i.test(personId)) {
    const p = await getPerson(db, personId);
    if (p && !p.mergedInto) {
      lookup.chosen = { id: p.id, name: p.name, vip: p.vip };
      prefill = {
        personId: p.id,
        name: p.name,
        email: p.email ?? '',
        phone: p.phone ?? '',
        cpf: p.cpf ? formatCpf(p.cpf) : '',
      };
    }
  }
  return { lookup, prefill };
}
