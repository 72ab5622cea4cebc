// The citizen account's use cases (issue 11 items 5–7), shared by the pages (api/account/pages.ts) and the
// REST API (api/account/me.ts): who the signed-in citizen is, their cases, their own record and company,
// and the LGPD export (art. 18 II and V: confirmation and access, portability) and correction (III).
import type { Context } from 'hono';
import type { Database } from '../../db/client.ts';
import {
  casesOfCitizen,
  createCompany,
  getCompany,
  isUniqueViolation,
  logDataRequest,
  type Person,
  peopleOfAccount,
} from '../../db/queries/people.ts';
import { readSettings } from '../../db/queries/settings.ts';
import { audit } from '../../db/queries/users.ts';
import { ApiError, forbidden, unauthorized } from '../errors.ts';
import { presentForCitizen } from '../manifestations/present.ts';
import { getCaseView } from '../manifestations/service.ts';
import type { MePatch } from '../people/schemas.ts';
import {
  companyJson,
  createPersonAudited,
  personJson,
  updateCompanyAudited,
  updatePersonAudited,
} from '../people/service.ts';
import type { AppDeps, AppEnv } from '../types.ts';

export type CitizenUser = { id: string; email: string; name: string };

/** Whether citizen accounts are on (settings `features.citizenAccounts`, engineer #3's settings store). */
export async function accountsEnabled(db: Database): Promise<boolean> {
  return (await readSettings(db))['features.citizenAccounts'] !== false;
}

export const accountsOff = () =>
  new ApiError(403, 'feature_off', 'As contas de cidadão estão desativadas nesta ouvidoria.');

/** The signed-in citizen, or 401 (nobody) / 403 (a staff session). */
export function requireCitizen(c: Context<AppEnv>): CitizenUser {
  const user = c.var.user;
  if (!user) throw unauthorized();
  if (user.role !== 'citizen') throw forbidden();
  return { id: user.id, email: user.email, name: user.name };
}

/** The account's person record (the oldest with its e-mail) and company; null when there is none yet. */
export async function accountRecord(db: Database, email: string) {
  const [person] = await peopleOfAccount(db, email);
  const company = person?.companyId ? ((await getCompany(db, person.companyId)) ?? null) : null;
  return { person: person ?? null, company };
}

/** "Minhas manifestações": filed with the account's e-mail or linked to its records. */
export async function myCases(db: Database, email: string) {
  const ids = (await peopleOfAccount(db, email)).map((p) => p.id);
  return casesOfCitizen(db, email, ids);
}

/**
 * Updates the citizen's own record (created on first save, with the account's e-mail) and their company
 * (created when they have none; a CNPJ already registered to another company is refused: the ouvidoria
 * links them). Audited with the citizen as actor. Returns the new record and company.
 */
export async function updateOwnRecord(deps: AppDeps, user: CitizenUser, patch: MePatch, ip: string | null) {
  const actor = { email: user.email, ip };
  let { person, company } = await accountRecord(deps.db, user.email);
  const { company: companyPatch, ...own } = patch;
  if (companyPatch) {
    if (company)
      company = await updateCompanyAudited(
        deps,
        company.id,
        companyPatch,
        actor,
        'company.updated_by_citizen',
      );
    else {
      try {
        company = await createCompany(deps.db, companyPatch);
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        throw new ApiError(409, 'duplicate', 'Esta empresa já está cadastrada', {
          'company.cnpj': ['CNPJ já cadastrado: peça à ouvidoria para vincular você a esta empresa'],
        });
      }
      await audit(deps.db, {
        actor: user.email,
        action: 'company.created_by_citizen',
        ip,
        data: { entity: 'company', id: company.id, before: null, after: companyJson(company) },
      });
    }
  }
  const fields = {
    ...stripUndefined(own),
    ...(company && !person?.companyId ? { companyId: company.id } : {}),
  };
  if (person) {
    if (Object.keys(fields).length)
      person = await updatePersonAudited(deps, person.id, fields, actor, 'person.updated_by_citizen');
  } else {
    person = await createPersonAudited(
      deps,
      { name: own.name ?? user.name, email: user.email, ...fields },
      actor,
    );
  }
  return { person, company };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Everything the ouvidoria holds about this citizen, as JSON (LGPD art. 18 II, V): the account, the
 * person record and company, and each of their cases as the citizen portal shows it. Logs the request.
 */
export async function exportFor(deps: AppDeps, user: CitizenUser, format: 'json' | 'pdf') {
  const { person, company } = await accountRecord(deps.db, user.email);
  const rows = await myCases(deps.db, user.email);
  const cases = [];
  for (const row of rows.slice(0, 200)) {
    try {
      cases.push(presentForCitizen(await getCaseView(deps, row.protocol)));
    } catch {
      // a case whose workflow cannot be read now: export what the read model holds
      cases.push({
        protocol: row.protocol,
        kind: row.kind,
        status: row.status,
        subject: row.subject,
        receivedAt: row.receivedAt.toISOString(),
      });
    }
  }
  await logDataRequest(deps.db, {
    kind: 'export',
    email: user.email,
    personId: person?.id ?? null,
    details: format,
    status: 'done',
  });
  return {
    exportedAt: new Date().toISOString(),
    legalBasis: 'Lei 13.709/2018 (LGPD), art. 18, II e V',
    account: { email: user.email, name: user.name },
    person: person ? personJson(person as Person, company) : null,
    company: company ? companyJson(company) : null,
    cases,
  };
}

export async function requestCorrection(deps: AppDeps, user: CitizenUser, details: string) {
  const { person } = await accountRecord(deps.db, user.email);
  return logDataRequest(deps.db, {
    kind: 'correction',
    email: user.email,
    personId: person?.id ?? null,
    details,
  });
}
