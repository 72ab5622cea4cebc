// Labels of the parameters pages of Administração (English).
import type { adminParamsPtBR } from './admin-params-pt-BR.ts';

export const adminParamsEn: Record<keyof typeof adminParamsPtBR, string> = {
  'params.save': 'Save',
  'params.saved': 'Changes saved. They apply from now on and are recorded in the audit log.',
  'params.general.title': 'General rules',
  'params.general.intro':
    "The organisation's details, the public site texts and the features offered to citizens. Every change applies at once and is audited (before → after).",
  'params.general.org': 'Organisation',
  'params.general.texts': 'Public site texts',
  'params.general.textsHint': "Leave blank to use Ouvidor's built-in text.",
  'params.general.builtIn': 'Built-in text',
  'params.general.features': 'Features',
  'params.general.cases': 'Closing and reopening',
  'params.setting.org.name': 'Organisation name',
  'params.setting.org.logoUrl': 'Logo address',
  'params.setting.org.contact': 'Contact',
  'params.setting.org.intakeAddress': 'Intake e-mail address',
  'params.setting.site.texts': 'Site texts',
  'params.setting.features.anonymousFiling': 'Accept anonymous manifestations',
  'params.setting.features.citizenAccounts': 'Citizen accounts (My manifestations)',
  'params.setting.features.publicAttachments': 'Attachments on the public form',
  'params.setting.features.partialRatings': 'Partial rating while the case is open',
  'params.setting.features.transparencyPage': 'Public transparency page',
  'params.setting.cases.autoCloseDays': 'Automatic close after the answer (calendar days)',
  'params.setting.cases.reopenWindowDays': 'Reopen window after closing (days)',
  'params.hint.org.name': 'Shown at the top of the public site and in e-mails. Blank: “Ouvidoria”.',
  'params.hint.org.logoUrl': 'An https://… address or a path starting with /. Blank: no logo.',
  'params.hint.org.contact': 'Address, phone and opening hours, shown at the foot of the public site.',
  'params.hint.org.intakeAddress':
    "Mail without a protocol sent to this address opens a manifestation. Blank: the server's configured address.",
  'params.hint.features.anonymousFiling':
    'Off: the public form and the API refuse anonymous manifestations (staff still register those received by phone or letter).',
  'params.hint.features.citizenAccounts':
    'Off: citizens follow their case with the protocol and access code only.',
  'params.hint.features.publicAttachments':
    "Off: the public form and the citizen's reply have no file field, and uploads are refused.",
  'params.hint.features.partialRatings': 'Off: citizens rate only after the conclusive answer.',
  'params.hint.features.transparencyPage': 'Off: the /transparencia page is not published.',
  'params.hint.cases.autoCloseDays':
    'Without a reaction from the citizen, an answered case closes after these days. Open answered cases re-plan too.',
  'params.hint.cases.reopenWindowDays':
    'After closing, the case accepts a reopen and late replies in the same run for these days.',
  'params.siteText.home.title': 'Home page title',
  'params.siteText.home.intro': 'Home page introduction',
  'params.siteText.app.tagline': 'Tagline beside the name',
};
