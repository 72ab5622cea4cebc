// The management and annual reports as PDF documents (api/pdf) and the annual report's tables as CSV.
// Texts in pt-BR (the language of the published report); numbers formatted for pt-BR.
import { stringify } from 'csv-stringify/sync';
import type { AnnualFigures, AnnualNarrative } from '../../db/queries/reports/annual.ts';
import type { ManagementReport } from '../../db/queries/reports/management.ts';
import { formatPeriod, translator } from '../../views/i18n.ts';
import type { PdfBlock, PdfDocument } from '../pdf/render.ts';

const pt = translator('pt-BR');
const nf = new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 1 });
const fmt = (v: number | null | undefined, suffix = '') =>
  v === null || v === undefined ? '—' : `${nf.format(v)}${suffix}`;
const signed = (v: number | null) => (v === null ? 'novo' : `${v > 0 ? '+' : ''}${nf.format(v)}%`);
const brDate = (d: string) => formatPeriod(d, 'pt-BR');
const kindLabel = (k: string) => (k === 'total' ? 'Total' : pt(`kind.${k}`, k));

export type Organisation = { name: string; logo?: PdfDocument['logo'] };

/** The management report as a PDF document (one page for a usual month). */
export function managementPdf(r: ManagementReport, org: Organisation, generatedAt: string): PdfDocument {
  const blocks: PdfBlock[] = [
    {
      type: 'figures',
      items: [
        {
          label: `Recebidas (${signed(r.received.change)} vs. período anterior)`,
          value: fmt(r.received.current),
        },
        { label: `Respondidas (${signed(r.answered.change)})`, value: fmt(r.answered.current) },
        {
          label: `No prazo (antes: ${fmt(r.onTimePct.previous, '%')})`,
          value: fmt(r.onTimePct.current, '%'),
        },
        {
          label: `Dias até a resposta, mediana (antes: ${fmt(r.medianDays.previous)})`,
          value: fmt(r.medianDays.current),
        },
      ],
    },
    { type: 'heading', text: 'Volume no período', level: 2 },
    r.trend.length
      ? { type: 'bars', items: r.trend.map((x) => ({ label: brDate(x.period), value: x.received })) }
      : { type: 'paragraph', text: 'Nenhuma manifestação recebida no período.' },
    { type: 'heading', text: 'Assuntos mais frequentes', level: 2 },
    r.topSubjects.length
      ? {
          type: 'table',
          headers: ['Assunto', 'Recebidas', 'Período anterior', 'Variação'],
          rows: r.topSubjects.map((s) => [s.label, fmt(s.current), fmt(s.previous), signed(s.change)]),
        }
      : { type: 'paragraph', text: 'Nenhuma manifestação classificada por assunto no período.' },
    ...(r.topReasons.length
      ? ([
          { type: 'heading', text: 'Motivos mais frequentes', level: 2 },
          {
            type: 'table',
            headers: ['Motivo', 'Recebidas', 'Período anterior', 'Variação'],
            rows: r.topReasons.map((s) => [s.label, fmt(s.current), fmt(s.previous), signed(s.change)]),
          },
        ] as PdfBlock[])
      : []),
    { type: 'heading', text: 'Tipos de manifestação', level: 2 },
    {
      type: 'table',
      headers: ['Tipo', 'Recebidas', 'Período anterior', 'Variação'],
      rows: r.topKinds.map((s) => [kindLabel(s.label), fmt(s.current), fmt(s.previous), signed(s.change)]),
    },
    { type: 'heading', text: 'Unidades com mais respostas em atraso', level: 2 },
    r.lateUnits.length
      ? {
          type: 'table',
          headers: ['Unidade', 'Respondidas com atraso', 'Pendentes com prazo vencido'],
          rows: r.lateUnits.map((u) => [u.label, fmt(u.late), fmt(u.overdue)]),
        }
      : { type: 'paragraph', text: 'Nenhuma unidade respondeu com atraso no período.' },
    { type: 'heading', text: 'Satisfação', level: 2 },
    {
      type: 'paragraph',
      text: `Nota média ${fmt(r.satisfaction.average)} (de 1 a 5; período anterior ${fmt(r.satisfaction.previousAverage)}), em ${fmt(r.satisfaction.rated)} avaliações; ${fmt(r.satisfaction.resolvedYesPct, '%')} disseram que a demanda foi resolvida.`,
    },
    { type: 'heading', text: 'Medidas adotadas', level: 2 },
    r.measures.length
      ? {
          type: 'list',
          items: r.measures.map((m) => `${m.protocol}${m.topic ? ` (${m.topic})` : ''}: ${m.measure}`),
        }
      : {
          type: 'paragraph',
          text: 'Nenhuma melhoria registrada a partir das manifestações respondidas no período.',
        },
  ];
  return {
    title: 'Relatório gerencial da ouvidoria',
    subtitle: `${brDate(r.period.from)} a ${brDate(r.period.to)} (comparado com ${brDate(r.previous.from)} a ${brDate(r.previous.to)})`,
    organisation: org.name || undefined,
    logo: org.logo,
    footer: `Gerado em ${generatedAt} pelo Ouvidor`,
    blocks,
  };
}

/** The annual report (Lei 13.460/2017 arts. 14–15) as a print-quality PDF document. */
export function annualPdf(
  a: AnnualFigures,
  narrative: AnnualNarrative,
  org: Organisation,
  generatedAt: string,
): PdfDocument {
  const text = (key: string) => narrative.sections.find((s) => s.key === key)?.text ?? '';
  const prose = (key: string, title: string): PdfBlock[] => {
    const body = text(key);
    return body
      ? [
          { type: 'heading', text: title },
          ...body.split(/\n{2,}/).map((p) => ({ type: 'paragraph' as const, text: p })),
        ]
      : [];
  };
  const total = a.compliance.find((c) => c.kind === 'total');
  const blocks: PdfBlock[] = [
    ...prose('presentation', 'Apresentação'),
    { type: 'heading', text: `1. Manifestações recebidas em ${a.year}` },
    {
      type: 'figures',
      items: [
        { label: 'Recebidas', value: fmt(a.received) },
        { label: 'Respondidas', value: fmt(total?.answered ?? 0) },
        { label: 'Respondidas no prazo', value: fmt(total?.on_time_pct ?? null, '%') },
        { label: 'Dias até a resposta (mediana)', value: fmt(total?.median_days ?? null) },
      ],
    },
    { type: 'bars', items: a.byMonth.map((m) => ({ label: brDate(m.month), value: m.received })) },
    { type: 'heading', text: '2. Motivos das manifestações: por tipo', level: 2 },
    {
      type: 'table',
      headers: ['Tipo', 'Recebidas', '% do total'],
      rows: a.byKind.map((k) => [
        kindLabel(k.kind),
        fmt(k.received),
        fmt(a.received ? (100 * k.received) / a.received : null, '%'),
      ]),
    },
    { type: 'heading', text: '3. Motivos das manifestações: por tipo e assunto', level: 2 },
    {
      type: 'table',
      headers: ['Tipo', 'Assunto', 'Recebidas'],
      widths: [2, 3, 1],
      rows: a.byKindAndSubject.map((k) => [kindLabel(k.kind), k.subject, fmt(k.received)]),
    },
    { type: 'heading', text: '3.1. Motivos de abertura por tipo e assunto', level: 2 },
    a.reasons.length
      ? {
          type: 'table',
          headers: ['Tipo', 'Assunto', 'Motivo', 'Recebidas'],
          widths: [2, 3, 3, 1],
          rows: a.reasons.map((r) => [kindLabel(r.kind), r.subject, r.reason, fmt(r.received)]),
        }
      : { type: 'paragraph', text: 'Nenhuma manifestação recebida no ano.' },
    { type: 'heading', text: '4. Pontos recorrentes' },
    {
      type: 'paragraph',
      text: `Assuntos e serviços que apareceram em pelo menos 3 meses diferentes do ano, dos mais frequentes para os menos.`,
    },
    a.recurring.length
      ? {
          type: 'table',
          headers: ['Assunto', 'Serviço', 'Recebidas', 'Meses', '% do total'],
          widths: [3, 3, 1, 1, 1],
          rows: a.recurring.map((r) => [
            r.subject,
            r.item ?? '—',
            fmt(r.received),
            fmt(r.months),
            fmt(r.share, '%'),
          ]),
        }
      : { type: 'paragraph', text: 'Nenhum assunto apareceu em 3 meses ou mais.' },
    ...prose('recurring', 'Análise dos pontos recorrentes'),
    { type: 'heading', text: '5. Medidas adotadas' },
    a.measures.length
      ? { type: 'list', items: a.measures.map((m) => `${m.subject ? `${m.subject}: ` : ''}${m.measure}`) }
      : {
          type: 'paragraph',
          text: 'Nenhuma melhoria registrada a partir das manifestações respondidas no ano.',
        },
    ...prose('measures', 'Medidas adotadas e providências'),
    { type: 'heading', text: '6. Cumprimento dos prazos legais' },
    {
      type: 'paragraph',
      text: 'Prazo de 30 dias para a resposta conclusiva, prorrogável uma vez por igual período (Lei 13.460/2017, art. 16), contado pela política e pelo calendário de cada manifestação; o pedido de complementação interrompe ou suspende a contagem (Decreto 9.492/2018, art. 18).',
    },
    {
      type: 'table',
      headers: [
        'Tipo',
        'Respondidas',
        'No prazo',
        'Em atraso',
        '% no prazo',
        'Mediana (dias)',
        'P90 (dias)',
        'Prorrogadas',
      ],
      widths: [3, 1, 1, 1, 1, 1, 1, 1],
      rows: a.compliance.map((c) => [
        kindLabel(c.kind),
        fmt(c.answered),
        fmt(c.on_time),
        fmt(c.late),
        fmt(c.on_time_pct, '%'),
        fmt(c.median_days),
        fmt(c.p90_days),
        fmt(c.extended),
      ]),
    },
    ...prose('conclusion', 'Considerações finais'),
  ];
  return {
    title: `Relatório anual da ouvidoria — ${a.year}`,
    subtitle: narrative.publishedAt
      ? `Lei 13.460/2017, arts. 14 e 15 · publicado em ${narrative.publishedAt.toISOString().slice(0, 10).split('-').reverse().join('/')}`
      : 'Lei 13.460/2017, arts. 14 e 15 · minuta (não publicada)',
    organisation: org.name || undefined,
    logo: org.logo,
    footer: `Gerado em ${generatedAt} pelo Ouvidor`,
    blocks,
  };
}

/** A cell a spreadsheet would run as a formula is kept as text. */
const noFormula = (v: string | number) => (typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

/** The annual report's tables as one CSV (UTF-8 BOM, ";"): Tabela;Item;Subitem;Valor. */
export function annualCsv(a: AnnualFigures): string {
  const rows: (string | number)[][] = [['Recebidas', String(a.year), '', a.received]];
  for (const m of a.byMonth)
    rows.push(
      ['Recebidas por mês', m.month, '', m.received],
      ['Respondidas por mês', m.month, '', m.answered],
    );
  for (const k of a.byKind) rows.push(['Por tipo', kindLabel(k.kind), '', k.received]);
  for (const k of a.byKindAndSubject)
    rows.push(['Por tipo e assunto', kindLabel(k.kind), k.subject, k.received]);
  for (const r of a.reasons)
    rows.push(['Motivos por tipo e assunto', kindLabel(r.kind), `${r.subject} — ${r.reason}`, r.received]);
  for (const r of a.recurring) rows.push(['Pontos recorrentes', r.subject, r.item ?? '', r.received]);
  for (const c of a.compliance)
    rows.push(
      ['Prazo: respondidas', kindLabel(c.kind), '', c.answered],
      ['Prazo: no prazo', kindLabel(c.kind), '', c.on_time],
      ['Prazo: em atraso', kindLabel(c.kind), '', c.late],
      ['Prazo: % no prazo', kindLabel(c.kind), '', c.on_time_pct === null ? '' : nf.format(c.on_time_pct)],
      [
        'Prazo: mediana de dias',
        kindLabel(c.kind),
        '',
        c.median_days === null ? '' : nf.format(c.median_days),
      ],
    );
  for (const m of a.measures) rows.push(['Medidas adotadas', m.subject ?? '', m.measure, '']);
  return stringify(
    rows.map((r) => r.map(noFormula)),
    {
      bom: true,
      delimiter: ';',
      header: true,
      columns: ['Tabela', 'Item', 'Subitem', 'Valor'],
    },
  );
}
