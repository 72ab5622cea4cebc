// What the e-mail doors need beyond AppDeps: mail settings and the attachment store (disk or S3).
// Derived from the environment on first use (config/env.ts, with the app's secret and public URL); tests
// configure them.
import { type MailSettings, mailSettingsFromEnv } from '../../activities/email/settings.ts';
import { s3Store } from '../../activities/storage/s3.ts';
import { type AttachmentStore, diskStore } from '../../activities/storage/store.ts';
import { loadEnv } from '../../config/env.ts';
import type { AppDeps } from '../types.ts';

export type EmailContext = { deps: AppDeps; mail: MailSettings; store: AttachmentStore };

const contexts = new WeakMap<AppDeps, EmailContext>();

/** Where attachment bytes go: S3-compatible storage when configured, else the disk under DATA_DIR. */
export function attachmentStoreFor(mail: Pick<MailSettings, 'attachments' | 's3'>): AttachmentStore {
  return mail.s3 ? s3Store(mail.s3) : diskStore(mail.attachments.dir);
}

export function configureEmail(deps: AppDeps, mail: MailSettings, store?: AttachmentStore): EmailContext {
  const ctx = { deps, mail, store: store ?? attachmentStoreFor(mail) };
  contexts.set(deps, ctx);
  return ctx;
}

export function emailContext(deps: AppDeps): EmailContext {
  const known = contexts.get(deps);
  if (known) return known;
  const mail = mailSettingsFromEnv(loadEnv(), { secret: deps.secret, publicUrl: deps.publicUrl });
  return configureEmail(deps, mail);
}
