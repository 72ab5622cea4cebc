// People and companies (issue 11): the records of citizens/customers and the companies they speak for, the
// link of each case to the person who filed it, and the data subject's LGPD requests. The case workflow
// never reads these: a case's link to a person is a fact of the records (written at intake and by merges),
// not case state, so a merge moves cases without touching any workflow history.
import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { tstz } from './columns.ts';

/** A company contact (a person to call about the company's cases). */
export type CompanyContact = {
  name: string;
  email?: string | undefined;
  phone?: string | undefined;
  role?: string | undefined;
};

export const companies = pgTable(
  'companies',
  {
    id: text('id').primaryKey(),
    /** razão social */
    legalName: text('legal_name').notNull(),
    /** nome fantasia */
    tradeName: text('trade_name'),
    /** 14 characters, unmasked; digits or (from July 2026) letters A–Z in the first 12 */
    cnpj: text('cnpj'),
    email: text('email'),
    phone: text('phone'),
    contacts: jsonb('contacts').$type<CompanyContact[]>().notNull().default([]),
    vip: boolean('vip').notNull().default(false),
    vipReason: text('vip_reason'),
    active: boolean('active').notNull().default(true),
    /** lowercased, unaccented names and CNPJ (trigram search) */
    searchText: text('search_text').notNull().default(''),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('companies_cnpj_idx').on(t.cnpj),
    index('companies_search_trgm_idx').using('gin', sql`${t.searchText} gin_trgm_ops`),
  ],
);

export const people = pgTable(
  'people',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** lowercased */
    email: text('email'),
    phone: text('phone'),
    /** 11 digits, unmasked */
    cpf: text('cpf'),
    address: text('address'),
    language: text('language').$type<'pt-BR' | 'en'>().notNull().default('pt-BR'),
    companyId: text('company_id').references(() => companies.id),
    vip: boolean('vip').notNull().default(false),
    vipReason: text('vip_reason'),
    active: boolean('active').notNull().default(true),
    /** set when this record was merged into another (the trace of a merge; the record stays, inactive) */
    mergedInto: text('merged_into'),
    mergedAt: tstz('merged_at'),
    /** lowercased, unaccented name, e-mail and CPF digits (trigram search) */
    searchText: text('search_text').notNull().default(''),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('people_email_idx').on(t.email),
    uniqueIndex('people_cpf_idx').on(t.cpf).where(sql`${t.cpf} is not null and ${t.mergedInto} is null`),
    index('people_company_idx').on(t.companyId),
    index('people_search_trgm_idx').using('gin', sql`${t.searchText} gin_trgm_ops`),
    check('people_language_check', sql`${t.language} in ('pt-BR', 'en')`),
  ],
);

/** How a case came to be linked to its person. */
export type CaseLinkHow = 'session' | 'cpf' | 'email' | 'staff' | 'created' | 'merge';

/** Which person filed which case (one person per case). Written at intake and by merges. */
export const casePeople = pgTable(
  'case_people',
  {
    protocol: text('protocol').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    how: text('how').$type<CaseLinkHow>().notNull(),
    /** false: linked by an e-mail address nobody proved to own (a public web form) */
    verified: boolean('verified').notNull().default(false),
    linkedBy: text('linked_by').notNull(),
    linkedAt: tstz('linked_at').notNull().defaultNow(),
  },
  (t) => [index('case_people_person_idx').on(t.personId, t.protocol)],
);

export type DataRequestKind = 'export' | 'correction';

/** LGPD art. 18 requests by the data subject: exports (delivered at once) and corrections (handled by staff). */
export const dataRequests = pgTable(
  'data_requests',
  {
    id: text('id').primaryKey(),
    kind: text('kind').$type<DataRequestKind>().notNull(),
    email: text('email').notNull(),
    personId: text('person_id'),
    /** export: 'json' | 'pdf'; correction: what the citizen asked to correct */
    details: text('details').notNull().default(''),
    status: text('status').$type<'open' | 'done'>().notNull().default('open'),
    at: tstz('at').notNull().defaultNow(),
    handledBy: text('handled_by'),
    handledAt: tstz('handled_at'),
  },
  (t) => [
    index('data_requests_at_idx').on(t.at),
    check('data_requests_kind_check', sql`${t.kind} in ('export', 'correction')`),
  ],
);
