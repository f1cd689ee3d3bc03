import type { Plan } from '../model';
import { elasticTips } from './elastic';
import { mongoTips } from './mongo';
import { postgresTips } from './postgres';
import { resolveOptions, type AdvisorOptions, type Tip } from './tip';

export type { AdvisorOptions, Tip, TipFix } from './tip';
export { DEFAULT_THRESHOLDS } from './tip';

/**
 * The advisor: plain-language tips, each with its evidence and a score (the share of execution time
 * it could save, at most), the largest first. Where the fix is clear the tip carries it, such as the
 * exact CREATE INDEX with the platform's tenant key first.
 */
export function advise(plan: Plan, options: AdvisorOptions): Tip[] {
  const resolved = resolveOptions(options);
  const tips = plan.engine === 'postgres' ? postgresTips(plan, resolved) : plan.engine === 'mongo' ? mongoTips(plan, resolved) : elasticTips(plan, resolved);
  return tips.sort((a, b) => b.score - a.score || a.rule.localeCompare(b.rule));
}
