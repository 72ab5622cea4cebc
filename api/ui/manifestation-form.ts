// The "new manifestation" form shared by the public page (/registrar) and staff intake
// (/painel/registrar): form fields → the values to re-render → the API input (NewManifestation).
import { channels, identities, kinds } from '../../workflows/vocabulary.ts';
import { filesOf } from '../attachments/upload.ts';

export type ManifestationFormValues = {
  kind: string;
  subject: string;
  description: string;
  identity: string;
  name: string;
  email: string;
  phone: string;
  /** optional; kept in the person record (issue 11) */
  cpf: string;
  /** staff intake: the person record chosen in the lookup */
  personId: string;
  channel: string;
  receivedAt: string;
  /** catalogue codes (selects); '' = not chosen */
  topic: string;
  item: string;
};

export const formOptions = { kinds, identities, channels };

export function readManifestationForm(form: Record<string, unknown>): {
  values: ManifestationFormValues;
  files: File[];
} {
  const str = (k: string) => {
    const v = form[k];
    const last = Array.isArray(v) ? v[v.length - 1] : v;
    return typeof last === 'string' ? last : '';
  };
  return {
    values: {
      kind: str('kind'),
      subject: str('subject'),
      description: str('description'),
      identity: str('identity') || 'identified',
      name: str('name'),
      email: str('email').trim(),
      phone: str('phone'),
      cpf: str('cpf').trim(),
      personId: str('personId').trim(),
      channel: str('channel'),
      receivedAt: str('receivedAt'),
      topic: str('topic'),
      item: str('item'),
    },
    files: filesOf(form),
  };
}

/** What newManifestationSchema parses: no citizen for anonymous (or empty) contact details. */
export function manifestationCandidate(
  values: ManifestationFormValues,
  extra: { channel: string; receivedAt?: string | undefined },
) {
  const noContact = !values.name && !values.email && !values.phone;
  return {
    kind: values.kind || undefined,
    subject: values.subject,
    description: values.description,
    identity: values.identity,
    channel: extra.channel,
    topic: values.topic || undefined,
    item: values.item || undefined,
    ...(extra.receivedAt ? { receivedAt: extra.receivedAt } : {}),
    citizen:
      values.identity === 'anonymous' || noContact
        ? undefined
        : {
            name: values.name,
            email: values.email || undefined,
            phone: values.phone || undefined,
            cpf: values.cpf || undefined,
          },
  };
}
