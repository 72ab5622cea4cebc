// E-mails name the status as the organisation does (issue 10 item 5): the notify activity puts the
// administered display name in the model (statusName); without it the built-in label is used.
import { describe, expect, it } from 'vitest';
import { emailSubject } from '../../views/emails/index.ts';
import type { EmailModel } from '../../views/emails/model.ts';

const model = { lang: 'pt-BR', protocol: 'OUV-2026-000001', status: 'in_progress' } as EmailModel;

describe('status names in e-mail', () => {
  it('uses the administered name when there is one, the built-in label otherwise', () => {
    expect(emailSubject('status', { ...model, statusName: 'Em análise' })).toBe(
      '[OUV-2026-000001] Situação atualizada: Em análise',
    );
    expect(emailSubject('status', model)).toBe('[OUV-2026-000001] Situação atualizada: Em atendimento');
  });
});
