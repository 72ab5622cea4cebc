/** @jsxImportSource react */
// Account messages (issue 10): the invitation to set a password, and a password reset link. No case, no
// protocol: the frame is the same look as the case messages (layout.tsx styles). The link is a one-time
// credential; the caller logs the message with the link replaced by a marker.
import {
  Body,
  Button,
  Container,
  Head,
  Heading,
  Hr,
  Html,
  Preview,
  Section,
  Text,
} from '@react-email/components';
import { render, toPlainText } from '@react-email/render';
import { createElement } from 'react';
import type { Language } from '../i18n.ts';
import { styles } from './layout.tsx';

export type AccountEmailModel = {
  kind: 'invitation' | 'password_reset';
  lang: Language;
  name: string;
  email: string;
  /** role label, already translated */
  roleLabel: string;
  link: string;
  /** link lifetime, already formatted ("3 dias") */
  validity: string;
};

const copy = {
  'pt-BR': {
    invitationSubject: 'Convite para o Ouvidor',
    invitationTitle: 'Você foi convidado(a) para o Ouvidor',
    invitationIntro: 'Foi criada para você uma conta de {role} no Ouvidor, com o e-mail {email}.',
    invitationAction: 'Definir minha senha',
    resetSubject: 'Redefinição de senha do Ouvidor',
    resetTitle: 'Redefinir sua senha',
    resetIntro: 'Recebemos um pedido para redefinir a senha da conta {email}.',
    resetAction: 'Definir nova senha',
    validity: 'O link vale por {validity} e só pode ser usado uma vez. Não o encaminhe a ninguém.',
    ignore: 'Se você não esperava esta mensagem, ignore-a: nada muda na sua conta.',
    greeting: 'Olá, {name},',
    footer: 'Mensagem automática do Ouvidor.',
  },
  en: {
    invitationSubject: 'Invitation to Ouvidor',
    invitationTitle: 'You have been invited to Ouvidor',
    invitationIntro:
      'An account with the role {role} was created for you in Ouvidor, with the e-mail {email}.',
    invitationAction: 'Set my password',
    resetSubject: 'Ouvidor password reset',
    resetTitle: 'Reset your password',
    resetIntro: 'We received a request to reset the password of the account {email}.',
    resetAction: 'Set a new password',
    validity: 'The link is valid for {validity} and works once. Do not forward it.',
    ignore: 'If you did not expect this message, ignore it: nothing changes in your account.',
    greeting: 'Hello, {name},',
    footer: 'Automatic message from Ouvidor.',
  },
} as const;

type Key = keyof (typeof copy)['pt-BR'];
const fill = (s: string, vars: Record<string, string>) => s.replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? '');

function AccountMessage({ model }: { model: AccountEmailModel }) {
  const t = (k: Key) =>
    fill(copy[model.lang][k], {
      name: model.name,
      email: model.email,
      role: model.roleLabel,
      validity: model.validity,
    });
  const invitation = model.kind === 'invitation';
  const title = t(invitation ? 'invitationTitle' : 'resetTitle');
  return (
    <Html lang={model.lang}>
      <Head />
      <Preview>{title}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Text style={styles.brand}>Ouvidor</Text>
          <Heading as="h1" style={styles.heading}>
            {title}
          </Heading>
          <Text style={styles.text}>{t('greeting')}</Text>
          <Text style={styles.text}>{t(invitation ? 'invitationIntro' : 'resetIntro')}</Text>
          <Section style={{ margin: '16px 0' }}>
            <Button href={model.link} style={styles.button}>
              {t(invitation ? 'invitationAction' : 'resetAction')}
            </Button>
          </Section>
          <Text style={styles.text}>{model.link}</Text>
          <Text style={styles.text}>{t('validity')}</Text>
          <Text style={styles.text}>{t('ignore')}</Text>
          <Hr />
          <Text style={styles.footer}>{t('footer')}</Text>
        </Container>
      </Body>
    </Html>
  );
}

/** Subject, HTML and plain text of an account message (everything inserted is escaped by React). */
export async function renderAccountEmail(
  model: AccountEmailModel,
): Promise<{ subject: string; html: string; text: string }> {
  const html = await render(createElement(AccountMessage, { model }));
  const c = copy[model.lang];
  return {
    subject: model.kind === 'invitation' ? c.invitationSubject : c.resetSubject,
    html,
    text: toPlainText(html),
  };
}
