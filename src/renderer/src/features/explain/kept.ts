import type { ExplainedPlan, PlanRecord } from '@shared/contract/explain';
import { headlineOf, labelOfRecord, type ShownPlan } from './format';

/** A kept plan read back with explain.plan, as the screen shows it. */
export function shownFromKept(result: ExplainedPlan & { record: PlanRecord }): ShownPlan {
  const { record, ...explained } = result;
  const shown: ShownPlan = { key: `kept:${record.id}`, label: labelOfRecord(record), explained, statement: record.statement };
  if (record.tenantId !== null) shown.tenantId = record.tenantId;
  return shown;
}

let pasted = 0;

/** A plan just explained or pasted: kept ones by their id, pasted ones by a number of this visit. */
export function shownFromRun(explained: ExplainedPlan, origin: { tenantId?: string; statement?: string }): ShownPlan {
  const key = explained.planId ? `kept:${explained.planId}` : `session:${++pasted}`;
  const time = new Date().toISOString().slice(11, 19);
  const total = explained.plan.totalMs !== undefined ? ` · ${explained.plan.totalMs.toFixed(explained.plan.totalMs < 10 ? 2 : 0)} ms` : '';
  const label = `${time} ${origin.tenantId ?? 'pasted'} · ${headlineOf(explained)}${total}`;
  const shown: ShownPlan = { key, label, explained };
  if (origin.tenantId !== undefined) shown.tenantId = origin.tenantId;
  if (origin.statement !== undefined) shown.statement = origin.statement;
  return shown;
}
