/** @jsxImportSource react */
// Messages to the citizen: receipt, status change, request for complementation, answer, deadline
// extension, closing with the satisfaction survey. The receipt carries the access code (derived, see
// config/access-code.ts); every message carries the citizen's signed follow link
// (activities/email/follow-link.ts).
import { Button, Section, Text } from '@react-email/components';
import { formatDate, formatDateTime, translator } from '../i18n.ts';
import { Layout, Meta, Quote, styles } from './layout.tsx';
import type { EmailModel } from './model.ts';
import { emailText } from './strings.ts';

function CaseFacts({ model }: { model: EmailModel }) {
  const t = emailText(model.lang);
  const label = translator(model.lang);
  return (
    <Section>
      <Meta label={t('protocol')} value={model.protocol} />
      <Meta label={t('subjectLabel')} value={model.caseSubject} />
      <Meta label={t('kindLabel')} value={label(`kind.${model.kind}`, model.kind)} />
      <Meta
        label={t('statusLabel')}
        value={model.statusName ?? label(`status.${model.status}`, model.status)}
      />
      <Meta
        label={t('dueLabel')}
        value={model.dueAt ? formatDate(model.dueAt, model.lang, model.timeZone) : null}
      />
    </Section>
  );
}

/** The personal, signed follow link (opens the case page without the access code). */
function Follow({ model }: { model: EmailModel }) {
  const t = emailText(model.lang);
  return (
    <Section style={{ margin: '16px 0' }}>
      <Button href={model.links.follow} style={styles.button}>
        {t('followButton')}
      </Button>
      <Text style={styles.meta}>{t('followHint')}</Text>
    </Section>
  );
}

export function Receipt({ model }: { model: EmailModel }) {
  const t = emailText(model.lang);
  return (
    <Layout model={model} title={t('receipt.subject')}>
      <Text style={styles.text}>{t('receipt.intro')}</Text>
      <CaseFacts model={model} />
      {model.accessCode ? (
        <Text style={styles.text}>
          <strong>{t('receipt.accessCode', { code: model.accessCode })}</strong>
        </Text>
      ) : null}
      <Text style={styles.text}>{t('receipt.code')}</Text>
      <Follow model={model} />
    </Layout>
  );
}

export function StatusChange({ model }: { model: EmailModel }) {
  const t = emailText(model.lang);
  const label = translator(model.lang);
  return (
    <Layout
      model={model}
      title={t('status.subject', {
        status: model.statusName ?? label(`status.${model.status}`, model.status),
      })}
    >
      <Text style={styles.text}>
        {t(
          model.eventType === 'forwarded' || model.eventType === 'assigned'
            ? `status.intro.${model.eventType}`
            : 'status.intro',
        )}
      </Text>
      {model.text ? <Quote>{model.text}</Quote> : null}
      <CaseFacts model={model} />
      <Follow model={model} />
    </Layout>
  );
}

/** Files of the citizen's e-mail that Ouvidor could not keep, and why (the evidence is not on the case). */
export function AttachmentRefused({ model }: { model: EmailModel }) {
  const t = emailText(model.lang);
  return (
    <Layout model={model} title={t('refused.subject')}>
      <Text style={styles.text}>{t('refused.intro')}</Text>
      {model.text ? <Quote>{model.text}</Quote> : null}
      <Text style={styles.text}>{t('refused.how')}</Text>
      <CaseFacts model={model} />
      <Follow model={model} />
    </Layout>
  );
}

export function InfoRequest({ model }: { model: EmailModel }) {
  const t = emailText(model.lang);
  return (
    <Layout model={model} title={t('info.subject')}>
      <Text style={styles.text}>{t('info.intro')}</Text>
      <Quote>{model.text ?? ''}</Quote>
      {model.date ? (
        <Text style={styles.text}>
          {t('info.deadline', { date: formatDateTime(model.date, model.lang, model.timeZone) })}
        </Text>
      ) : null}
      <Text style={styles.text}>{t('info.how')}</Text>
      <CaseFacts model={model} />
      <Follow model={model} />
    </Layout>
  );
}

export function Answer({ model }: { model: EmailModel }) {
  const t = emailText(model.lang);
  return (
    <Layout model={model} title={t('answer.subject')}>
      <Text style={styles.text}>{t('answer.intro')}</Text>
      <Quote>{model.text ?? ''}</Quote>
      <Text style={styles.text}>{t('answer.ask')}</Text>
      {(
        [
          [model.links.accept, t('answer.accept')],
          [model.links.reject, t('answer.reject')],
          [model.links.rate, t('answer.rate')],
        ] as const
      ).map(([href, label]) => (
        <Section key={href} style={{ margin: '8px 0' }}>
          <Button href={href} style={styles.button}>
            {label}
          </Button>
        </Section>
      ))}
      <CaseFacts model={model} />
      <Follow model={model} />
    </Layout>
  );
}

export function DeadlineExtended({ model }: { model: EmailModel }) {
  const t = emailText(model.lang);
  return (
    <Layout model={model} title={t('extended.subject')}>
      <Text style={styles.text}>{t('extended.intro')}</Text>
      <Meta label={t('extended.reason')} value={model.text} />
      <Meta
        label={t('extended.newDue')}
        value={formatDate(model.date ?? model.dueAt, model.lang, model.timeZone)}
      />
      <CaseFacts model={model} />
      <Follow model={model} />
    </Layout>
  );
}

export function Closed({ model }: { model: EmailModel }) {
  const t = emailText(model.lang);
  return (
    <Layout model={model} title={t('closed.subject')}>
      <Text style={styles.text}>{t('closed.intro')}</Text>
      <Meta label={t('closed.reason')} value={model.text} />
      <Text style={styles.text}>{t('closed.survey')}</Text>
      <Section style={{ margin: '16px 0' }}>
        <Button href={model.links.rate} style={styles.button}>
          {t('closed.surveyButton')}
        </Button>
      </Section>
      <CaseFacts model={model} />
      <Follow model={model} />
    </Layout>
  );
}
