// Reads and writes of the people and companies records (issue 11) and the case ↔ person links. Policy (who
// may see which link) is decided in api/people/; this file only turns it into SQL.
import { and, asc, desc, eq, ilike, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../client.ts';
import {
  type CaseLinkHow,
  type CompanyContact,
  casePeople,
  companies,
  type DataRequestKind,
  dataRequests,
  people,
} from '../schema/people.ts';
import { manifestations as m } from '../schema.ts';
import { trigramText } from './search-text.ts';
import { placeholdersFor, preparedOnce } from './statement-cache.ts';

export type Person = typeof people.$inferSelect;
export type Company = typeof companies.$inferSelect;
export type PersonFields = {
  name: string;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  cpf?: string | null | undefined;
  address?: string | null | undefined;
  language?: 'pt-BR' | 'en' | undefined;
  companyId?: string | null | undefined;
  vip?: boolean | undefined;
  vipReason?: string | null | undefined;
  active?: boolean | undefined;
};
export type CompanyFields = {
  legalName: string;
  tradeName?: string | null | undefined;
  cnpj?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  contacts?: CompanyContact[] | undefined;
  vip?: boolean | undefined;
  vipReason?: string | null | undefined;
  active?: boolean | undefined;
};

const personSearchText = (p: Pick<Person, 'name' | 'email' | 'cpf' | 'phone'>) =>
  trigramText([p.name, p.email ?? '', p.phone ?? ''].join(' ')) + (p.cpf ? ` ${p.cpf}` : '');
const companySearchText = (c: Pick<Company, 'legalName' | 'tradeName' | 'cnpj'>) =>
  trigramText([c.legalName, c.tradeName ?? ''].join(' ')) + (c.cnpj ? ` ${c.cnpj.toLowerCase()}` : '');

/** The unique-index violation of a duplicate CPF/CNPJ (both drivers report SQLSTATE 23505). */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause)
    if ((e as { code?: string }).code === '23505') return true;
  return false;
}

// --- companies ---

export async function createCompany(db: Database, f: CompanyFields): Promise<Company> {
  const row = {
    id: crypto.randomUUID(),
    legalName: f.legalName,
    tradeName: f.tradeName ?? null,
    cnpj: f.cnpj ?? null,
    email: f.email?.toLowerCase() ?? null,
    phone: f.phone ?? null,
    contacts: f.contacts ?? [],
    vip: f.vip ?? false,
    vipReason: f.vip ? (f.vipReason ?? null) : null,
    active: f.active ?? true,
  };
  const [created] = await db
    .insert(companies)
    .values({ ...row, searchText: companySearchText(row) })
    .returning();
  return created!;
}

export async function getCompany(db: Database, id: string): Promise<Company | undefined> {
  const [row] = await db.select().from(companies).where(eq(companies.id, id));
  return row;
}

/** Applies `patch` (only the keys present); returns [before, after] or undefined when there is no such company. */
export async function updateCompany(
  db: Database,
  id: string,
  patch: Partial<CompanyFields>,
): Promise<[Company, Company] | undefined> {
  const before = await getCompany(db, id);
  if (!before) return undefined;
  const next = { ...before, ...stripUndefined(patch) };
  if (patch.email !== undefined) next.email = patch.email?.toLowerCase() ?? null;
  if (!next.vip) next.vipReason = null;
  const [after] = await db
    .update(companies)
    .set({ ...next, id: before.id, searchText: companySearchText(next), updatedAt: new Date() })
    .where(eq(companies.id, id))
    .returning();
  return [before, after!];
}

/** Companies matching a name or CNPJ fragment (active first), at most `limit`. */
export async function listCompanies(db: Database, q = '', limit = 50): Promise<Company[]> {
  const where = searchCondition(companies.searchText, q);
  return db
    .select()
    .from(companies)
    .where(where)
    .orderBy(desc(companies.active), asc(companies.legalName))
    .limit(limit);
}

// --- people ---

export async function createPerson(db: Database, f: PersonFields): Promise<Person> {
  const row = {
    id: crypto.randomUUID(),
    name: f.name,
    email: f.email?.toLowerCase() ?? null,
    phone: f.phone ?? null,
    cpf: f.cpf ?? null,
    address: f.address ?? null,
    language: f.language ?? 'pt-BR',
    companyId: f.companyId ?? null,
    vip: f.vip ?? false,
    vipReason: f.vip ? (f.vipReason ?? null) : null,
    active: f.active ?? true,
  };
  const values = { ...row, searchText: personSearchText(row) };
  // every column given: one text for all (statement-cache.ts), rendered once instead of on every filing
  const { keys, placeholders, filled } = placeholdersFor(values);
  const [created] = await preparedOnce(db, `people.insert:${keys}`, () =>
    db
      .insert(people)
      .values(placeholders as unknown as typeof values)
      .returning()
      .prepare('people_insert'),
  ).execute(filled);
  return created!;
}

export async function getPerson(db: Database, id: string): Promise<Person | undefined> {
  const [row] = await db.select().from(people).where(eq(people.id, id));
  return row;
}

export async function updatePerson(
  db: Database,
  id: string,
  patch: Partial<PersonFields>,
): Promise<[Person, Person] | undefined> {
  const before = await getPerson(db, id);
  if (!before) return undefined;
  const next = { ...before, ...stripUndefined(patch) };
  if (patch.email !== undefined) next.email = patch.email?.toLowerCase() ?? null;
  if (!next.vip) next.vipReason = null;
  const [after] = await db
    .update(people)
    .set({ ...next, id: before.id, searchText: personSearchText(next), updatedAt: new Date() })
    .where(eq(people.id, id))
    .returning();
  return [before, after!];
}

export type PersonListRow = Person & { companyName: string | null; companyVip: boolean | null };

/**
 * People matching a name, e-mail, phone, CPF (masked or not) or company fragment; merged records left out
 * unless `includeMerged`. Newest first, at most `limit`.
 */
export async function listPeople(
  db: Database,
  opts: { q?: string; companyId?: string; includeInactive?: boolean; limit?: number } = {},
): Promise<PersonListRow[]> {
  const conds: (SQL | undefined)[] = [isNull(people.mergedInto)];
  if (!opts.includeInactive) conds.push(eq(people.active, true));
  if (opts.companyId) conds.push(eq(people.companyId, opts.companyId));
  const q = opts.q?.trim() ?? '';
  if (q) conds.push(or(searchCondition(people.searchText, q), searchCondition(companies.searchText, q)));
  return db
    .select({ ...personColumns, companyName: companies.legalName, companyVip: companies.vip })
    .from(people)
    .leftJoin(companies, eq(companies.id, people.companyId))
    .where(and(...conds))
    .orderBy(desc(people.updatedAt))
    .limit(opts.limit ?? 50);
}

const personColumns = {
  id: people.id,
  name: people.name,
  email: people.email,
  phone: people.phone,
  cpf: people.cpf,
  address: people.address,
  language: people.language,
  companyId: people.companyId,
  vip: people.vip,
  vipReason: people.vipReason,
  active: people.active,
  mergedInto: people.mergedInto,
  mergedAt: people.mergedAt,
  searchText: people.searchText,
  createdAt: people.createdAt,
  updatedAt: people.updatedAt,
};

function searchCondition(
  column: typeof people.searchText | typeof companies.searchText,
  q: string,
): SQL | undefined {
  const text = trigramText(q);
  const digits = q.replace(/[.\-/\s]/g, '');
  const parts: SQL[] = [];
  if (text) parts.push(ilike(column, `%${escapeLike(text)}%`));
  if (/^[0-9a-z]{3,14}$/i.test(digits) && digits !== text)
    parts.push(ilike(column, `%${escapeLike(digits.toLowerCase())}%`));
  return parts.length ? or(...parts) : undefined;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

export async function findPersonByCpf(db: Database, cpf: string): Promise<Person | undefined> {
  const [row] = await db
    .select()
    .from(people)
    .where(and(eq(people.cpf, cpf), isNull(people.mergedInto)));
  return row;
}

/**
 * The record with this e-mail: an unmerged one first (the oldest, when duplicates are still to merge), else
 * a merged one (the caller follows `mergedInto` to the record it lives on in).
 */
export async function findPersonByEmail(db: Database, email: string): Promise<Person | undefined> {
  const [row] = await preparedOnce(db, 'people.byEmail', () =>
    db
      .select()
      .from(people)
      .where(eq(people.email, sql.placeholder('email')))
      .orderBy(sql`${people.mergedInto} is null desc`, asc(people.createdAt))
      .limit(1)
      .prepare('people_by_email'),
  ).execute({ email: email.toLowerCase() });
  return row;
}

// --- links ---

/** Links a case to a person; a case already linked keeps its link (a retried filing). */
export async function linkCase(
  db: Database,
  link: { protocol: string; personId: string; how: CaseLinkHow; verified: boolean; linkedBy: string },
): Promise<void> {
  const { keys, placeholders, filled } = placeholdersFor(link);
  await preparedOnce(db, `people.link:${keys}`, () =>
    db
      .insert(casePeople)
      .values(placeholders as unknown as typeof link)
      .onConflictDoNothing()
      .prepare('case_people_insert'),
  ).execute(filled);
}

export type LinkedCase = {
  protocol: string;
  kind: string;
  status: string;
  subject: string;
  identity: string;
  channel: string;
  receivedAt: Date;
  dueAt: Date | null;
  how: CaseLinkHow;
  verified: boolean;
};

/** The cases linked to a person (newest first), restricted to the given identities. */
export async function casesOfPerson(
  db: Database,
  personId: string,
  identities: readonly string[],
): Promise<LinkedCase[]> {
  if (!identities.length) return [];
  return db
    .select({
      protocol: m.protocol,
      kind: m.kind,
      status: m.status,
      subject: m.subject,
      identity: m.identity,
      channel: m.channel,
      receivedAt: m.receivedAt,
      dueAt: m.dueAt,
      how: casePeople.how,
      verified: casePeople.verified,
    })
    .from(casePeople)
    .innerJoin(m, eq(m.protocol, casePeople.protocol))
    .where(and(eq(casePeople.personId, personId), inArray(m.identity, [...identities])))
    .orderBy(desc(m.receivedAt))
    .limit(200);
}

/** The person a case is linked to, with their company (undefined: not linked). */
export async function personOfCase(db: Database, protocol: string) {
  const [row] = await db
    .select({ person: people, company: companies, how: casePeople.how, verified: casePeople.verified })
    .from(casePeople)
    .innerJoin(people, eq(people.id, casePeople.personId))
    .leftJoin(companies, eq(companies.id, people.companyId))
    .where(eq(casePeople.protocol, protocol));
  return row;
}

/**
 * Merges `fromId` into `intoId` in one transaction: every case of `from` moves to `into` (the link keeps how
 * it was made), empty fields of `into` are filled from `from`, and `from` stays as an inactive record that
 * points to `into` (the trace). Returns the moved protocols and both records before/after.
 */
export async function mergePeople(db: Database, fromId: string, intoId: string, _actor: string) {
  return db.transaction(async (tx) => {
    const [from] = await tx.select().from(people).where(eq(people.id, fromId)).for('update');
    const [into] = await tx.select().from(people).where(eq(people.id, intoId)).for('update');
    if (!from || !into) return undefined;
    const moved = await tx
      .update(casePeople)
      .set({ personId: intoId })
      .where(eq(casePeople.personId, fromId))
      .returning({ protocol: casePeople.protocol });
    const now = new Date();
    await tx
      .update(people)
      .set({ active: false, mergedInto: intoId, mergedAt: now, cpf: null, updatedAt: now })
      .where(eq(people.id, fromId));
    const filled = {
      email: into.email ?? from.email,
      phone: into.phone ?? from.phone,
      cpf: into.cpf ?? from.cpf,
      address: into.address ?? from.address,
      companyId: into.companyId ?? from.companyId,
      vip: into.vip || from.vip,
      vipReason: into.vip ? into.vipReason : from.vipReason,
    };
    const [after] = await tx
      .update(people)
      .set({ ...filled, searchText: personSearchText({ ...into, ...filled }), updatedAt: now })
      .where(eq(people.id, intoId))
      .returning();
    return { from, into, after: after!, moved: moved.map((r) => r.protocol) };
  });
}

// --- the citizen's own cases ---

export type CitizenCaseRow = {
  protocol: string;
  kind: string;
  status: string;
  subject: string;
  receivedAt: Date;
  dueAt: Date | null;
  updatedAt: Date;
  lastActivitySeq: number;
};

/**
 * "Minhas manifestações": cases filed with this (verified) e-mail, or linked to a record of theirs
 * (`personIds`); anonymous cases never (nobody, not even their author, is linked to them). Newest first.
 */
export async function casesOfCitizen(
  db: Database,
  email: string,
  personIds: string[],
): Promise<CitizenCaseRow[]> {
  const linked = personIds.length
    ? sql`${m.protocol} in (select ${casePeople.protocol} from ${casePeople} where ${inArray(casePeople.personId, personIds)})`
    : sql`false`;
  return db
    .select({
      protocol: m.protocol,
      kind: m.kind,
      status: m.status,
      subject: m.subject,
      receivedAt: m.receivedAt,
      dueAt: m.dueAt,
      updatedAt: m.updatedAt,
      lastActivitySeq: m.lastActivitySeq,
    })
    .from(m)
    .where(and(sql`${m.identity} <> 'anonymous'`, or(eq(m.citizenEmail, email.toLowerCase()), linked)))
    .orderBy(desc(m.receivedAt))
    .limit(500);
}

// --- LGPD requests ---

export async function logDataRequest(
  db: Database,
  r: {
    kind: DataRequestKind;
    email: string;
    personId: string | null;
    details: string;
    status?: 'open' | 'done';
  },
) {
  const [row] = await db
    .insert(dataRequests)
    .values({ id: crypto.randomUUID(), ...r, status: r.status ?? 'open' })
    .returning();
  return row!;
}

export async function listDataRequests(db: Database, limit = 200) {
  return db.select().from(dataRequests).orderBy(desc(dataRequests.at)).limit(limit);
}

export async function closeDataRequest(db: Database, id: string, actor: string) {
  const [row] = await db
    .update(dataRequests)
    .set({ status: 'done', handledBy: actor, handledAt: new Date() })
    .where(and(eq(dataRequests.id, id), eq(dataRequests.status, 'open')))
    .returning();
  return row;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Whether `protocol` is one of the citizen's cases (filed with their e-mail or linked to their records). */
export async function citizenOwnsCase(db: Database, email: string, protocol: string): Promise<boolean> {
  const rows = await db
    .select({ protocol: m.protocol })
    .from(m)
    .leftJoin(casePeople, eq(casePeople.protocol, m.protocol))
    .leftJoin(people, eq(people.id, casePeople.personId))
    .where(
      and(
        eq(m.protocol, protocol),
        sql`${m.identity} <> 'anonymous'`,
        or(eq(m.citizenEmail, email.toLowerCase()), eq(people.email, email.toLowerCase())),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

/** Records that are this account's: unmerged people with the account's e-mail. */
export async function peopleOfAccount(db: Database, email: string): Promise<Person[]> {
  return db
    .select()
    .from(people)
    .where(and(eq(people.email, email.toLowerCase()), isNull(people.mergedInto)))
    .orderBy(asc(people.createdAt));
}
