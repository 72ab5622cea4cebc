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
await sql`delete from manifestations where protocol like 'BEN-%'`;
await sql`insert into users (id, name, email, role) select 'bench-' || g, 'Atendente ' || g, 'atendente' || g || '@bench.local', 'attendant' from generate_series(1, 50) g on conflict do nothing`;
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
      updated_at, search_document, reporter_document, search_text, last_activity_seq, last_activity_by)
    select protocol, (array['complaint','report','praise','suggestion','request','information'])[1 + i % 6], status,
      subject, description, 'identified', (array['web','email','phone','in_person','letter','api'])[1 + i % 6],
      jsonb_build_object('name', 'Cidadão ' || i, 'email', 'cidadao' || i || '@example.org'), 'cidadao' || i || '@example.org',
      assignee, case when assignee is null then null else 'Atendente ' || (1 + i % 50) end, units,
      case when status = 'forwarded' then units else '{}'::text[] end, priority,
      case priority when 'urgent' then 0 when 'high' then 1 when 'low' then 3 else 2 end,
      received_at, received_at + interval '30 days',
      case when received_at + interval '30 days' < now() and status in ('received','in_progress','forwarded') then 'breached' else 'ok' end,
      3, received_at, concat_ws(' ', protocol, subject, description, assignee, array_to_string(units, ' ')),
      concat_ws(' ', 'Cidadão ' || i, 'cidadao' || i || '@example.org'),
      lower(regexp_replace(unaccent(concat_ws(' ', protocol, subject, description, assignee, array_to_string(units, ' '))), '[^[:alnum:]]+', ' ', 'g')),
      3, case when i % 5 = 0 then 'citizen' else assignee end
    from r`);
  console.log(`${to.toLocaleString('pt-BR')} cases (${Math.round((Date.now() - started) / 1000)} s)`);
}
await sql`analyze manifestations`;
console.log('done');
await sql.end();
