// Parsing one raw RFC 822 message for the pipeline: mailparser's simpleParser, then every string of the
// result (subject, text, html, names, addresses, header lines, attachment file names) through
// normalizeText (api/text.ts), so no NUL or control character from a message reaches a case or the
// database.
import { type ParsedMail, simpleParser } from 'mailparser';
import { normalizeDeep } from '../text.ts';

export async function parseMail(raw: Buffer): Promise<ParsedMail> {
  return normalizeDeep(await simpleParser(raw, { skipImageLinks: true }));
}
