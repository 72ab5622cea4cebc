// The "Manifestante" panel of the staff case page (issue 11 item 3): the person a case is linked to, their
// company, VIP badge and their other cases. Shown only to a viewer who sees this case's reporter in full
// (the disclosure matrix: ouvidoria staff on an identified case, or right after a logged reveal of a
// preserved one); units never (they see a name at most), and nobody on an anonymous case.
import { casesOfPerson, personOfCase } from '../../db/queries/people.ts';
import type { Identity } from '../../workflows/vocabulary.ts';
import { reporterAccess, type Viewer } from '../disclosure.ts';
import type { AppDeps } from '../types.ts';
import { formatCnpj, formatCpf } from './documents.ts';
import { linkableIdentities } from './service.ts';

export type ManifestantePanel = {
  person: {
    id: string;
    name: string;
    email: string | null;
    phone: string | null;
    cpf: string | null;
    vip: boolean;
    vipReason: string | null;
    active: boolean;
  };
  company: {
    id: string;
    legalName: string;
    tradeName: string | null;
    cnpj: string | null;
    vip: boolean;
  } | null;
  how: string;
  verified: boolean;
  otherCases: {
    protocol: string;
    kind: string;
    status: string;
    subject: string;
    receivedAt: Date;
    dueAt: Date | null;
  }[];
};

/** The panel for this viewer, or null (not linked, or the viewer may not know who filed the case). */
export async function manifestantePanel(
  deps: AppDeps,
  protocol: string,
  viewer: Extract<Viewer, { kind: 'staff' }>,
  identity: Identity,
  revealed: boolean,
): Promise<ManifestantePanel | null> {
  const access = reporterAccess(viewer, identity);
  if (!(access === 'full' || (access === 'reveal' && revealed))) return null;
  const link = await personOfCase(deps.db, protocol);
  if (!link) return null;
  const { person: p, company: c } = link;
  const cases = await casesOfPerson(deps.db, p.id, linkableIdentities(viewer.role));
  return {
    person: {
      id: p.id,
      name: p.name,
      email: p.email,
      phone: p.phone,
      cpf: p.cpf ? formatCpf(p.cpf) : null,
      vip: p.vip || !!c?.vip,
      vipReason: p.vip ? p.vipReason : (c?.vipReason ?? null),
      active: p.active,
    },
    company: c
      ? {
          id: c.id,
          legalName: c.legalName,
          tradeName: c.tradeName,
          cnpj: c.cnpj ? formatCnpj(c.cnpj) : null,
          vip: c.vip,
        }
      : null,
    how: link.how,
    verified: link.verified,
    otherCases: cases.filter((x) => x.protocol !== protocol).slice(0, 10),
  };
}
