// `npm run bench`: throughput of the hot read paths as ratios against a same-run baseline
// (GET /healthz), so numbers compare across machines. Starts a throw-away embedded Ouvidor.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnv } from '../../config/env.ts';
import { startOuvidor } from '../../server.ts';
import { installRuntime } from '../../worker.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ouvidor-bench-'));
const port = 3900 + Math.floor(Math.random() * 90);
const env = parseEnv({
  DATA_DIR: dataDir,
  PORT: String(port),
  TEMPORAL_DEV_PORT: String(port + 3000),
  TEMPORAL_UI_PORT: String(port + 4000),
  SMTP_PORT: String(port + 5000),
  ADMIN_EMAIL: 'bench@ouvidor.local',
  ADMIN_PASSWORD: 'bench-password-1',
  LOG_LEVEL: 'warn',
});
installRuntime('warn');
const running = await startOuvidor(env, { log: () => {} });
const base = running.url;

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return res.json() as Promise<Record<string, string>>;
}

const { token } = await post('/api/v1/auth/token', {
  email: 'bench@ouvidor.local',
  password: 'bench-password-1',
});
const auth = { authorization: `Bearer ${token}` };
const words = ['iluminação', 'buraco', 'merenda', 'ônibus', 'posto de saúde', 'praça', 'IPTU', 'calçada'];
let protocol = '';
for (let i = 0; i < 60; i++) {
  const w = words[i % words.length];
  const r = await post('/api/v1/manifestations', {
    kind: 'complaint',
    subject: `${w} número ${i}`,
    description: `Relato sobre ${w} na rua ${i}, com detalhes suficientes para a busca.`,
    identity: 'anonymous',
  });
  protocol = r.protocol ?? protocol;
}

async function rate(name: string, url: string, headers: Record<string, string> = {}, ms = 3000) {
  let n = 0;
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const res = await fetch(base + url, { headers });
    if (!res.ok) throw new Error(`${name}: ${res.status}`);
    await res.arrayBuffer();
    n += 1;
  }
  return { name, perSecond: n / (ms / 1000) };
}

try {
  const baseline = await rate('baseline GET /healthz', '/healthz');
  const results = [
    await rate('list (newest 25)', '/api/v1/manifestations', auth),
    await rate('full-text search', `/api/v1/manifestations?q=${encodeURIComponent('iluminacao')}`, auth),
    await rate('one case (workflow query)', `/api/v1/manifestations/${protocol}`, auth),
    await rate('static asset', '/static/app.css'),
  ];
  console.log(`baseline: ${baseline.perSecond.toFixed(0)} req/s (${baseline.name})`);
  for (const r of results)
    console.log(`${r.name.padEnd(28)} ${(r.perSecond / baseline.perSecond).toFixed(2)} × baseline`);
} finally {
  await running.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
