import type { ExplainedPlan, PlanRecord } from '@shared/contract/explain';

/** Milliseconds as the plan views show them: three significant figures, never "0 ms" for a real value. */
export function formatMs(ms: number | undefined | null): string {
  if (ms === undefined || ms === null) return '—';
  if (ms === 0) return '0 ms';
  if (ms < 1) return `${ms.toFixed(3)} ms`;
  if (ms < 100) return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
  if (ms < 10_000) return `${Math.round(ms).toLocaleString('en')} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export function formatRows(n: number | undefined | null): string {
  return n === undefined || n === null ? '—' : Math.round(n).toLocaleString('en');
}

export function formatPercent(share: number | undefined): string {
  if (share === undefined) return '—';
  const pct = share * 100;
  return `${pct >= 10 || pct === 0 ? Math.round(pct) : pct.toFixed(1)} %`;
}

/** A signed change: "+12.0 ms", "−3 rows". */
export function formatDelta(delta: number | undefined, unit: (n: number) => string): string {
  if (delta === undefined) return '—';
  if (delta === 0) return '±0';
  return `${delta > 0 ? '+' : '−'}${unit(Math.abs(delta))}`;
}

/** A plan on screen: what it is and where it came from, so compare can offer it by name. */
export interface ShownPlan {
  /** `kept:<planId>`, or `session:<n>` for a pasted plan, which is not kept. */
  key: string;
  label: string;
  explained: ExplainedPlan;
  tenantId?: string;
  statement?: string;
}

/** The top node in one line: `Seq Scan on cases`. */
export function headlineOf(explained: ExplainedPlan): string {
  const root = explained.plan.root;
  return root.target ? `${root.operation} on ${root.target}` : root.operation;
}

export function labelOfRecord(record: PlanRecord): string {
  const time = record.totalTimeMs !== null ? ` · ${formatMs(record.totalTimeMs)}` : '';
  const when = record.at.slice(11, 19);
  return `${when} ${record.tenantId ?? 'pasted'} · ${record.headline}${time}`;
}
