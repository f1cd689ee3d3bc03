import type { IndexLifecycle } from '@shared/model/ilm-views';
import type { Lane, LaneCell, Month } from '@shared/model/lifecycle';
import type { TenancyPreset } from '@shared/tenancy';
import type { FleetIlmSource, LifecycleLaneSource } from '../../services/lifecycle-lanes';
import type { ElasticLifecycle } from '../../stores/elastic/ilm';
import { DEFAULT_BATCH_LIMITS, type BatchLimits } from './batches';
import { errorsByTenant } from './board';
import { explainIndices } from './reading';
import { ilmTenancy, lifecycleRow, monthlyIndexOf, tenantPatternOf, type IlmTenancy } from './tenancy';

/**
 * Elasticsearch in the lifecycle time view: a tenant's monthly indices (`<prefix><entity>-YYYY-MM`
 * or `-YYYY.MM`) as one lane per entity, each month's cell carrying the index's ILM phase, a failed
 * step as an error cell with the server's reason; and, for the fleet heatmap, failed steps per
 * tenant from `only_errors` explains batched by tenant prefix.
 */

export interface IlmLaneStores {
  preset: TenancyPreset;
  elastic?: { ilm: Pick<ElasticLifecycle, 'explain' | 'indexNames' | 'indexSizes'> };
}

export type OpenIlmLaneStores = (workspaceId: string, signal: AbortSignal) => Promise<IlmLaneStores>;

const DETAIL = 500;

/** How a policy moves indices along, in words: `case_logs_policy: hot → warm 30d → cold 90d → delete 365d`. */
function ruleOf(preset: TenancyPreset, policy: string | null): string | undefined {
  if (!policy) return undefined;
  const prescribed = preset.blueprint.elastic?.ilmPolicies.find((p) => p.name === policy);
  const phases = prescribed?.policy.phases;
  if (!phases || typeof phases !== 'object' || Array.isArray(phases)) return `ILM ${policy}`;
  const steps = Object.entries(phases).map(([phase, spec]) => {
    const minAge = spec && typeof spec === 'object' && !Array.isArray(spec) ? spec.min_age : undefined;
    return typeof minAge === 'string' && minAge !== '0ms' ? `${phase} ${minAge}` : phase;
  });
  return `ILM ${policy}: ${steps.join(' → ')}`;
}

export type IndexSizes = ReadonlyMap<string, { docs: number; bytes: number }>;

/** The cell of one month: a failed step wins over a phase; no index is `none`. Documents and bytes summed over the month's indices. */
function cellOf(month: Month, rows: readonly IndexLifecycle[], sizes: IndexSizes): LaneCell {
  const failed = rows.find((r) => r.reason !== null);
  const row = failed ?? rows.at(-1);
  if (!row) return { month, state: 'none' };
  const sized = rows.map((r) => sizes.get(r.index)).filter((s): s is { docs: number; bytes: number } => s !== undefined);
  const base = {
    month,
    object: row.index,
    ...(row.phase ? { phase: row.phase } : {}),
    ...(sized.length > 0 ? { count: sized.reduce((sum, s) => sum + s.docs, 0), bytes: sized.reduce((sum, s) => sum + s.bytes, 0) } : {}),
  };
  if (failed) return { ...base, state: 'error', detail: `${failed.failedStep ?? failed.step ?? 'step'} failed: ${failed.reason ?? ''}`.slice(0, DETAIL) };
  if (row.phase === 'delete') return { ...base, state: 'expired', detail: `${row.index} is in the delete phase` };
  return { ...base, state: 'present', ...(row.managed ? {} : { detail: `${row.index} follows no lifecycle policy` }) };
}

/** A tenant's lanes from the explain of its indices. */
export function lanesOf(preset: TenancyPreset, tenancy: IlmTenancy, tenantId: string, rows: readonly IndexLifecycle[], months: readonly Month[], sizes: IndexSizes = new Map()): Lane[] {
  const byEntity = new Map<string, Map<Month, IndexLifecycle[]>>();
  for (const entity of preset.blueprint.elastic?.indices.map((i) => i.entity) ?? []) byEntity.set(entity, new Map());
  for (const row of [...rows].sort((a, b) => a.index.localeCompare(b.index))) {
    const monthly = monthlyIndexOf(tenancy, tenantId, row.index);
    if (!monthly) continue;
    const months = byEntity.get(monthly.entity) ?? new Map<Month, IndexLifecycle[]>();
    months.set(monthly.month, [...(months.get(monthly.month) ?? []), row]);
    byEntity.set(monthly.entity, months);
  }
  return [...byEntity.entries()].map(([entity, byMonth]) => {
    const present = [...byMonth.keys()].sort();
    const newest = present.at(-1);
    const newestRows = newest ? (byMonth.get(newest) ?? []) : [];
    const policy = newestRows.find((r) => r.policy)?.policy ?? null;
    const unmanaged = [...byMonth.values()].flat().filter((r) => !r.managed).length;
    const rule = ruleOf(preset, policy);
    return {
      store: 'elastic' as const,
      kind: 'index' as const,
      name: entity,
      cells: months.map((month) => cellOf(month, byMonth.get(month) ?? [], sizes)),
      horizon: newest ?? null,
      ...(rule ? { rule } : {}),
      ...(unmanaged > 0 ? { note: `${unmanaged} monthly ${unmanaged === 1 ? 'index follows' : 'indices follow'} no lifecycle policy` } : {}),
    };
  });
}

/** The Elasticsearch lane source of the time view: one explain request on the tenant's prefix. */
export function ilmLaneSource(openStores: OpenIlmLaneStores, limits: Partial<BatchLimits> = {}): LifecycleLaneSource {
  const bounds = { ...DEFAULT_BATCH_LIMITS, ...limits };
  return {
    store: 'elastic',
    async tenantLanes({ workspaceId, tenantId, months }, signal) {
      const stores = await openStores(workspaceId, signal);
      if (!stores.preset.layout.elastic) return [];
      const tenancy = ilmTenancy(stores.preset);
      if (!stores.elastic) throw new Error('This workspace has no Elasticsearch endpoint.');
      const { ilm } = stores.elastic;
      // Explain and sizes of the tenant's prefix side by side: two requests, whatever the months.
      const [explained, sizes] = await Promise.all([
        explainIndices(ilm, tenancy, { tenantId }, { onlyErrors: false }, bounds, signal),
        ilm.indexSizes(tenantPatternOf(tenancy, tenantId), { signal, timeoutMs: bounds.requestTimeoutMs }),
      ]);
      const gap = explained.gaps[0];
      if (gap) throw new Error(gap.reason);
      const now = Date.now();
      return lanesOf(stores.preset, tenancy, tenantId, explained.indices.map((entry) => lifecycleRow(tenancy, entry, now)), months, sizes);
    },
  };
}

/**
 * Failed ILM steps per tenant for the fleet heatmap. A workspace whose preset or endpoints have no
 * Elasticsearch has none (an empty map); a cluster that cannot be read throws, so the heatmap shows a gap.
 */
export function fleetIlmSource(openStores: OpenIlmLaneStores, limits: Partial<BatchLimits> = {}): FleetIlmSource {
  const bounds = { ...DEFAULT_BATCH_LIMITS, ...limits };
  return {
    async ilmErrorsByTenant({ workspaceId }, signal) {
      const stores = await openStores(workspaceId, signal);
      if (!stores.preset.layout.elastic || !stores.elastic) return new Map();
      const tenancy = ilmTenancy(stores.preset);
      const explained = await explainIndices(stores.elastic.ilm, tenancy, {}, { onlyErrors: true }, bounds, signal);
      const gap = explained.gaps[0];
      if (gap && explained.indices.length === 0) throw new Error(gap.reason);
      const now = Date.now();
      return errorsByTenant(explained.indices.map((entry) => lifecycleRow(tenancy, entry, now)));
    },
  };
}
