import { ILM_PHASES, policyProblems } from '@shared/model/ilm';
import type { IlmExplain, IlmPolicies, PolicyFollowerList } from '@shared/model/ilm-views';
import type { TenancyPreset } from '@shared/tenancy';
import type { ElasticLifecycle } from '../../stores/elastic/ilm';
import { explainInBatches, packBatches, type BatchedExplain, type BatchLimits } from './batches';
import { groupsOf, ilmTenancy, lifecycleRow, tenantOfIndexName, tenantPatternOf, type IlmTenancy } from './tenancy';

/** The requests of the ILM room's reads, as the store offers them. */
export type IlmReader = Pick<ElasticLifecycle, 'policies' | 'lifecycleNames' | 'explain' | 'indexNames' | 'indexTemplates' | 'componentTemplates' | 'aliases' | 'dataStreams'>;

/** Rows one explain answer carries; past it, the answer says `truncated` and the view asks to narrow. */
export const MAX_EXPLAIN_ROWS = 20_000;

const asRecord = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/**
 * Explains one tenant's indices in one request (`tenant-<id>-*`), or every tenant's in batches:
 * the names come first from `_cat/indices` on `tenant-*` (names only, cheap), then one request per
 * pack of prefixes.
 */
export async function explainIndices(
  ilm: Pick<IlmReader, 'explain' | 'indexNames'>,
  tenancy: IlmTenancy,
  target: { tenantId?: string | undefined },
  query: { onlyErrors: boolean },
  limits: BatchLimits,
  signal: AbortSignal,
): Promise<BatchedExplain> {
  if (target.tenantId) {
    const pattern = tenantPatternOf(tenancy, target.tenantId);
    const batches = packBatches([{ pattern, indices: 0 }], limits, query.onlyErrors);
    return explainInBatches(ilm, batches, query, limits, signal);
  }
  const names = await ilm.indexNames(tenancy.allPattern, { signal, timeoutMs: limits.requestTimeoutMs });
  const batches = packBatches(groupsOf(tenancy, names), limits, query.onlyErrors);
  const explained = await explainInBatches(ilm, batches, query, limits, signal);
  // The listing is a request too: the cost counts every request the answer took.
  return { ...explained, cost: { ...explained.cost, requests: explained.cost.requests + 1 } };
}

export function explainView(tenancy: IlmTenancy, explained: BatchedExplain, filter: { policy?: string | undefined }): IlmExplain {
  const now = Date.now();
  const rows = explained.indices
    .map((entry) => lifecycleRow(tenancy, entry, now))
    .filter((row) => filter.policy === undefined || row.policy === filter.policy)
    .sort((a, b) => String(a.tenantId).localeCompare(String(b.tenantId)) || a.index.localeCompare(b.index));
  return { rows: rows.slice(0, MAX_EXPLAIN_ROWS), cost: explained.cost, gaps: explained.gaps, truncated: rows.length > MAX_EXPLAIN_ROWS };
}

/**
 * Policies with who follows them, from the indices' own `index.lifecycle.name` (one settings
 * request, the setting's name in the path) instead of `in_use_by`, which makes `GET _ilm/policy`
 * slow on large clusters (elasticsearch #105773).
 */
export async function readPolicies(ilm: Pick<IlmReader, 'policies' | 'lifecycleNames'>, preset: TenancyPreset, signal: AbortSignal): Promise<IlmPolicies> {
  const tenancy = preset.layout.elastic ? ilmTenancy(preset) : undefined;
  const [stored, names] = await Promise.all([ilm.policies(undefined, { signal }), ilm.lifecycleNames('*', { signal })]);
  const followers = new Map<string, { indices: number; tenants: Set<string> }>();
  let unmanaged = 0;
  for (const [index, policy] of names) {
    if (policy === null) {
      unmanaged += 1;
      continue;
    }
    const entry = followers.get(policy) ?? { indices: 0, tenants: new Set<string>() };
    entry.indices += 1;
    const tenantId = tenancy && tenantOfIndexName(tenancy, index);
    if (tenantId) entry.tenants.add(tenantId);
    followers.set(policy, entry);
  }
  const prescribed = new Set((preset.blueprint.elastic?.ilmPolicies ?? []).map((p) => p.name));
  const policies = [...stored.entries()]
    .map(([name, entry]) => {
      const phases = asRecord(entry.policy.phases);
      const meta = asRecord(entry.policy._meta);
      return {
        name,
        version: entry.version,
        modifiedDate: entry.modifiedDate,
        policy: JSON.parse(JSON.stringify(entry.policy)) as Record<string, never>,
        phases: ILM_PHASES.filter((phase) => phase in phases).map((phase) => {
          const spec = asRecord(phases[phase]);
          return { phase, minAge: typeof spec.min_age === 'string' ? spec.min_age : null, actions: Object.keys(asRecord(spec.actions)) };
        }),
        managed: meta.managed === true,
        indices: followers.get(name)?.indices ?? 0,
        tenants: followers.get(name)?.tenants.size ?? 0,
        prescribed: prescribed.has(name),
        problems: policyProblems(entry.policy),
      };
    })
    .sort((a, b) => Number(b.prescribed) - Number(a.prescribed) || b.indices - a.indices || a.name.localeCompare(b.name));
  const missingPolicy = [...followers.entries()].filter(([name]) => !stored.has(name)).map(([policy, entry]) => ({ policy, indices: entry.indices }));
  return { policies, indicesRead: names.size, unmanaged, missingPolicy };
}

/** The indices following one policy, by tenant, with a few names each. */
export async function readFollowers(ilm: Pick<IlmReader, 'lifecycleNames'>, preset: TenancyPreset, policy: string, signal: AbortSignal): Promise<PolicyFollowerList> {
  const tenancy = preset.layout.elastic ? ilmTenancy(preset) : undefined;
  const names = await ilm.lifecycleNames('*', { signal });
  const byTenant = new Map<string | null, string[]>();
  for (const [index, name] of names) {
    if (name !== policy) continue;
    const tenantId = (tenancy && tenantOfIndexName(tenancy, index)) ?? null;
    byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), index]);
  }
  return {
    policy,
    tenants: [...byTenant.entries()]
      .map(([tenantId, indices]) => ({ tenantId, indices: indices.length, sample: indices.sort().slice(0, 5) }))
      .sort((a, b) => b.indices - a.indices || String(a.tenantId).localeCompare(String(b.tenantId))),
  };
}
