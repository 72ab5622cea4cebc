// Fills a real PostgreSQL read model with synthetic cases for `npm run bench:workspace` (not used by the
// suite). Usage: BENCH_DATABASE_URL=postgres://…/ouvidor_bench [BENCH_CASES=1000000] npm run bench:fixture
// The database is migrated first; existing BENCH- rows are replaced. Rows are written directly (the
// projection's columns computed in SQL the same way), so a million cases take minutes, not hours.
import postgres from 'postgres';
import { openDatabase } from '../../db/client.ts';

const url = process.env.BENCH_DATABASE_URL;
if (!url) {
  console.error('Set BENCH_DATABASE_URL to a PostgreSQL database you can fill (it is migrated first).');
  process.exit(2);
}
const total = Number(process.env.BENCH_CASES ?? 1_000_000);
const chunk = 100_000;

const handle = await openDatabase({ databaseUrl: url, dataDir: 'memory://' });
await handle.close();
const sql = postgres(url, { max: 1, onnotice: () => {} });
await sql`delete from case_reads where protocol like 'BEN-%'`;
await sql`delete from case_people where protocol like 'BEN-%'`;
await sql`delete from manifestations where protocol like 'BEN-%'`;
await sql`insert into users (id, name, email, role) select 'bench-' || g, 'Atendente ' || g, 'atendente' || g || '@bench.local', 'attendant' from generate_series(1, 50) g on conflict do nothing`;
// Person records (issue 11) for the VIP and company filters and the document/company search: 100,000
// people (1 in 10 of a company, 1 in 500 VIP), 2,000 companies (1 in 100 VIP; ids are UUIDs, as the company
// filter expects: 00000000-0000-4000-8000-<n in 12 digits>); case i is linked to
// person 1 + i % 100,000, so a company has about 50 cases and the VIP filter about 3,000.
await sql`insert into companies (id, legal_name, trade_name, cnpj, vip, search_text)
  select '00000000-0000-4000-8000-' || lpad(g::text, 12, '0'), 'Empresa Bench ' || g || ' Ltda', 'Bench ' || g, lpad((10000000000000 + g)::text, 14, '0'),
    g % 100 = 0, lower('empresa bench ' || g || ' ltda bench ' || g || ' ' || lpad((10000000000000 + g)::text, 14, '0'))
  from generate_series(1, 2000) g on conflict do nothing`;
await sql`insert into people (id, name, email, cpf, company_id, vip, search_text)
  select 'bench-p-' || g, 'Pessoa Bench ' || g, 'pessoa' || g || '@example.org', lpad((50000000000 + g)::text, 11, '0'),
    case when g % 10 = 0 then '00000000-0000-4000-8000-' || lpad((1 + (g / 10) % 2000)::text, 12, '0') end, g % 500 = 0,
    lower('pessoa bench ' || g || ' pessoa' || g || ' example org ' || lpad((50000000000 + g)::text, 11, '0'))
  from generate_series(1, 100000) g on conflict do nothing`;
const started = Date.now();
for (let from = 1; from <= total; from += chunk) {
  const to = Math.min(total, from + chunk - 1);
  // Words: common ones everywhere, "xilogravura" once in 100,000 cases, codes like BR-116 and ABC1234.
  await sql.unsafe(`
    with g as (
      select i,
        (array['buraco','iluminação','semáforo','merenda','ônibus','calçada','praça','poda','esgoto','IPTU'])[1 + i % 10] as w1,
        (array['rua','escola','posto','avenida','bairro','centro','parque','feira'])[1 + (i / 10) % 8] as w2,
        case when i % 100000 = 7 then ' xilogravura' else '' end as rare,
        'BR-' || (100 + i % 300) as road,
        'ABC' || lpad((i % 10000)::text, 4, '0') as plate,
        (array['received','in_progress','forwarded','awaiting_citizen','answered','closed','approved','archived',
               'closed','closed','approved','closed','archived','closed','approved','closed'])[1 + (i * 7) % 16] as status,
        now() - (i * interval '47 seconds') as received_at
      from generate_series(${from}, ${to}) i
    ), r as (
      select *,
        'BEN-' || lpad(i::text, 7, '0') as protocol,
        initcap(w1) || ' na ' || w2 || ' ' || road as subject,
        'Relato sobre ' || w1 || ' na ' || w2 || ', perto da ' || road || ', veículo ' || plate || '.' || rare as description,
        case when i % 20 = 0 then null else 'atendente' || (1 + i % 50) || '@bench.local' end as assignee,
        case when i % 3 = 0 then array['SEC-' || (1 + i % 10)] else '{}'::text[] end as units,
        (array['low','normal','normal','normal','high','urgent'])[1 + i % 6] as priority
      from g
    )
    insert into manifestations (protocol, kind, status, subject, description, identity, channel, citizen, citizen_email,
      assignee, assignee_name, units, pending_units, priority, priority_rank, received_at, due_at, sla_state, revision,
      updated_at, search_document, reporter_document, search_text, last_activity_seq, last_activity_by,
      topic, item, group_code)
    select protocol, (array['complaint','report','praise','suggestion','request','information'])[1 + i % 6], status,
      subject, description, 'identified', (array['web','email','phone','in_person','letter','api'])[1 + i % 6],
      jsonb_build_object('name', 'Cidadão ' || i, 'email', 'cidadao' || i || '@example.org'), 'cidadao' || i || '@example.org',
      assignee, case when assignee is null then null else 'Atendente ' || (1 + i % 50) end, units,
      case when status = 'forwarded' then units else '{}'::text[] end, priority,
      case priority when 'urgent' then 0 when 'high' then 1 when 'low' then 3 else 2 end,
      received_at, received_at + interval '30 days',
      case when received_at + interval '30 days' < now() and status in ('received','in_progress','forwarded') then 'breached' else 'ok' end,
      3, received_at, concat_ws(' ', protocol, subject, description, 'T' || (1 + i % 40), assignee, case when assignee is null then null else 'Atendente ' || (1 + i % 50) end, array_to_string(units, ' ')),
      concat_ws(' ', 'Cidadão ' || i, 'cidadao' || i || '@example.org'),
      lower(regexp_replace(unaccent(concat_ws(' ', protocol, subject, description, 'T' || (1 + i % 40), assignee, case when assignee is null then null else 'Atendente ' || (1 + i % 50) end, array_to_string(units, ' '))), '[^[:alnum:]]+', ' ', 'g')),
      3, case when i % 5 = 0 then 'citizen' else assignee end,
      'T' || (1 + i % 40), 'T' || (1 + i % 40) || '.' || (1 + (i / 40) % 5), 'G' || (1 + i % 8)
    from r`);
  await sql.unsafe(`
    insert into case_people (protocol, person_id, how, verified, linked_by)
    select 'BEN-' || lpad(i::text, 7, '0'), 'bench-p-' || (1 + i % 100000), 'email', true, 'bench'
    from generate_series(${from}, ${to}) i`);
  console.log(`${to.toLocaleString('pt-BR')} cases (${Math.round((Date.now() - started) / 1000)} s)`);
}
// vacuum as well: a table filled in one go has no visibility map yet, so every index-only count (the queues)
// would visit the heap — autovacuum sets it soon after a bulk insert in production
await sql`vacuum (analyze) manifestations`;
await sql`vacuum (analyze) case_people`;
await sql`analyze people`;
await sql`analyze companies`;
console.log('done');
await sql.end();
