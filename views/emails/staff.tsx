/** @jsxImportSource react */
// Messages to staff: new case for the group, forwarded to a unit, deadline warning, escalation, and a
// generic "new entry in the history" (citizen replied, e-mail received, answer rejected...).
// The reporter is shown only when the model carries it (never for units when identity is preserved).
import { Button, Section, Text } from '@react-email/components';
import { formatDate, formatDateTime, translator } from '../i18n.ts';
import { Layout, Meta, Quote, styles } from './layout.tsx';
import type { EmailModel } from './model.ts';
import { emailText } from './strings.ts';

function Facts({ model }: { model: EmailModel }) {
  const t = emailText(model.lang);
  const label = translator(model.lang);
  const reporter = model.reporter
    ? [model.reporter.name, model.reporter.email ? `<${model.reporter.email}>` : ''].join(' ').trim()
    : label(`identity.${model.identity}`, t('reporterHidden'));
  return (
    <Section>
      <Meta label={t('protocol')} value={model.protocol} />
      <Meta label={t('subjectLabel')} value={model.caseSubject} />
      <Meta label={t('kindLabel')} value={label(`kind.${model.kind}`, model.kind)} />
      <Meta
        label={t('statusLabel')}
        value={model.statusName ?? label(`status.${model.status}`, model.status)}
      />
      <Meta label={t('channel')} value={label(`channel.${model.channel}`, model.channel)} />
      <Meta label={t('reporter')} value={reporter} />
      <Meta
        label={t('dueLabel')}
        value={model.dueAt ? formatDate(model.dueAt, model.lang, model.timeZone) : null}
      />
    </Section>
  );
}

function OpenCase({ model }: { model: EmailModel }) {
  return (
    <Section style={{ margin: '16px 0' }}>
      <Button href={model.links.staffCase} style={styles.button}>
        {emailText(model.lang)('openCase')}
      </Button>
    </Section>
  );
}

export function StaffNewCase({ model }: { model: EmailModel }) {
  const t = emailText(model.lang);
  return (
    <Layout model={model} staff title={t('staff.newCase.subject', { subject: model.caseSubject })}>
      <Text style={styles.text}>{t('staff.newCase.intro')}</Text>
      <Facts model={model} />
      {model.description ? <Quote>{model.description}</Quote> : null}
      <OpenCase model={model} />
    </Layout>
  );
}

export function StaffForwarded({ model }: { model: EmailModel }) {
  const t = emailText(model.lang);
  return (
    <Layout
      model={model}
      staff
      title={`${t('staff.forwarded.subject')}${model.units.length ? `: ${model.units.join(', ')}` : ''}`}
    >
      <Text style={styles.text}>{t('staff.forwarded.intro')}</Text>
      <Meta label={t('staff.forwarded.instructions')} value={model.text} />
      <Meta
        label={t('staff.forwarded.unitDue')}
        value={model.date ? formatDate(model.date, model.lang, model.timeZone) : null}
      />
      <Facts model={model} />
      {model.description ? <Quote>{model.description}</Quote> : null}
      <OpenCase model={model} />
    </Layout>
  );
}

export function StaffSlaWarning({ model }: { model: EmailModel }) {
  const t = emailText(model.lang);
  return (
    <Layout model={model} staff title={t('staff.warning.subject')}>
      <Text style={styles.text}>{t('staff.warning.intro')}</Text>
      <Facts model={model} />
      <OpenCase model={model} />
    </Layout>
  );
}

export function StaffEscalated({ model }: { model: EmailModel }) {
  const t = emailText(model.lang);
  return (
    <Layout model={model} staff title={t('staff.escalated.subject')}>
      <Text style={styles.text}>{t('staff.escalated.intro')}</Text>
      {model.text ? <Quote>{model.text}</Quote> : null}
      <Facts model={model} />
      <OpenCase model={model} />
    </Layout>
  );
}

export function StaffUpdate({ model }: { model: EmailModel }) {
  const t = emailText(model.lang);
  const label = translator(model.lang);
  return (
    <Layout model={model} staff title={label(`event.${model.eventType}`, model.eventType)}>
      <Text style={styles.text}>
        {t('staff.update.intro')} {label(`event.${model.eventType}`, model.eventType)}
        {model.date ? ` (${formatDateTime(model.date, model.lang, model.timeZone)})` : ''}
      </Text>
      {model.text ? <Quote>{model.text}</Quote> : null}
      <Facts model={model} />
      <OpenCase model={model} />
    </Layout>
  );
}
