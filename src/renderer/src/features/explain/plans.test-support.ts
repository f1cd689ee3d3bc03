import type { ExplainedPlan, FleetExplainResult, PlanRecord } from '@shared/contract/explain';
import { advise, normalisePlan, planBadges } from '@shared/explain';

/** A plan as explain.run answers it, made by the shared normaliser and advisor from a captured document. */
export function explained(document: unknown, planId?: string): ExplainedPlan {
  const plan = normalisePlan(document);
  return { plan, tips: advise(plan, { tenantKey: 'tenant_id', schema: 'tenant_acme' }), badges: Object.fromEntries(planBadges(plan)), raw: document, ...(planId && { planId }) };
}

export function planRecord(id: string, overrides: Partial<PlanRecord> = {}): PlanRecord {
  return {
    id,
    at: '2026-12-02T10:00:00.000Z',
    operator: 'Ada Admin',
    tenantId: 'acme',
    engine: 'postgres',
    statement: 'select * from cases where status = $1',
    fingerprint: 'select * from cases where status = ?',
    analyzed: true,
    totalTimeMs: 49.6,
    planningTimeMs: 0.1,
    headline: 'Seq Scan on cases',
    ...overrides,
  };
}

export function fleetResult(jobId: string, overrides: Partial<FleetExplainResult> = {}): FleetExplainResult {
  return {
    jobId,
    state: 'succeeded',
    statement: 'select * from cases where status = $$open$$',
    tenantsAsked: 50,
    tenantsExplained: 49,
    groups: [
      { shape: 'aaaa1111', headline: 'Index Scan using cases_tenant_status on cases', tenantIds: Array.from({ length: 46 }, (_, i) => `t${i + 4}`), differsFromMost: false, planId: 'plan_usual0001', medianTimeMs: 0.4, maxTimeMs: 1.2 },
      { shape: 'bbbb2222', headline: 'Seq Scan on cases', tenantIds: ['t1', 't2', 't3'], differsFromMost: true, planId: 'plan_outlier01', medianTimeMs: 38, maxTimeMs: 52 },
    ],
    slowest: [
      { tenantId: 't2', timeMs: 52, planId: 'plan_outlier02' },
      { tenantId: 't1', timeMs: 40, planId: 'plan_outlier01' },
    ],
    failed: [{ tenantId: 't50', code: 'invalid_argument', message: 'relation "cases" does not exist' }],
    ...overrides,
  };
}
