// What the catalogue admin pages share (issue 10 items 2–5): a page is a list of sections, one per
// entity (api/admin/catalogue-defs.ts), each a table of rows with an edit form per row and a create
// form; plain HTML forms (no JavaScript needed). Forms are turned into the same JSON bodies the REST
// takes, so validation and audit are those of api/admin/catalogue-service.ts.
import type { Context } from 'hono';
import type { EntityDef, FieldDef } from '../../admin/catalogue-defs.ts';
import type { Actor } from '../../admin/catalogue-service.ts';
import { ApiError, type FieldErrors } from '../../errors.ts';
import { clientIp } from '../../rate-limit.ts';
import type { AppEnv } from '../../types.ts';
import { adminSections } from './sections.ts';

export type Choice = { value: string; label: string };
export type Choices = Partial<Record<NonNullable<FieldDef['choices']>, Choice[]>>;

/** One row of a section as the view shows it. */
export type RowView = {
  key: string;
  /** form values (strings, booleans for checkboxes, arrays for labels) */
  values: Record<string, unknown>;
  /** the row's own extra content (group members and rules, unit staff), rendered by `extra` partial */
  extra?: Record<string, unknown>;
};

/** A section of a page: one entity. */
export type SectionView = {
  id: string;
  title: string;
  intro?: string;
  /** POST target: `${action}` creates, `${action}/${key}` updates */
  action: string;
  fields: FieldDef[];
  canCreate: boolean;
  rows: RowView[];
  /** partial rendered inside each row (views/admin/_<name>.eta) */
  extra?: string;
};

/** A failed submission re-rendered: which form (`create` or a row key) of which section, and why. */
export type FormFailure = {
  section: string;
  target: string;
  fields: FieldErrors;
  values: Record<string, unknown>;
};

export const actorOf = (c: Context<AppEnv>): Actor => ({ email: c.var.user?.email ?? null, ip: clientIp(c) });

/** A row (db values) as form values: null → '', keeps booleans and arrays. */
export function rowValues(row: Record<string, unknown>, fields: FieldDef[], keyName: string) {
  const out: Record<string, unknown> = { [keyName]: String(row[keyName] ?? '') };
  for (const f of fields) {
    const v = row[f.name];
    out[f.name] = v === null || v === undefined ? (f.type === 'checkbox' ? false : '') : v;
  }
  return out;
}

const last = (v: unknown) => (Array.isArray(v) ? v[v.length - 1] : v);

/**
 * A submitted form as the entity's JSON body: only the fields of that form (create: every field; edit:
 * the fields that are not create-only). Empty optional text → null (email, select) or absent; numbers
 * parsed (a non-number stays a string so the schema refuses it); an absent checkbox is false.
 */
export function formBody(form: Record<string, unknown>, fields: FieldDef[], creating: boolean) {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.createOnly && !creating) continue;
    const raw = form[f.name];
    if (f.type === 'checkbox') {
      body[f.name] = raw !== undefined && raw !== '';
      continue;
    }
    if (f.type === 'labels') {
      body[f.name] = (Array.isArray(raw) ? raw : [raw]).filter((x) => typeof x === 'string');
      continue;
    }
    const v = last(raw);
    const s = typeof v === 'string' ? v.trim() : '';
    if (f.type === 'number') {
      if (s !== '') body[f.name] = /^-?\d+$/.test(s) ? Number(s) : s;
    } else if (s === '') {
      if (f.type === 'email' || (f.type === 'select' && !f.required)) body[f.name] = null;
      else if (f.required) body[f.name] = '';
    } else body[f.name] = s;
  }
  return body;
}

/** Runs a write; a 422 becomes a FormFailure for re-rendering, anything else is thrown. */
export async function attempt(
  section: string,
  target: string,
  values: Record<string, unknown>,
  write: () => Promise<unknown>,
): Promise<FormFailure | null> {
  try {
    await write();
    return null;
  } catch (err) {
    if (err instanceof ApiError && err.status === 422)
      return { section, target, fields: err.fields ?? { _: [err.message] }, values };
    throw err;
  }
}

/** The view data every catalogue page passes (admin nav, read-only for the ombudsman). */
export function pageData(
  c: Context<AppEnv>,
  title: string,
  intro: string,
  sections: SectionView[],
  choices: Choices,
  failure: FormFailure | null,
) {
  const user = c.var.user;
  return {
    title,
    intro,
    sections,
    choices,
    failure,
    saved: c.req.query('salvo') === '1',
    canWrite: user?.role === 'admin',
    adminSections: adminSections.filter((s) => user?.role === 'admin' || s.ombudsmanReads),
  };
}

/** The section's entity rows as views. */
export function rowsOf(def: EntityDef, rows: Record<string, unknown>[]): RowView[] {
  return rows.map((r) => ({ key: String(r[def.keyName]), values: rowValues(r, def.fields, def.keyName) }));
}
