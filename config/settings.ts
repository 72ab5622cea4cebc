// Administered settings (Administração → Regras gerais, security rules, …): one key per setting, grouped
// by prefix (`org.*`, `site.*`, `features.*`, `cases.*`, `security.*`). The zod schema below is the only
// definition of what a setting may hold; `settingsDefaults` keep the product's behaviour before any
// admin touched it. Stored as rows of `settings` (db/schema/settings.ts), read and written only through
// db/queries/settings.ts (readSettings / writeSettings), which validates and audits every change.
import { z } from 'zod';
import { securitySettingsDefaults, securitySettingsShape } from './security-settings.ts';

/** Public site texts an admin may override per language: label keys of the public pages. */
export const siteTextKeys = ['home.title', 'home.intro', 'app.tagline'] as const;
export type SiteTextKey = (typeof siteTextKeys)[number];
export const siteLanguages = ['pt-BR', 'en'] as const;

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `No máximo ${max} caracteres.` });
const days = (max: number) =>
  z
    .number({ error: 'Informe um número de dias.' })
    .int({ error: 'Informe um número inteiro de dias.' })
    .min(1, { error: 'O mínimo é 1 dia.' })
    .max(max, { error: `O máximo é ${max} dias.` });
const siteTexts = z.partialRecord(z.enum(siteTextKeys), text(2000));

/** Every administered setting: key → zod schema (error messages in pt-BR). */
export const settingsShape = {
  /** Organisation name shown on the public site and in e-mails; '' = the product's own labels. */
  'org.name': text(200),
  /** Logo: an https/http URL or a path under /static; '' = no logo. */
  'org.logoUrl': text(500).refine((v) => v === '' || /^(https?:\/\/|\/)[^\s"'<>]+$/.test(v), {
    error: 'Informe um endereço http(s) ou um caminho começando por /.',
  }),
  /** Public contact (address, phone, hours) shown on the public site. */
  'org.contact': text(1000),
  /** Intake mailbox: unthreaded mail to it opens a case; '' = MAIL_INTAKE_ADDRESS / ouvidoria@MAIL_DOMAIN. */
  'org.intakeAddress': z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => v === '' || z.email().safeParse(v).success, { error: 'Endereço de e-mail inválido.' }),
  /** Overrides of public site texts, per language (keys: siteTextKeys); missing = the built-in label. */
  'site.texts': z.object({ 'pt-BR': siteTexts, en: siteTexts }).strict(),
  /** Anonymous filing on the public form and API (Lei 13.460/2017 allows it; some bodies do not). */
  'features.anonymousFiling': z.boolean({ error: 'Valor inválido.' }),
  /** Citizen accounts (sign-up, "Minhas manifestações"); applied by the people area. */
  'features.citizenAccounts': z.boolean({ error: 'Valor inválido.' }),
  /** File field on the public form and citizen uploads. */
  'features.publicAttachments': z.boolean({ error: 'Valor inválido.' }),
  /** Partial ratings while the case is open (the final rating after the answer stays). */
  'features.partialRatings': z.boolean({ error: 'Valor inválido.' }),
  /** Public transparency page (/transparencia); applied by the reports area. */
  'features.transparencyPage': z.boolean({ error: 'Valor inválido.' }),
  /** Calendar days after the answer without a reaction before the case closes by itself. */
  'cases.autoCloseDays': days(365),
  /** Days a closed case stays live for a reopen or a late reply in the same run (then it completes). */
  'cases.reopenWindowDays': days(3650),
  ...securitySettingsShape, // security.* (config/security-settings.ts)
} satisfies Record<string, z.ZodType>;

const unknownKeys = (iss: { code?: string; keys?: string[] }) =>
  iss.code === 'unrecognized_keys' ? `Configuração desconhecida: ${(iss.keys ?? []).join(', ')}.` : undefined;

export const settingsSchema = z.strictObject(settingsShape, { error: unknownKeys });
export type Settings = z.infer<typeof settingsSchema>;
export type SettingKey = keyof Settings;
export const settingKeys = Object.keys(settingsShape) as SettingKey[];

/** Defaults = today's behaviour (20-day automatic close, 30-day reopen window, everything on). */
export const settingsDefaults: Settings = {
  'org.name': '',
  'org.logoUrl': '',
  'org.contact': '',
  'org.intakeAddress': '',
  'site.texts': { 'pt-BR': {}, en: {} },
  'features.anonymousFiling': true,
  'features.citizenAccounts': true,
  'features.publicAttachments': true,
  'features.partialRatings': true,
  'features.transparencyPage': true,
  'cases.autoCloseDays': 20,
  'cases.reopenWindowDays': 30,
  ...securitySettingsDefaults,
};

/** A patch: any subset of the keys, each validated by its own schema; unknown keys are refused. */
export const settingsPatchSchema = z.strictObject(settingsSchema.partial().shape, { error: unknownKeys });
