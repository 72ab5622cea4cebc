// Quote and signature stripping for the clients citizens really use, and Ouvidor's own text and secrets
// scrubbed from anything that comes back in. The .eml cases are the shared real-world set.
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import {
  ownLines,
  removedAddress,
  removedCode,
  removedLink,
  scrubOwnText,
} from '../../api/inbound/own-text.ts';
import { splitForward, visibleText } from '../../api/inbound/quote.ts';
import { loadMailCase } from '../email/fixtures.ts';

const textOf = async (name: string) => (await simpleParser(loadMailCase(name))).text ?? '';

describe('the reply text of real mail cases', () => {
  it('cuts an Outlook pt-BR quote whose De: line has only a name, before "Enviada em:"', async () => {
    expect(visibleText(await textOf('01-outlook-ptbr-enviada-em.eml'))).toBe(
      'O buraco continua lá, ninguém apareceu.',
    );
  });

  it('drops "Enviado do meu iPhone" and the Apple Mail quote below it', async () => {
    expect(visibleText(await textOf('03-iphone-signature.eml'))).toBe('O buraco continua lá.');
  });

  it('drops "Enviado do meu Android" and the Gmail quote with the receipt', async () => {
    expect(visibleText(await textOf('28-android-ptbr-signature.eml'))).toBe(
      'O buraco fica bem na frente da padaria, do lado do poste 35.',
    );
  });

  it('keeps the closing of an Outlook/Exchange reply and cuts the underscore-line quote', async () => {
    expect(visibleText(await textOf('29-outlook-thread-index-only.eml'))).toBe(
      'Bom dia,\n\nComplementando: o buraco já tem quase um metro de largura.\n\nAtenciosamente,\nPaulo',
    );
  });

  it("cuts a Gmail quote of the citizen's own first message", async () => {
    expect(visibleText(await textOf('05-followup-inreplyto-own-message.eml'))).toBe(
      'Esqueci de dizer: o buraco fica em frente à padaria, e já tem água parada.',
    );
  });

  it('keeps the signature-free text of the HEIC reply', async () => {
    expect(visibleText(await textOf('30-iphone-heic-attachment.eml'))).toBe(
      'Seguem as fotos do buraco tiradas agora.',
    );
  });
});

const reply = 'Ainda não resolveram o problema.';
const receipt = 'Sua manifestação foi registrada.\nProtocolo OUV-2026-000123';

describe('quote headers of the common clients, in pt-BR, en and es', () => {
  const cases: Array<[string, string]> = [
    [
      'Gmail pt-BR',
      `${reply}\n\nEm qua., 3 de jan. de 2024 às 10:00, Ouvidoria <ouvidoria@x.gov.br>\nescreveu:\n\n> ${receipt}`,
    ],
    [
      'Gmail en',
      `${reply}\n\nOn Wed, Jan 3, 2024 at 10:00 AM Ouvidoria <ouvidoria@x.gov.br> wrote:\n> ${receipt}`,
    ],
    [
      'Gmail es',
      `${reply}\n\nEl mié, 3 ene 2024 a las 10:00, Ouvidoria (<ouvidoria@x.gov.br>) escribió:\n> ${receipt}`,
    ],
    [
      'Apple Mail en',
      `${reply}\n\nSent from my iPhone\n\n> On Jan 3, 2024, at 10:00, Ouvidoria <o@x.gov.br> wrote:\n> ${receipt}`,
    ],
    ['Thunderbird pt-BR', `${reply}\n\nEm 03/01/2024 10:00, Ouvidoria escreveu:\n> ${receipt}`],
    ['Thunderbird en', `${reply}\n\nOn 03/01/2024 10:00, Ouvidoria wrote:\n> ${receipt}`],
    [
      'Outlook desktop en',
      `${reply}\n\nFrom: Ouvidoria\nSent: Wednesday, January 3, 2024 10:00 AM\nTo: Maria\nSubject: Case\n\n${receipt}`,
    ],
    [
      'Outlook desktop es',
      `${reply}\n\nDe: Ouvidoria\nEnviado el: miércoles, 3 de enero de 2024 10:00\nPara: Maria\nAsunto: Caso\n\n${receipt}`,
    ],
    [
      'Outlook web pt-BR',
      `${reply}\n\n________________________________\nDe: Ouvidoria <o@x.gov.br>\nEnviado: quarta-feira, 3 de janeiro de 2024 10:00\nPara: Maria\n\n${receipt}`,
    ],
    [
      'Outlook mobile en',
      `${reply}\n\nGet Outlook for Android\n________________________________\nFrom: Ouvidoria <o@x.gov.br>\nSent: Wednesday, January 3, 2024 10:00:00 AM\n\n${receipt}`,
    ],
    [
      'Outlook mobile pt-BR',
      `${reply}\n\nObter o Outlook para Android\n\nDe: Ouvidoria\nEnviado: Wednesday, January 3, 2024 10:00:00 AM\n${receipt}`,
    ],
    [
      'Outlook bold markers',
      `${reply}\n\n*De:* Ouvidoria\n*Enviada em:* quarta-feira, 3 de janeiro de 2024 10:00\n${receipt}`,
    ],
    ['Original Message separator', `${reply}\n\n-----Mensagem original-----\nDe: Ouvidoria\n${receipt}`],
    [
      'Samsung pt-BR',
      `${reply}\n\nEnviado do meu smartphone Galaxy.\n\n-------- Mensagem original --------\nDe: Ouvidoria <o@x.gov.br>\nData: 03/01/2024 10:00 (GMT-03:00)\n${receipt}`,
    ],
    [
      'Yahoo pt-BR glued',
      `${reply}\n\nEnviado do Yahoo Mail no Android\n\n  Em qua, 3 jan 2024 às 10:00, Ouvidoria<o@x.gov.br> escreveu:  ${receipt}`,
    ],
    [
      'Yahoo en glued, no signature',
      `${reply}\n\n    On Wednesday, January 3, 2024, 10:00:00 AM GMT-3, Ouvidoria <o@x.gov.br> wrote:Sua manifestação foi registrada.`,
    ],
    [
      'Yahoo es',
      `${reply}\n\nEnviado desde Yahoo Mail para Android\n\nEl mié., 3 de ene. de 2024 a la(s) 10:00, Ouvidoria<o@x.gov.br> escribió: ${receipt}`,
    ],
    ['device signature es', `${reply}\n\nEnviado desde mi iPhone\n\n> ${receipt}`],
  ];
  for (const [client, text] of cases) {
    it(`${client}: only the reply remains`, () => {
      expect(visibleText(text)).toBe(reply);
    });
  }

  it('keeps a line that merely mentions writing, with no date (not a quote header)', () => {
    const text = 'Em resposta ao que a empresa escreveu: não concordo.\nQuero uma solução.';
    expect(visibleText(text)).toBe(text);
  });

  it('answers empty when the message is only quoted history (never our quoted text)', () => {
    expect(visibleText(receipt.replace(/^/gm, '> '))).toBe('');
  });
});

describe('forwarded evidence', () => {
  it("splits the citizen's note from the forwarded Gmail message, headers included", async () => {
    const split = splitForward(await textOf('27-forwarded-evidence-new-case.eml'), 'Fwd: Resposta');
    expect(split?.note).toBe('Vejam abaixo a resposta da concessionária. Quero registrar reclamação.');
    expect(split?.forwarded).toContain(
      'De: Atendimento Concessionária <atendimento@concessionaria.example.com>',
    );
    expect(split?.forwarded).toContain('taxa de R$ 350,00');
    expect(split?.forwarded).toContain('Protocolo da concessionária: 2024-000991.');
  });

  it('recognises an Outlook forward (ENC:) by its header block', () => {
    const text =
      'Veja o que me mandaram.\n\nDe: Loja <sac@loja.example>\nEnviado: segunda-feira\nAssunto: Pedido\n\nSeu pedido foi cancelado.';
    expect(splitForward(text, 'ENC: Pedido')).toEqual({
      note: 'Veja o que me mandaram.',
      forwarded:
        'De: Loja <sac@loja.example>\nEnviado: segunda-feira\nAssunto: Pedido\n\nSeu pedido foi cancelado.',
    });
  });

  it('finds no forward in a plain message', () => {
    expect(splitForward('Há um buraco na rua.', 'Buraco')).toBeNull();
  });
});

describe("Ouvidor's own text and secrets in inbound text", () => {
  const sent = [
    'Ouvidoria · Protocolo OUV-2026-000123\n\nMANIFESTAÇÃO REGISTRADA\n\nRecebemos sua manifestação e ela já tem um número de protocolo.\nSeu código de acesso (guarde-o junto com o protocolo): K7PD-9QXM-ABCD',
  ];

  it('removes access codes, follow links and reply addresses wherever they appear', () => {
    const text =
      'Meu código é K7PD-9QXM-ABCD, link http://ouvidor.example/acompanhar/OUV-2026-000123/link?t=abcdefghijklmnopqrstuvwxyz234567 e respondi para reply+abcdefghijklmnopqrstuvwxyz234567@ouvidor.example';
    expect(scrubOwnText(text)).toBe(
      `Meu código é ${removedCode}, link ${removedLink} e respondi para ${removedAddress}`,
    );
  });

  it("removes the lines of the receipt we sent, quoted or not, and keeps the citizen's words", () => {
    const text =
      'O buraco continua lá.\n\n> Recebemos sua manifestação e ela já tem um número de protocolo.\nSeu código de acesso (guarde-o junto com o protocolo): K7PD-9QXM-ABCD';
    expect(scrubOwnText(text, ownLines(sent))).toBe('O buraco continua lá.');
  });
});

describe('unpacking attachments', () => {
  it('leaves String.prototype.replaceAll built-in after loading node-tnef (it replaces it process-wide)', async () => {
    await import('../../api/inbound/unpack.ts');
    expect('Thread-Topic: [OUV-2026-000001] a.b'.replaceAll('[OUV-2026-000001] ', '')).toBe(
      'Thread-Topic: a.b',
    );
    expect('a.b.c'.replaceAll('.', '')).toBe('abc');
  });
});
