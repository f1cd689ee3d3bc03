import { walkPlan, type Plan, type PlanNode } from '../model';
import { clampScore, pct, type ResolvedOptions, type Tip } from './tip';

const SCRIPT = /script/i;
const WILDCARD_TYPES = /Wildcard|Regexp|Automaton|MultiTermQueryConstantScore/i;

/**
 * The Elasticsearch rules, on the profiled query trees: a clause that dominates its shard's query
 * time, leading wildcards and regular expressions (which walk the whole term dictionary), and
 * scripts evaluated per document.
 */
export function elasticTips(plan: Plan, o: ResolvedOptions): Tip[] {
  const tips: Tip[] = [];
  const total = plan.totalMs ?? 0;
  const share = (ms: number | undefined): number => (total > 0 && ms !== undefined ? clampScore(ms / total) : 0);
  const seen = new Set<string>();
  walkPlan(plan.root, (node, parent) => {
    if (node.relationship !== 'query') return;
    dominantClause(node, o, share, tips);
    const pattern = expensivePattern(node);
    if (pattern && !seen.has(`pattern:${node.detail}`)) {
      seen.add(`pattern:${node.detail}`);
      tips.push({
        rule: 'es.wildcard', engine: 'elastic', nodeId: node.id,
        title: `${pattern.kind} on ${node.target ?? 'a field'}`,
        message: `${pattern.why} Index the field for this kind of search instead: the wildcard field type, an n-gram or edge n-gram subfield, or a reversed copy for suffix matches.`,
        evidence: [`${node.operation}: ${node.detail ?? ''}`, `${pct(share(node.timeTotalMs))} of the profiled time`],
        score: share(node.timeTotalMs),
        fix: { kind: 'text', text: `Map ${node.target ?? 'the field'} as "wildcard" (or add an ngram subfield) and query that.` },
      });
    }
    if ((SCRIPT.test(node.operation) || /^(ScriptQuery|script)\(/i.test(node.detail ?? '')) && !(parent && parent.relationship === 'query' && SCRIPT.test(parent.operation))) {
      tips.push({
        rule: 'es.script', engine: 'elastic', nodeId: node.id,
        title: 'Script evaluated in the query',
        message: 'A script query runs for every candidate document and cannot use the index. Compute the value at index time (an ingest pipeline or an indexed field) and query it as a term or range.',
        evidence: [`${node.operation}: ${node.detail ?? ''}`, `${pct(share(node.timeTotalMs))} of the profiled time`],
        score: share(node.timeTotalMs),
        fix: { kind: 'text', text: 'Index the scripted value as a field at ingest and replace the script with a term or range query on it.' },
      });
    }
  });
  return tips;
}

/** A compound query where one child takes most of the time. */
function dominantClause(node: PlanNode, o: ResolvedOptions, share: (ms: number | undefined) => number, tips: Tip[]): void {
  if (node.children.length < 2 || !node.timeTotalMs) return;
  let top: PlanNode | undefined;
  for (const child of node.children) if (!top || (child.timeTotalMs ?? 0) > (top.timeTotalMs ?? 0)) top = child;
  const part = (top!.timeTotalMs ?? 0) / node.timeTotalMs;
  if (part < o.t.dominantClauseShare) return;
  tips.push({
    rule: 'es.dominant-clause', engine: 'elastic', nodeId: top!.id,
    title: `One clause takes ${pct(part)} of its query`,
    message: `${top!.operation} (${top!.detail ?? ''}) dominates ${node.operation} on this shard. If it only narrows the results, move it to filter context, where it is not scored and can be cached; if it is a multi-term query, make it cheaper (keyword field, prefix instead of wildcard, fewer terms).`,
    evidence: [`${top!.operation}: ${(top!.timeTotalMs ?? 0).toFixed(3)} ms of ${node.timeTotalMs.toFixed(3)} ms`, ...Object.entries(top!.breakdown ?? {}).filter(([k, v]) => !k.endsWith('_count') && v > 0).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, v]) => `${k}: ${(v / 1e6).toFixed(3)} ms`)],
    score: share(top!.timeTotalMs),
  });
}

function expensivePattern(node: PlanNode): { kind: string; why: string } | undefined {
  const detail = node.detail ?? '';
  const term = /:(\S+)/.exec(detail)?.[1] ?? detail;
  if (/Regexp/i.test(node.operation) || /^\/.*\/$/.test(term)) {
    return { kind: 'Regular expression', why: 'A regular expression is matched against the terms of the field one by one; without a literal prefix it walks the whole term dictionary on every shard.' };
  }
  if ((WILDCARD_TYPES.test(node.operation) || /[*?]/.test(term)) && /^[*?]/.test(term)) {
    return { kind: 'Leading wildcard', why: 'A pattern that starts with a wildcard cannot use the sorted term dictionary and checks every term of the field.' };
  }
  return undefined;
}
