// The LGPD export as a readable PDF (art. 18 II/V): the same data as the JSON export, laid out for a person
// to read, rendered by the shared PDF helper (api/pdf: @react-pdf/renderer in a worker thread).
import { translator } from '../../views/i18n.ts';
import type { PdfBlock, PdfDocument } from '../pdf/render.ts';
import type { exportFor } from './data.ts';

type Export = Awaited<ReturnType<typeof exportFor>>;
type ExportedCase = {
  protocol: string;
  kind: string;
  status: string;
  subject: string;
  description?: string;
  receivedAt: string;
  dueAt?: string | null;
  answer?: string | null;
  timeline?: { at: string; type: string; data: Record<string, unknown> }[];
};

/** The export as a PdfDocument (pt-BR), dates in `timezone`. */
export function exportPdfDocument(data: Export, timezone: string): PdfDocument {
  const t = translator('pt-BR');
  const when = (iso: string | null | undefined) =>
    iso
      ? new Date(iso).toLocaleString('pt-BR', { timeZone: timezone, dateStyle: 'short', timeStyle: 'short' })
      : '—';
  const p = data.person;
  const blocks: PdfBlock[] = [
    {
      type: 'paragraph',
      text: `Titular: ${data.account.email}. Exportado em ${when(data.exportedAt)}. ${data.legalBasis}.`,
    },
    { type: 'heading', text: 'Seus dados cadastrais' },
    {
      type: 'table',
      headers: ['Campo', 'Valor'],
      widths: [1, 3],
      rows: [
        ['Nome', p?.name ?? data.account.name ?? '—'],
        ['E-mail', p?.email ?? data.account.email],
        ['Telefone', p?.phone ?? '—'],
        ['CPF', p?.cpf ?? '—'],
        ['Endereço', p?.address ?? '—'],
        ['Idioma', p?.language ?? 'pt-BR'],
        ['Atendimento VIP', p?.vip ? `Sim (${p.vipReason ?? ''})` : 'Não'],
      ],
    },
  ];
  if (data.company) {
    const c = data.company;
    blocks.push({ type: 'heading', text: 'Sua empresa' });
    blocks.push({
      type: 'table',
      headers: ['Campo', 'Valor'],
      widths: [1, 3],
      rows: [
        ['Razão social', c.legalName],
        ['Nome fantasia', c.tradeName ?? '—'],
        ['CNPJ', c.cnpj ?? '—'],
        ['E-mail', c.email ?? '—'],
        ['Telefone', c.phone ?? '—'],
      ],
    });
  }
  const cases = data.cases as ExportedCase[];
  blocks.push({ type: 'heading', text: `Suas manifestações (${cases.length})` });
  if (!cases.length) blocks.push({ type: 'paragraph', text: 'Nenhuma manifestação.' });
  for (const c of cases) {
    blocks.push({ type: 'heading', level: 2, text: `${c.protocol} — ${c.subject}` });
    blocks.push({
      type: 'list',
      items: [
        `Tipo: ${t(`kind.${c.kind}`, c.kind)}`,
        `Situação: ${t(`status.${c.status}`, c.status)}`,
        `Recebida em: ${when(c.receivedAt)}`,
        `Prazo: ${when(c.dueAt)}`,
      ],
    });
    if (c.description) blocks.push({ type: 'paragraph', text: c.description });
    if (c.answer) blocks.push({ type: 'paragraph', text: `Resposta: ${c.answer}` });
    if (c.timeline?.length)
      blocks.push({
        type: 'table',
        headers: ['Quando', 'O que aconteceu'],
        widths: [1, 3],
        rows: c.timeline.map((e) => [when(e.at), t(`event.${e.type}`, e.type)]),
      });
  }
  return {
    title: 'Seus dados pessoais e manifestações',
    subtitle: 'Lei Geral de Proteção de Dados (Lei 13.709/2018), art. 18',
    author: 'Ouvidor',
    footer: `Gerado em ${when(data.exportedAt)} para ${data.account.email}`,
    language: 'pt-BR',
    blocks,
  };
}
