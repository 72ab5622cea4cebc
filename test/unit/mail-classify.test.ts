// Automatic answers never pass as the citizen: headers first, then subjects in pt-BR, en and es.
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { classify, isAutoReplySubject } from '../../api/inbound/classify.ts';
import { loadMailCase } from '../email/fixtures.ts';

const input = (subject: string, headers: Record<string, string> = {}) => ({
  header: (name: string) => headers[name.toLowerCase()],
  envelopeFrom: 'cidada@example.org',
  from: 'cidada@example.org',
  subject,
  contentType: 'text/plain',
  ourDomain: 'ouvidor.test',
  ourAddresses: ['ouvidoria@ouvidor.test'],
});

describe('automatic answers', () => {
  it('recognises the shared case "Automated Response: Re: [protocol] …" by its subject alone', async () => {
    const parsed = await simpleParser(loadMailCase('10-automated-response-subject.eml'));
    expect(classify(input(parsed.subject ?? ''))).toEqual({
      classification: 'auto_reply',
      reason: 'assunto de resposta automática',
    });
  });

  const subjects = [
    'Resposta automática: Re: [OUV-2026-000001] Manifestação registrada',
    'Resposta Automática: Manifestação registrada',
    'Mensagem automática - não responda',
    'Aviso de ausência',
    'Fora do escritório: Re: sua manifestação',
    'Estou de férias até 10/01',
    'Automatic reply: Case registered',
    'Auto: Manifestação registrada',
    'AUTO: Out of office',
    'Out of Office: Re: [OUV-2026-000001]',
    'Autoreply: your message',
    'Auto-Reply: Re: protocol',
    '[EXTERNO] Resposta automática: Re: Manifestação',
    'Respuesta automática: Re: Manifestação registrada',
    'Fuera de la oficina',
    'Mensaje automático',
    'Aviso de ausencia: Re: caso',
  ];
  for (const subject of subjects) {
    it(`"${subject}" is an automatic answer`, () => {
      expect(isAutoReplySubject(subject)).toBe(true);
    });
  }

  const citizens = [
    'Férias do servidor sem autorização',
    'Ausente o médico no posto de saúde',
    'Re: [OUV-2026-000001] Manifestação registrada',
    'Buraco na Rua das Flores',
    'Reclamação: resposta automática do 156 não resolve',
  ];
  for (const subject of citizens) {
    it(`"${subject}" is the citizen writing`, () => {
      expect(isAutoReplySubject(subject)).toBe(false);
      expect(classify(input(subject)).classification).toBe('personal');
    });
  }

  const headerCases: Array<[Record<string, string>, string]> = [
    [{ 'auto-submitted': 'auto-replied' }, 'auto_reply'],
    [{ 'x-autoreply': 'yes' }, 'auto_reply'],
    [{ 'x-autorespond': 'Vacation' }, 'auto_reply'],
    [{ 'x-auto-response-suppress': 'All' }, 'auto_reply'],
    [{ precedence: 'auto_reply' }, 'auto_reply'],
    [{ precedence: 'bulk' }, 'bulk'],
    [{ 'list-unsubscribe': '<mailto:x@lists.example>' }, 'bulk'],
    [{ 'list-post': '<mailto:x@lists.example>' }, 'bulk'],
  ];
  for (const [headers, expected] of headerCases) {
    it(`a plain subject with ${Object.keys(headers)[0]} is ${expected}`, () => {
      expect(classify(input('Re: sua manifestação', headers)).classification).toBe(expected);
    });
  }
});
