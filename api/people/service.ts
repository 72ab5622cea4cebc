// People and companies use cases shared by the REST API, the staff pages and the citizen account: create,
// edit, merge (each audited with {entity, id, before, after}), and the record as one viewer may see it.
import {
  type Company,
  type CompanyFields,
  casesOfPerson,
  createCompany,
  createPerson,
  getCompany,
  getPerson,
  isUniqueViolation,
  mergePeople,
  type Person,
  type PersonFields,
  updateCompany,
  updatePerson,
} from '../../db/queries/people.ts';
import { audit } from '../../db/queries/users.ts';
import type { Role } from '../../db/schema.ts';
import type { Identity } from '../../workflows/vocabulary.ts';
import { reporterAccess, type StaffRole } from '../disclosure.ts';
import { ApiError, notFound } from '../errors.ts';
import type { AppDeps } from '../types.ts';
import { formatCnpj, formatCpf } from './documents.ts';

/** Staff who keep the records: the ouvidoria itself (units never reach a person record). */
export const recordRoles: Role[] = ['admin', 'ombudsman', 'attendant'];

export type Actor = { email: string; ip?: string | null };

const noPerson = () => notFound('Pessoa não encontrada');
const noCompany = () => notFound('Empresa não encontrada');
const duplicate = (field: 'cpf' | 'cnpj') =>
  new ApiError(
    409,
    'duplicate',
    field === 'cpf' ? 'Já existe uma pessoa com este CPF' : 'Já existe uma empresa com este CNPJ',
    {
      [field]: [
        field === 'cpf' ? 'CPF já cadastrado (use "mesclar" para unir os registros)' : 'CNPJ já cadastrado',
      ],
    },
  );
const isId = (id: string) => /^[0-9a-f-]{36}$/i.test(id);

/** A company as the API shows it (CNPJ masked as the Receita prints it). */
export function companyJson(c: Company) {
  return {
    id: c.id,
    legalName: c.legalName,
    tradeName: c.tradeName,
    cnpj: c.cnpj ? formatCnpj(c.cnpj) : null,
    email: c.email,
    phone: c.phone,
    contacts: c.contacts,
    vip: c.vip,
    vipReason: c.vipReason,
    active: c.active,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

/** A person as the API shows it, with their company summarised. */
export function personJson(p: Person, company?: Company | null) {
  return {
    id: p.id,
    name: p.name,
    email: p.email,
    phone: p.phone,
    cpf: p.cpf ? formatCpf(p.cpf) : null,
    address: p.address,
    language: p.language,
    companyId: p.companyId,
    company: company
      ? { id: company.id, legalName: company.legalName, tradeName: company.tradeName, vip: company.vip }
      : null,
    vip: p.vip,
    vipReason: p.vipReason,
    active: p.active,
    mergedInto: p.mergedInto,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

/** Identities whose cases this staff role may see linked to a person: those whose reporter it sees in full. */
export function linkableIdentities(role: StaffRole): Identity[] {
  return (['identified', 'preserved', 'anonymous'] as const).filter(
    (i) => reporterAccess(role, i) === 'full',
  );
}

async function companyMustExist(deps: AppDeps, companyId: string | null | undefined) {
  if (companyId && !(await getCompany(deps.db, companyId)))
    throw new ApiError(422, 'invalid_body', 'Dados inválidos', { companyId: ['Empresa não encontrada'] });
}

async function unique<T>(field: 'cpf' | 'cnpj', run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate(field);
    throw err;
  }
}

export async function createPersonAudited(deps: AppDeps, f: PersonFields, actor: Actor): Promise<Person> {
  await companyMustExist(deps, f.companyId);
  const person = await unique('cpf', () => createPerson(deps.db, f));
  await audit(deps.db, {
    actor: actor.email,
    action: 'person.created',
    ip: actor.ip ?? null,
    data: { entity: 'person', id: person.id, before: null, after: personJson(person) },
  });
  return person;
}

/** Edits a person (only the keys present). 404 unknown; 409 CPF of another record; 422 VIP without reason. */
export async function updatePersonAudited(
  deps: AppDeps,
  id: string,
  patch: Partial<PersonFields>,
  actor: Actor,
  action = 'person.updated',
): Promise<Person> {
  if (!isId(id)) throw noPerson();
  const current = await getPerson(deps.db, id);
  if (!current || current.mergedInto) throw noPerson();
  await companyMustExist(deps, patch.companyId);
  const vip = patch.vip ?? current.vip;
  const reason = patch.vipReason !== undefined ? patch.vipReason : current.vipReason;
  if (vip && !reason?.trim())
    throw new ApiError(422, 'invalid_body', 'Dados inválidos', {
      vipReason: ['Informe o motivo do atendimento VIP'],
    });
  const result = await unique('cpf', () => updatePerson(deps.db, id, patch));
  if (!result) throw noPerson();
  const [before, after] = result;
  await audit(deps.db, {
    actor: actor.email,
    action,
    ip: actor.ip ?? null,
    data: { entity: 'person', id, before: personJson(before), after: personJson(after) },
  });
  return after;
}

export async function createCompanyAudited(deps: AppDeps, f: CompanyFields, actor: Actor): Promise<Company> {
  const company = await unique('cnpj', () => createCompany(deps.db, f));
  await audit(deps.db, {
    actor: actor.email,
    action: 'company.created',
    ip: actor.ip ?? null,
    data: { entity: 'company', id: company.id, before: null, after: companyJson(company) },
  });
  return company;
}

export async function updateCompanyAudited(
  deps: AppDeps,
  id: string,
  patch: Partial<CompanyFields>,
  actor: Actor,
  action = 'company.updated',
): Promise<Company> {
  if (!isId(id)) throw noCompany();
  const current = await getCompany(deps.db, id);
  if (!current) throw noCompany();
  const vip = patch.vip ?? current.vip;
  const reason = patch.vipReason !== undefined ? patch.vipReason : current.vipReason;
  if (vip && !reason?.trim())
    throw new ApiError(422, 'invalid_body', 'Dados inválidos', {
      vipReason: ['Informe o motivo do atendimento VIP'],
    });
  const result = await unique('cnpj', () => updateCompany(deps.db, id, patch));
  if (!result) throw noCompany();
  const [before, after] = result;
  await audit(deps.db, {
    actor: actor.email,
    action,
    ip: actor.ip ?? null,
    data: { entity: 'company', id, before: companyJson(before), after: companyJson(after) },
  });
  return after;
}

/**
 * Merges the duplicate `fromId` into `intoId`: its cases move, it stays inactive pointing to `intoId`.
 * 404 unknown; 409 same record or already merged.
 */
export async function mergeAudited(deps: AppDeps, intoId: string, fromId: string, actor: Actor) {
  if (!isId(intoId)) throw noPerson();
  if (intoId === fromId)
    throw new ApiError(409, 'conflict', 'Escolha dois registros diferentes para mesclar');
  const [into, from] = await Promise.all([getPerson(deps.db, intoId), getPerson(deps.db, fromId)]);
  if (!into || into.mergedInto) throw noPerson();
  if (!from) throw new ApiError(422, 'invalid_body', 'Dados inválidos', { from: ['Pessoa não encontrada'] });
  if (from.mergedInto) throw new ApiError(409, 'conflict', 'Este registro já foi mesclado em outro');
  const result = await mergePeople(deps.db, fromId, intoId, actor.email);
  if (!result) throw noPerson();
  await audit(deps.db, {
    actor: actor.email,
    action: 'person.merged',
    ip: actor.ip ?? null,
    data: {
      entity: 'person',
      id: intoId,
      before: { into: personJson(result.into), from: personJson(result.from) },
      after: personJson(result.after),
      mergedFrom: fromId,
      movedCases: result.moved,
    },
  });
  return result;
}

/** One person for a staff viewer: the record, the company, and the cases this role may see linked. */
export async function personDetail(deps: AppDeps, id: string, role: StaffRole) {
  if (!isId(id)) throw noPerson();
  const person = await getPerson(deps.db, id);
  if (!person) throw noPerson();
  const company = person.companyId ? ((await getCompany(deps.db, person.companyId)) ?? null) : null;
  const cases = await casesOfPerson(deps.db, id, linkableIdentities(role));
  return { person, company, cases };
}

export async function companyDetail(deps: AppDeps, id: string) {
  if (!isId(id)) throw noCompany();
  const company = await getCompany(deps.db, id);
  if (!company) throw noCompany();
  return company;
}
