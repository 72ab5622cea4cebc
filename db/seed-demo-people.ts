// Demo people and companies (issue 11), seeded after the demo cases: two companies, a VIP customer with a
// history of several cases, and the demo citizen (cidadao@demo.ouvidor.local, who signs in with the e-mailed
// link) with cases to see. Filed through the real use cases, so the links to people are made as in
// production (by CPF, e-mail or the record staff chose), and moved through the real workflow.
import { fileManifestation } from '../api/manifestations/filing.ts';
import type { NewManifestation } from '../api/manifestations/schemas.ts';
import { createCompanyAudited, createPersonAudited } from '../api/people/service.ts';
import type { AppDeps } from '../api/types.ts';
import { seedAction } from './seed-action.ts';

const ATTENDANT = 'atendente@demo.ouvidor.local';
const DAY = 86_400_000;
const seeder = { email: 'demo-seed', ip: null };

type DemoFiling = {
  input: Omit<NewManifestation, 'receivedAt'>;
  daysAgo: number;
  /** staff registered it for this record (phone, letter, visit) */
  forPerson?: 'vip' | 'citizen' | 'fleet';
  steps?: Array<'assign' | 'answer' | 'close'>;
};

/** Cases filed by the demo people (see the README's demo table), and the statuses they end in. */
export const demoPeopleCaseCount = 8;
export const demoPeopleStatusCounts: Readonly<Record<string, number>> = {
  received: 3,
  in_progress: 2,
  answered: 1,
  closed: 2,
};

export async function seedDemoPeople(deps: AppDeps): Promise<number> {
  const bakery = await createCompanyAudited(
    deps,
    {
      legalName: 'Padaria Pão Quente Ltda',
      tradeName: 'Pão Quente',
      cnpj: '12ABC34501DE35', // the alphanumeric CNPJ the Receita Federal issues from July 2026
      email: 'contato@paoquente.example.com',
      phone: '(11) 3333-1000',
      contacts: [{ name: 'Maria da Silva', email: 'cidadao@demo.ouvidor.local', role: 'sócia' }],
    },
    seeder,
  );
  const fleet = await createCompanyAudited(
    deps,
    {
      legalName: 'Transportes Rápido Sul S.A.',
      tradeName: 'Rápido Sul',
      cnpj: '11222333000181',
      email: 'sac@rapidosul.example.com',
      vip: true,
      vipReason: 'Concessionária do transporte coletivo',
    },
    seeder,
  );
  const citizen = await createPersonAudited(
    deps,
    {
      name: 'Maria da Silva',
      email: 'cidadao@demo.ouvidor.local',
      phone: '(11) 98888-1234',
      cpf: '52998224725',
      address: 'Rua das Flores, 120 — Centro',
      companyId: bakery.id,
    },
    seeder,
  );
  const vip = await createPersonAudited(
    deps,
    {
      name: 'João Batista Ferreira',
      email: 'joao.ferreira@example.com',
      phone: '(11) 97777-4321',
      cpf: '39053344705',
      vip: true,
      vipReason: 'Presidente da associação de moradores do Jardim América',
    },
    seeder,
  );
  const driver = await createPersonAudited(
    deps,
    { name: 'Ana Paula Ramos', email: 'ana.ramos@rapidosul.example.com', companyId: fleet.id },
    seeder,
  );
  const ids = { vip: vip.id, citizen: citizen.id, fleet: driver.id };
  const maria = { name: 'Maria da Silva', email: 'cidadao@demo.ouvidor.local' };
  const joao = { name: 'João Batista Ferreira', email: 'joao.ferreira@example.com' };
  const filings: DemoFiling[] = [
    {
      input: {
        kind: 'complaint',
        subject: 'Calçada quebrada em frente à padaria',
        description: 'A calçada da Rua das Flores, 120, está quebrada há meses e os clientes tropeçam.',
        identity: 'identified',
        channel: 'web',
        citizen: maria,
      },
      daysAgo: 40,
      steps: ['assign', 'answer', 'close'],
    },
    {
      input: {
        kind: 'request',
        subject: 'Poda de árvore na Rua das Flores',
        description: 'A árvore em frente ao número 120 encosta na fiação. Peço a poda.',
        identity: 'identified',
        channel: 'web',
        citizen: maria,
      },
      daysAgo: 12,
      steps: ['assign', 'answer'],
    },
    {
      input: {
        kind: 'information',
        subject: 'Alvará de funcionamento da padaria',
        description: 'Quais documentos preciso para renovar o alvará de funcionamento?',
        identity: 'identified',
        channel: 'phone',
        citizen: { ...maria, cpf: '52998224725' },
      },
      daysAgo: 3,
      forPerson: 'citizen',
    },
    {
      input: {
        kind: 'complaint',
        subject: 'Iluminação apagada no Jardim América',
        description: 'Três postes da Avenida Brasil estão apagados há duas semanas.',
        identity: 'identified',
        channel: 'phone',
        citizen: joao,
      },
      daysAgo: 30,
      forPerson: 'vip',
      steps: ['assign', 'answer', 'close'],
    },
    {
      input: {
        kind: 'suggestion',
        subject: 'Faixa de pedestres na escola do Jardim América',
        description: 'Sugerimos uma faixa elevada em frente à escola municipal.',
        identity: 'identified',
        channel: 'letter',
        citizen: joao,
      },
      daysAgo: 9,
      forPerson: 'vip',
      steps: ['assign'],
    },
    {
      input: {
        kind: 'report',
        subject: 'Descarte irregular de entulho',
        description: 'Caminhões descarregam entulho à noite no terreno da Rua Sete.',
        identity: 'preserved',
        channel: 'web',
        citizen: joao, // preserved: linked in the records, never shown as his to anyone outside the ouvidoria
      },
      daysAgo: 5,
    },
    {
      input: {
        kind: 'complaint',
        subject: 'Ponto de ônibus sem cobertura',
        description: 'O ponto da linha 305 na Avenida Brasil não tem cobertura; motoristas pedem abrigo.',
        identity: 'identified',
        channel: 'email',
        citizen: { name: 'Ana Paula Ramos', email: 'ana.ramos@rapidosul.example.com' },
      },
      daysAgo: 7,
      forPerson: 'fleet',
      steps: ['assign'],
    },
    {
      input: {
        kind: 'praise',
        subject: 'Atendimento rápido na troca de lâmpadas',
        description: 'Agradeço a equipe pela troca rápida das lâmpadas da praça.',
        identity: 'identified',
        channel: 'web',
        citizen: maria,
      },
      daysAgo: 1,
    },
  ];
  const now = Date.now();
  for (const f of filings) {
    const input: NewManifestation = { ...f.input, receivedAt: new Date(now - f.daysAgo * DAY).toISOString() };
    const byStaff = f.forPerson !== undefined;
    const { protocol } = await fileManifestation(deps, input, byStaff ? ATTENDANT : 'citizen', {
      party: byStaff ? { personId: ids[f.forPerson!] } : {},
    });
    for (const [i, step] of (f.steps ?? []).entries()) {
      if (step === 'assign')
        await seedAction(deps, protocol, i, 'assign', { assignee: ATTENDANT }, ATTENDANT);
      if (step === 'answer')
        await seedAction(
          deps,
          protocol,
          i,
          'answer',
          { text: 'A equipe responsável atendeu ao pedido. Obrigado por nos avisar.' },
          ATTENDANT,
        );
      if (step === 'close')
        await seedAction(deps, protocol, i, 'close', { reason: 'Resposta enviada.' }, ATTENDANT);
    }
  }
  return filings.length;
}
