// Content of the demo organisation (SEED_DEMO=1): a fictional municipality's units and the case
// templates the demo manifestations are drawn from. Placeholders in braces are filled by seed-demo.ts:
// {rua}, {n}, {bairro}, {escola}, {ubs}, {praca}, {unidade} (the unit's name).
import type { Kind } from '../workflows/vocabulary.ts';

export const demoUnits = [
  { code: 'SEC-OBRAS', name: 'Secretaria de Obras', email: 'obras@demo.ouvidor.local' },
  { code: 'SEC-SAUDE', name: 'Secretaria de Saúde', email: 'saude@demo.ouvidor.local' },
  { code: 'SEC-EDUC', name: 'Secretaria de Educação', email: 'educacao@demo.ouvidor.local' },
  { code: 'SEC-FAZ', name: 'Secretaria da Fazenda', email: 'fazenda@demo.ouvidor.local' },
  { code: 'SEC-MOB', name: 'Secretaria de Mobilidade Urbana', email: 'mobilidade@demo.ouvidor.local' },
  { code: 'SEC-AMB', name: 'Secretaria de Meio Ambiente', email: 'meioambiente@demo.ouvidor.local' },
  { code: 'GUARDA', name: 'Guarda Municipal', email: 'guarda@demo.ouvidor.local' },
] as const;

export type DemoUnitCode = (typeof demoUnits)[number]['code'];

export type DemoTemplate = {
  kind: Kind;
  unit: DemoUnitCode;
  subject: string;
  description: string;
  /** Conclusive answer used when the plan answers the case. */
  answer: string;
};

const t = (kind: Kind, unit: DemoUnitCode, subject: string, description: string, answer: string) =>
  ({ kind, unit, subject, description, answer }) satisfies DemoTemplate;

export const demoTemplates: readonly DemoTemplate[] = [
  t(
    'complaint',
    'SEC-OBRAS',
    'Buraco na {rua}',
    'Há um buraco grande na {rua}, altura do número {n}, no bairro {bairro}. Já houve dois pneus furados esta semana e à noite ninguém enxerga. Peço o tapa-buraco com urgência.',
    'A {unidade} vistoriou o local e incluiu a {rua} na programação de tapa-buracos. O reparo foi executado pela equipe de manutenção viária.',
  ),
  t(
    'complaint',
    'SEC-OBRAS',
    'Poste apagado há semanas no bairro {bairro}',
    'A iluminação pública da {rua} está apagada desde o mês passado, entre os números {n} e o fim da rua. A rua fica escura e os moradores têm medo de voltar do trabalho.',
    'A equipe de iluminação pública substituiu o relé e as lâmpadas dos postes da {rua}. Se o problema voltar, basta registrar nova manifestação informando este protocolo.',
  ),
  t(
    'complaint',
    'SEC-SAUDE',
    'Demora no atendimento da {ubs}',
    'Fiquei mais de quatro horas esperando atendimento na {ubs} com minha mãe idosa. Havia apenas um médico e nenhuma informação sobre a ordem de chamada.',
    'A {unidade} apurou que havia um médico afastado no dia. A escala foi recomposta e a unidade passou a exibir a ordem de chamada no painel da recepção.',
  ),
  t(
    'complaint',
    'SEC-SAUDE',
    'Falta de medicamento na farmácia da {ubs}',
    'Há três semanas a farmácia da {ubs} não tem losartana nem metformina. Sou hipertenso e diabético e não tenho condições de comprar.',
    'O estoque de losartana e metformina foi reposto na {ubs}. A {unidade} ajustou o pedido mensal para evitar nova falta.',
  ),
  t(
    'complaint',
    'SEC-EDUC',
    'Merenda insuficiente na {escola}',
    'Meu filho estuda na {escola} e relata que a merenda acaba antes de todos os alunos do turno da tarde serem servidos.',
    'A nutricionista da {unidade} visitou a {escola} e recalculou as porções do turno da tarde. A entrega de gêneros foi ampliada a partir desta semana.',
  ),
  t(
    'complaint',
    'SEC-FAZ',
    'Cobrança de IPTU em duplicidade',
    'Recebi dois carnês de IPTU para o mesmo imóvel na {rua}, {n}, com inscrições diferentes. Já paguei a primeira parcela de um deles.',
    'A {unidade} identificou cadastro duplicado do imóvel e cancelou a inscrição indevida. O valor pago foi vinculado à inscrição correta.',
  ),
  t(
    'complaint',
    'SEC-MOB',
    'Ônibus não cumpre horário no bairro {bairro}',
    'A linha que atende o bairro {bairro} passa com atraso de mais de 40 minutos nos horários de pico, e várias vezes não passa. Hoje o ônibus de placa ABC-1234 passou direto pelo ponto.',
    'A {unidade} notificou a concessionária, que reforçou a frota da linha nos horários de pico. A fiscalização acompanhará os horários nas próximas semanas.',
  ),
  t(
    'complaint',
    'SEC-AMB',
    'Coleta de lixo não passou na {rua}',
    'A coleta de lixo não passa na {rua} há duas semanas. Os sacos estão acumulando na calçada e já apareceram ratos.',
    'A coleta foi regularizada na {rua} e a empresa contratada foi advertida pela falha no roteiro.',
  ),
  t(
    'complaint',
    'SEC-OBRAS',
    'Calçada quebrada em frente à {escola}',
    'A calçada em frente à {escola} está quebrada e com desnível. Crianças e cadeirantes precisam andar pela rua.',
    'A calçada em frente à {escola} foi recuperada e recebeu rampa de acessibilidade.',
  ),
  t(
    'complaint',
    'SEC-SAUDE',
    'Consulta com especialista sem previsão',
    'Aguardo há oito meses uma consulta com ortopedista encaminhada pela {ubs} e não recebo nenhuma informação sobre a fila.',
    'A {unidade} verificou o encaminhamento e a consulta foi agendada. A data e o local foram informados por telefone ao cidadão.',
  ),
  t(
    'report',
    'SEC-OBRAS',
    'Obra irregular sem alvará na {rua}',
    'Está sendo construído um segundo pavimento no número {n} da {rua} sem placa de alvará, avançando sobre a calçada.',
    'A fiscalização de obras esteve no local, constatou a ausência de alvará e lavrou auto de embargo. O proprietário foi notificado a regularizar a construção.',
  ),
  t(
    'report',
    'SEC-AMB',
    'Descarte irregular de entulho no bairro {bairro}',
    'Um caminhão despeja entulho à noite num terreno baldio da {rua}, no bairro {bairro}. Já se formou um monte que atrai insetos.',
    'A fiscalização ambiental identificou o responsável pelo descarte, aplicou multa e determinou a remoção do entulho.',
  ),
  t(
    'report',
    'SEC-SAUDE',
    'Servidor ausente no horário de trabalho',
    'Um servidor da {ubs} registra o ponto e sai logo em seguida. Os pacientes ficam sem atendimento no período da tarde.',
    'A {unidade} instaurou procedimento de apuração. As providências cabíveis foram adotadas conforme o estatuto dos servidores.',
  ),
  t(
    'report',
    'GUARDA',
    'Som alto toda madrugada na {praca}',
    'Todo fim de semana há som automotivo em volume altíssimo na {praca} até as 4h da manhã. Ninguém consegue dormir.',
    'A Guarda Municipal incluiu a {praca} nas rondas noturnas de fim de semana e realizou fiscalização de perturbação do sossego.',
  ),
  t(
    'report',
    'SEC-EDUC',
    'Transporte escolar superlotado',
    'O ônibus do transporte escolar que atende a {escola} leva alunos em pé e sem cinto de segurança.',
    'A {unidade} vistoriou o veículo, exigiu a substituição por ônibus maior e notificou a empresa contratada.',
  ),
  t(
    'praise',
    'SEC-SAUDE',
    'Elogio à equipe da {ubs}',
    'Quero elogiar a enfermeira e a equipe de vacinação da {ubs}, que atenderam meu pai acamado em casa com muito cuidado e carinho.',
    'Agradecemos o elogio, que foi encaminhado à equipe da {ubs} e registrado nos assentamentos funcionais dos servidores.',
  ),
  t(
    'praise',
    'SEC-EDUC',
    'Elogio à professora da {escola}',
    'A professora do 3º ano da {escola} fez um trabalho excelente de alfabetização com a turma do meu filho. Merece reconhecimento.',
    'Agradecemos a manifestação. O elogio foi encaminhado à direção da {escola} e à professora.',
  ),
  t(
    'praise',
    'GUARDA',
    'Elogio a guardas municipais',
    'Dois guardas municipais ajudaram a localizar minha filha que se perdeu na {praca} durante a feira. Foram atenciosos e rápidos.',
    'A Guarda Municipal agradece o reconhecimento, que foi registrado e transmitido aos guardas que atenderam a ocorrência.',
  ),
  t(
    'praise',
    'SEC-FAZ',
    'Atendimento rápido no setor de tributos',
    'Fui atendido no balcão de tributos para parcelar o IPTU e o servidor resolveu tudo em quinze minutos, explicando cada etapa.',
    'Agradecemos o retorno. O elogio foi compartilhado com a equipe de atendimento da {unidade}.',
  ),
  t(
    'praise',
    'SEC-OBRAS',
    'Elogio pela reforma da {praca}',
    'A reforma da {praca} ficou muito bonita, com iluminação nova e brinquedos para as crianças. Parabéns à prefeitura.',
    'Agradecemos o elogio, que foi repassado à equipe responsável pela obra.',
  ),
  t(
    'suggestion',
    'SEC-MOB',
    'Sugestão de ciclovia na {rua}',
    'Sugiro a implantação de uma ciclovia na {rua}, ligando o bairro {bairro} ao centro. Muitos trabalhadores já vão de bicicleta e dividem a pista com os carros.',
    'A sugestão foi incluída nos estudos do plano cicloviário da {unidade}, que passará por consulta pública.',
  ),
  t(
    'suggestion',
    'SEC-SAUDE',
    'Agendamento de consultas pela internet',
    'Sugiro que a prefeitura permita agendar consultas na {ubs} por aplicativo ou site, evitando filas de madrugada.',
    'A {unidade} informa que o agendamento on-line está em implantação e a {ubs} está entre as primeiras unidades contempladas.',
  ),
  t(
    'suggestion',
    'SEC-AMB',
    'Ecoponto no bairro {bairro}',
    'Sugiro instalar um ecoponto no bairro {bairro} para entrega de entulho, móveis velhos e recicláveis.',
    'A sugestão foi avaliada e o bairro {bairro} foi incluído no cronograma de novos ecopontos.',
  ),
  t(
    'suggestion',
    'SEC-MOB',
    'Faixa de pedestres em frente à {escola}',
    'Sugiro pintar uma faixa elevada de pedestres em frente à {escola}. Os carros passam em alta velocidade na saída dos alunos.',
    'A {unidade} fez estudo técnico e aprovou a implantação de faixa elevada e sinalização de área escolar.',
  ),
  t(
    'request',
    'SEC-AMB',
    'Poda de árvore com galhos sobre a fiação',
    'Uma árvore na {rua}, {n}, está com galhos encostando na rede elétrica. Quando venta, faz faísca.',
    'A poda foi realizada pela equipe da {unidade} em conjunto com a concessionária de energia.',
  ),
  t(
    'request',
    'SEC-OBRAS',
    'Limpeza de bueiro entupido na {rua}',
    'O bueiro da esquina da {rua} está entupido e a rua alaga com qualquer chuva, invadindo as casas.',
    'A equipe de drenagem desobstruiu o bueiro e a galeria da {rua}.',
  ),
  t(
    'request',
    'SEC-MOB',
    'Lombada na {rua}',
    'Peço a instalação de redutor de velocidade ou de um semáforo na {rua}, no bairro {bairro}, perto do acesso à BR-116. Já houve atropelamentos neste ano.',
    'A {unidade} realizou contagem de tráfego e aprovou a instalação de lombada, prevista para o próximo mês.',
  ),
  t(
    'request',
    'GUARDA',
    'Ronda escolar na {escola}',
    'Solicito rondas da Guarda Municipal na saída da {escola}; há relatos de assaltos a alunos.',
    'A {escola} foi incluída na ronda escolar da Guarda Municipal nos horários de entrada e saída.',
  ),
  t(
    'request',
    'SEC-EDUC',
    'Vaga em creche no bairro {bairro}',
    'Solicito vaga em creche para minha filha de 2 anos no bairro {bairro}. Estou na lista de espera desde o início do ano.',
    'A {unidade} informa que a criança foi chamada para vaga no centro de educação infantil do bairro {bairro}.',
  ),
  t(
    'information',
    'SEC-FAZ',
    'Isenção de IPTU para aposentados',
    'Gostaria de saber quais são os requisitos e documentos para solicitar isenção de IPTU como aposentado.',
    'A isenção é concedida a aposentados com um único imóvel e renda de até dois salários mínimos. O pedido é feito no portal do contribuinte com RG, CPF e comprovante do benefício.',
  ),
  t(
    'information',
    'SEC-OBRAS',
    'Prazo da obra de pavimentação do bairro {bairro}',
    'Qual é o prazo de conclusão da pavimentação das ruas do bairro {bairro}? A obra está parada há dois meses.',
    'A obra foi retomada após ajuste contratual e tem conclusão prevista em 90 dias, conforme o cronograma publicado no portal da transparência.',
  ),
  t(
    'information',
    'SEC-SAUDE',
    'Horário de vacinação na {ubs}',
    'Quais os dias e horários de vacinação contra a gripe na {ubs}? É preciso agendar?',
    'A vacinação na {ubs} ocorre de segunda a sexta, das 8h às 16h, sem agendamento. Leve documento com foto e a caderneta de vacinação.',
  ),
  t(
    'information',
    'SEC-EDUC',
    'Calendário de matrículas da rede municipal',
    'Quando abrem as matrículas para o ensino fundamental na rede municipal e onde devo me inscrever?',
    'As matrículas ocorrem em dezembro, pelo portal da {unidade} ou presencialmente na escola mais próxima da residência.',
  ),
  t(
    'information',
    'SEC-FAZ',
    'Segunda via de boleto do ISS',
    'Sou MEI e perdi o boleto do ISS. Como consigo a segunda via sem ir à prefeitura?',
    'A segunda via está disponível no portal do contribuinte, na opção "Emitir guia", informando o CNPJ.',
  ),
];

export const streets = [
  'Rua das Acácias',
  'Rua Sete de Setembro',
  'Avenida Brasil',
  'Rua Tiradentes',
  'Rua Dom Pedro II',
  'Avenida Getúlio Vargas',
  'Rua Marechal Deodoro',
  'Rua São Benedito',
  'Travessa do Rosário',
  'Rua Santos Dumont',
  'Avenida dos Expedicionários',
  'Rua Barão do Rio Branco',
];
export const neighbourhoods = [
  'Jardim Primavera',
  'Vila Nova',
  'Jardim Europa',
  'Parque das Flores',
  'Bela Vista',
  'São José',
  'Conjunto Habitacional Esperança',
  'Vila Operária',
  'Jardim América',
];
export const schools = [
  'EMEF Monteiro Lobato',
  'EMEF Cecília Meireles',
  'EMEI Pequeno Príncipe',
  'EMEF Paulo Freire',
  'EMEF Anita Garibaldi',
];
export const clinics = ['UBS Vila Nova', 'UBS Jardim Primavera', 'UBS Centro', 'UPA Bela Vista'];
export const squares = ['Praça da Matriz', 'Praça Rui Barbosa', 'Praça do Coreto', 'Praça dos Pioneiros'];

export const firstNames = [
  'Maria',
  'José',
  'Ana',
  'João',
  'Francisca',
  'Antônio',
  'Juliana',
  'Carlos',
  'Luciana',
  'Paulo',
  'Fernanda',
  'Marcos',
  'Patrícia',
  'Lucas',
  'Aline',
  'Raimundo',
  'Sônia',
  'Pedro',
  'Camila',
  'Sebastião',
];
export const lastNames = [
  'Silva',
  'Santos',
  'Oliveira',
  'Souza',
  'Rodrigues',
  'Ferreira',
  'Alves',
  'Pereira',
  'Lima',
  'Gomes',
  'Ribeiro',
  'Carvalho',
  'Araújo',
  'Nascimento',
  'Conceição',
];
