// The open-data columns (Fala.BR conventions: the CSV that CGU publishes from Fala.BR — semicolon,
// one row per manifestação, Portuguese column names) and their data dictionary.
import type { PublicRow } from './suppress.ts';

export type OpenDataColumn = {
  /** column name as published (CSV header, JSON key) */
  name: string;
  /** what it holds, in pt-BR (the data dictionary) */
  description: string;
  /** the Fala.BR column it corresponds to */
  falaBr: string;
  value: (r: PublicRow) => string | number | null;
};

const yesNo = (b: boolean | null) => (b === null ? null : b ? 'Sim' : 'Não');

export const openDataColumns: OpenDataColumn[] = [
  {
    name: 'Data Registro',
    description:
      'Mês de recebimento da manifestação (AAAA-MM, fuso da organização). Publicado só o mês (regra R1).',
    falaBr: 'Data Registro (lá com o dia)',
    value: (r) => r.month,
  },
  {
    name: 'Tipo Manifestação',
    description:
      'Reclamação, Denúncia, Elogio, Sugestão, Solicitação de providência ou Pedido de informação.',
    falaBr: 'Tipo Manifestação',
    value: (r) => r.kind,
  },
  {
    name: 'Assunto',
    description: 'Assunto do catálogo em que a manifestação foi classificada; vazio se não classificada.',
    falaBr: 'Assunto',
    value: (r) => r.topic,
  },
  {
    name: 'Serviço',
    description: 'Item/serviço do catálogo; vazio se não classificado.',
    falaBr: 'Serviço',
    value: (r) => r.item,
  },
  {
    name: 'Unidade',
    description: 'Primeira unidade à qual a manifestação foi encaminhada; vazio se não encaminhada.',
    falaBr: 'Nome Órgão Destinatário (aqui, unidade interna)',
    value: (r) => r.unit,
  },
  {
    name: 'Canal',
    description: 'Canal de entrada: Internet, E-mail, Telefone, Presencial, Carta ou API.',
    falaBr: 'Canal',
    value: (r) => r.channel,
  },
  {
    name: 'Situação',
    description:
      'Situação atual: Nova, Em atendimento, Encaminhada, Aguardando complementação, Respondida, Encerrada, Aprovada ou Arquivada.',
    falaBr: 'Situação',
    value: (r) => r.status,
  },
  {
    name: 'Data Resposta',
    description: 'Mês da primeira resposta conclusiva (AAAA-MM); vazio se ainda sem resposta.',
    falaBr: 'Data Resposta',
    value: (r) => r.answerMonth,
  },
  {
    name: 'Dias para Resolução',
    description:
      'Dias corridos do recebimento à primeira resposta conclusiva, sem o tempo de espera pela complementação do cidadão, com uma casa decimal (décimos de dia, arredondados; no CSV com vírgula decimal, ex.: 3,2). As medianas da página são calculadas destes valores.',
    falaBr: 'Dias para Resolução (lá em dias inteiros; aqui em décimos de dia)',
    // Tenths of a day, not whole days: the page's medians are computed from tenths (answer-time.ts), so a
    // median recomputed from this column gives the page's figure (issue 12: the CSV matches the page).
    value: (r) => (r.answerTenths === null ? null : r.answerTenths / 10),
  },
  {
    name: 'Dias de Atraso',
    description:
      'Dias corridos entre o prazo da manifestação (com prorrogação e interrupção por complementação) e a primeira resposta; 0 se respondida no prazo.',
    falaBr: 'Dias de Atraso',
    value: (r) => r.daysLate,
  },
  {
    name: 'Respondida no Prazo',
    description:
      'Sim se a primeira resposta conclusiva veio até o prazo da própria manifestação; Não caso contrário.',
    falaBr: '(derivado de Prazo Atendimento)',
    value: (r) => yesNo(r.onTime),
  },
  {
    name: 'Satisfação',
    description: 'Nota final de 1 a 5 dada pelo cidadão depois da resposta; vazio se não avaliou.',
    falaBr: 'Satisfação (pesquisa de satisfação)',
    value: (r) => r.rating,
  },
  {
    name: 'Resolvida',
    description: 'Resposta do cidadão à pergunta "Sua demanda foi resolvida?": Sim, Parcialmente ou Não.',
    falaBr: 'Resolvida (pesquisa de satisfação)',
    value: (r) => r.resolved,
  },
];

/** The suppression rule in words (published with the data). */
export const suppressionRule = [
  'R1. Datas publicadas apenas como mês (AAAA-MM). Nenhum dado pessoal: sem protocolo, nome, contato, texto ou atendente.',
  'R2. Cada combinação de Data Registro, Tipo, Assunto, Serviço, Unidade e Canal precisa aparecer em pelo menos 5 linhas; nas linhas em que não aparece, Assunto, Serviço, Unidade e Canal são publicados como "Suprimido".',
  'R3. Se, depois disso, Data Registro + Tipo ainda reunir menos de 5 linhas, o Tipo também é publicado como "Suprimido".',
  'R4. Em um mês com menos de 5 manifestações, a situação, as datas de resposta, os dias, o prazo e a satisfação ficam em branco.',
  'Nos quadros da página, contagens menores que 5 aparecem como "<5" e taxas, medianas e médias calculadas sobre menos de 5 casos não são mostradas.',
  'R5. Supressão complementar: as contagens de um quadro (por mês, tipo ou unidade; as avaliações por nota) somam um total publicado. Quando uma coluna tem contagem oculta, as menores contagens seguintes da mesma coluna também são ocultadas, como "X", até haver ao menos duas ocultas que somem 5 ou mais, para que nenhuma possa ser obtida subtraindo as demais do total.',
];
