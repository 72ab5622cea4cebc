/** @jsxImportSource react */
// An e-mail template edited in Administração → E-mails: its subject and body (plain text with
// placeholders) inside the same React Email frame as the built-in ones. Every value is inserted as text,
// so React escapes it: an edited template can never inject HTML. A paragraph that is only {{link}}
// becomes the button of the built-in templates. Secrets ({{codigo}}, {{link}}) are filled here, at send
// time; the notify activity seals them before the message reaches the mail log.
import { Button, Section, Text } from '@react-email/components';
import { formatDate, translator } from '../i18n.ts';
import { Layout, styles } from './layout.tsx';
import type { EmailModel } from './model.ts';
import { emailText } from './strings.ts';

/** The placeholders an edited template may use, and what each becomes (documented on the admin page). */
export const placeholders = {
  protocolo: (m: EmailModel) => m.protocol,
  nome: (m: EmailModel) => m.recipientName ?? '',
  assunto: (m: EmailModel) => m.caseSubject,
  tipo: (m: EmailModel) => translator(m.lang)(`kind.${m.kind}`, m.kind),
  situacao: (m: EmailModel) => m.statusName ?? translator(m.lang)(`status.${m.status}`, m.status),
  prazo: (m: EmailModel) => (m.dueAt ? formatDate(m.dueAt, m.lang, m.timeZone) : ''),
  data: (m: EmailModel) => (m.date ? formatDate(m.date, m.lang, m.timeZone) : ''),
  texto: (m: EmailModel) => m.text ?? '',
  unidades: (m: EmailModel) => m.units.join(', '),
  link: (m: EmailModel) => (m.links.follow || m.links.staffCase) ?? '',
  codigo: (m: EmailModel) => m.accessCode ?? '',
} as const;
export type Placeholder = keyof typeof placeholders;
export const placeholderNames = Object.keys(placeholders) as Placeholder[];

const PLACEHOLDER = /\{\{\s*([a-zA-Z_]+)\s*\}\}/g;

/** Names used in `text` that are not placeholders (empty when every one is known). */
export function unknownPlaceholders(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER))
    if (!((m[1] as string) in placeholders)) out.add(m[1] as string);
  return [...out];
}

/** `text` with each {{placeholder}} replaced by its value for `model` (unknown ones left as written). */
export function fillPlaceholders(text: string, model: EmailModel): string {
  return text.replace(PLACEHOLDER, (whole, name: string) =>
    name in placeholders ? placeholders[name as Placeholder](model) : whole,
  );
}

export type CustomText = { subject: string; body: string };

export function CustomEmail({
  model,
  custom,
  staff,
}: {
  model: EmailModel;
  custom: CustomText;
  staff: boolean;
}) {
  const t = emailText(model.lang);
  // keyed by position and text: paragraphs never reorder within one render
  const paragraphs = custom.body
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((text, i) => ({ text, key: `${i}:${text.slice(0, 20)}` }));
  return (
    <Layout model={model} title={fillPlaceholders(custom.subject, model)} staff={staff}>
      {paragraphs.map((p) =>
        /^\{\{\s*link\s*\}\}$/.test(p.text) ? (
          <Section key={p.key} style={{ margin: '16px 0' }}>
            <Button href={placeholders.link(model)} style={styles.button}>
              {staff ? t('openCase') : t('followButton')}
            </Button>
          </Section>
        ) : (
          <Text key={p.key} style={{ ...styles.text, whiteSpace: 'pre-wrap' as const }}>
            {fillPlaceholders(p.text, model)}
          </Text>
        ),
      )}
    </Layout>
  );
}
