/**
 * Which deadline policy applies to a case (pure; the rows come from the sla_policies table).
 *
 * Most specific wins over (kind, item, priority): a policy whose non-null criterion differs from the
 * case is excluded; among the rest, the one with more non-null (hence matching) criteria wins; ties go
 * to the most recently updated, then to the smallest id (so the choice never depends on row order).
 */
import type { Kind, Priority } from '../../workflows/vocabulary.ts';

export type PolicyCriteria = {
  kind: Kind;
  item: string | null;
  priority: Priority;
  topic?: string | null | undefined;
};

export type PolicyCandidate = {
  id: string;
  kind: string | null;
  item: string | null;
  priority: string | null;
  /** catalogue topic; absent or null = any */
  topic?: string | null | undefined;
  updatedAt: Date | string;
};

const CRITERIA = ['kind', 'topic', 'item', 'priority'] as const;

/** Number of matching criteria, or -1 when a non-null criterion does not match the case. */
export function policySpecificity(policy: PolicyCandidate, c: PolicyCriteria): number {
  let score = 0;
  for (const key of CRITERIA) {
    const want = policy[key] ?? null;
    if (want === null) continue;
    if (want !== (c[key] ?? null)) return -1;
    score++;
  }
  return score;
}

const time = (d: Date | string) => (d instanceof Date ? d.getTime() : Date.parse(d));

export function selectPolicy<P extends PolicyCandidate>(
  policies: readonly P[],
  c: PolicyCriteria,
): P | undefined {
  let best: { p: P; score: number } | undefined;
  for (const p of policies) {
    const score = policySpecificity(p, c);
    if (score < 0) continue;
    if (!best || isBetter(p, score, best.p, best.score)) best = { p, score };
  }
  return best?.p;
}

function isBetter(a: PolicyCandidate, sa: number, b: PolicyCandidate, sb: number): boolean {
  if (sa !== sb) return sa > sb;
  const [ta, tb] = [time(a.updatedAt), time(b.updatedAt)];
  if (ta !== tb) return ta > tb;
  return a.id < b.id;
}

const KIND_LABELS: Record<Kind, string> = {
  complaint: 'reclamação',
  report: 'denúncia',
  praise: 'elogio',
  suggestion: 'sugestão',
  request: 'solicitação de providência',
  information: 'pedido de informação',
};
const PRIORITY_LABELS: Record<Priority, string> = {
  low: 'baixa',
  normal: 'normal',
  high: 'alta',
  urgent: 'urgente',
};

/** pt-BR description of what a policy is restricted to, e.g. "tipo reclamação, prioridade urgente". */
export function describeCriteria(p: Pick<PolicyCandidate, 'kind' | 'item' | 'priority' | 'topic'>): string {
  const parts: string[] = [];
  if (p.kind) parts.push(`tipo ${KIND_LABELS[p.kind as Kind] ?? p.kind}`);
  if (p.topic) parts.push(`assunto "${p.topic}"`);
  if (p.item) parts.push(`assunto/serviço "${p.item}"`);
  if (p.priority) parts.push(`prioridade ${PRIORITY_LABELS[p.priority as Priority] ?? p.priority}`);
  return parts.length ? parts.join(', ') : 'qualquer manifestação';
}
