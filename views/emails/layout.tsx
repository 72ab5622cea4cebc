/** @jsxImportSource react */
// Shared frame of every e-mail: header with the protocol, body, footer. Inline styles (mail clients).
import { Body, Container, Head, Heading, Hr, Html, Preview, Section, Text } from '@react-email/components';
import type { ReactNode } from 'react';
import type { EmailModel } from './model.ts';
import { emailText } from './strings.ts';

export const styles = {
  body: { backgroundColor: '#f4f5f7', fontFamily: 'Arial, Helvetica, sans-serif', color: '#1b1b1b' },
  container: { backgroundColor: '#ffffff', margin: '24px auto', padding: '24px', maxWidth: '600px' },
  brand: { fontSize: '14px', color: '#5c5c5c', margin: '0 0 8px' },
  heading: { fontSize: '22px', margin: '0 0 16px', color: '#1351b4' },
  text: { fontSize: '16px', lineHeight: '24px', margin: '0 0 12px' },
  quote: {
    fontSize: '16px',
    lineHeight: '24px',
    margin: '0 0 16px',
    padding: '12px 16px',
    backgroundColor: '#f0f4fb',
    borderLeft: '4px solid #1351b4',
    whiteSpace: 'pre-wrap' as const,
  },
  meta: { fontSize: '14px', lineHeight: '20px', margin: '0 0 4px', color: '#333333' },
  button: {
    backgroundColor: '#1351b4',
    color: '#ffffff',
    padding: '12px 20px',
    borderRadius: '4px',
    fontSize: '16px',
    textDecoration: 'none',
    display: 'inline-block',
    margin: '0 8px 8px 0',
  },
  footer: { fontSize: '12px', lineHeight: '18px', color: '#5c5c5c', margin: '0' },
};

export function Layout(props: { model: EmailModel; title: string; staff?: boolean; children: ReactNode }) {
  const t = emailText(props.model.lang);
  return (
    <Html lang={props.model.lang}>
      <Head />
      <Preview>{`${props.model.protocol} — ${props.title}`}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Text style={styles.brand}>
            {props.staff ? 'Ouvidor' : 'Ouvidoria'} · {t('protocol')} {props.model.protocol}
          </Text>
          <Heading as="h1" style={styles.heading}>
            {props.title}
          </Heading>
          <Text style={styles.text}>
            {props.model.recipientName
              ? t('greetingNamed', { name: props.model.recipientName })
              : t('greeting')}
            ,
          </Text>
          <Section>{props.children}</Section>
          <Hr />
          <Text style={styles.footer}>{props.staff ? t('footerStaff') : t('footerAuto')}</Text>
        </Container>
      </Body>
    </Html>
  );
}

export function Meta(props: { label: string; value: string | null | undefined }) {
  if (!props.value) return null;
  return (
    <Text style={styles.meta}>
      <strong>{props.label}:</strong> {props.value}
    </Text>
  );
}

export function Quote(props: { children: ReactNode }) {
  return <Text style={styles.quote}>{props.children}</Text>;
}
