// The real-world mail cases (test/fixtures/mail, copied from the shared case set): load one and fill its
// placeholders ({{PROTOCOL}}, {{TOKEN}}, {{MSGID}}, {{BASEID}}, {{UNIQ}}, and the intake address).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const dir = path.join(import.meta.dirname, '..', 'fixtures', 'mail');

export type FixtureValues = {
  protocol?: string;
  token?: string;
  msgid?: string;
  baseid?: string;
  uniq?: string;
  /** replaces ouvidoria@localhost (the intake address of the templates) */
  intake?: string;
  /** replaces the template's From: address */
  from?: string;
};

/** The raw text of `name` (e.g. '01-outlook-ptbr-enviada-em.eml') with its placeholders filled, CRLF. */
export function loadMailCase(name: string, v: FixtureValues = {}): string {
  let raw = readFileSync(path.join(dir, name), 'utf8');
  const original = /^From:.*<([^>]+)>/m.exec(raw)?.[1];
  raw = raw
    .replaceAll('{{PROTOCOL}}', v.protocol ?? 'OUV-2026-000001')
    .replaceAll('{{TOKEN}}', v.token ?? 'reply+abcdefghijklmnopqrstuvwxyz234567@localhost')
    .replaceAll('{{MSGID}}', v.msgid ?? '<receipt@localhost>')
    .replaceAll('{{BASEID}}', v.baseid ?? '<base@example.org>')
    .replaceAll('{{UNIQ}}', v.uniq ?? randomBytes(6).toString('hex'));
  if (v.intake) raw = raw.replaceAll('ouvidoria@localhost', v.intake);
  if (v.from && original) raw = raw.replaceAll(original, v.from);
  return raw.replace(/\r?\n/g, '\r\n');
}
