import { AppError } from '@shared/errors';
import type { IndexLifecycle } from '@shared/model/ilm-views';
import { tenantIdPattern, tenantIndexPattern, type ElasticLayout, type TenancyPreset } from '@shared/tenancy';
import type { ExplainedIndex } from '../../stores/elastic/ilm';
import type { ExplainGroup } from './batches';

/**
 * How the ILM room reads tenants out of index names: the layout's tenant pattern (`tenant-{id}-*`)
 * with the preset's id rule, so `tenant-<uuid>-cases-2026-03` belongs to `<uuid>` whatever dashes
 * the id itself holds, and monthly indices (`-YYYY-MM` or `-YYYY.MM`) give their month.
 */
export interface IlmTenancy {
  layout: ElasticLayout;
  idPattern: RegExp;
  /** Every tenant's indices: `tenant-*`. */
  allPattern: string;
}

export function ilmTenancy(preset: TenancyPreset): IlmTenancy {
  const layout = preset.layout.elastic;
  if (!layout) throw new AppError('invalid_argument', `The ${preset.title} preset keeps no tenant data in Elasticsearch.`);
  const [before = ''] = layout.tenantPattern.split('{id}');
  return { layout, idPattern: tenantIdPattern(preset), allPattern: `${before}*` };
}

/** The tenant an index belongs to, or undefined when its name carries none. */
export function tenantOfIndexName(tenancy: IlmTenancy, index: string): string | undefined {
  const [before = '', afterRaw = ''] = tenancy.layout.tenantPattern.split('{id}');
  const after = afterRaw.replace(/\*$/, '');
  if (!index.startsWith(before)) return undefined;
  const rest = index.slice(before.length);
  if (after === '') return tenancy.idPattern.test(rest) ? rest : undefined;
  for (let cut = rest.indexOf(after, 1); cut > 0; cut = rest.indexOf(after, cut + 1)) {
    const id = rest.slice(0, cut);
    if (tenancy.idPattern.test(id)) return id;
  }
  return undefined;
}

/** `tenant-<id>-*`. */
export function tenantPatternOf(tenancy: IlmTenancy, tenantId: string): string {
  return tenantIndexPattern(tenancy.layout, tenantId);
}

/**
 * Index names as explain groups: one prefix pattern per tenant with its count, in name order, then
 * each index of no tenant by its own name.
 */
export function groupsOf(tenancy: IlmTenancy, indices: Iterable<string>): ExplainGroup[] {
  const byTenant = new Map<string, number>();
  const loose: string[] = [];
  for (const index of indices) {
    const tenantId = tenantOfIndexName(tenancy, index);
    if (tenantId) byTenant.set(tenantId, (byTenant.get(tenantId) ?? 0) + 1);
    else loose.push(index);
  }
  return [
    ...[...byTenant.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([tenantId, count]) => ({ pattern: tenantPatternOf(tenancy, tenantId), indices: count })),
    ...loose.sort().map((index) => ({ pattern: index, indices: 1 })),
  ];
}

/** `<entity>-2026-03`, `<entity>-2026.03` (with an optional rollover counter) after the tenant's prefix. */
const MONTHLY = /^(.+?)[-_.](\d{4})[-.](0[1-9]|1[0-2])(?:[-.]\d+)?$/;

/** The entity and month of a tenant's monthly index, or undefined for any other name. */
export function monthlyIndexOf(tenancy: IlmTenancy, tenantId: string, index: string): { entity: string; month: string } | undefined {
  const prefix = tenantPatternOf(tenancy, tenantId).replace(/\*$/, '');
  if (!index.startsWith(prefix)) return undefined;
  const match = MONTHLY.exec(index.slice(prefix.length));
  return match?.[1] ? { entity: match[1], month: `${match[2]}-${match[3]}` } : undefined;
}

const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

/** `55.62d` in milliseconds, or null when the server said nothing readable. */
function ageMs(age: string | undefined, lifecycleDateMillis: number | undefined, now: number): number | null {
  if (typeof lifecycleDateMillis === 'number') return Math.max(0, now - lifecycleDateMillis);
  const match = age ? /^(\d+(?:\.\d+)?)(d|h|m|s|ms)$/.exec(age) : null;
  return match ? Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? 0) : null;
}

/** The reason a failed step gives: `step_info.reason`, its type, or the message a waiting step leaves. */
export function stepReason(info: Record<string, unknown> | undefined): string | null {
  if (!info) return null;
  for (const key of ['reason', 'message', 'type']) {
    const value = info[key];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return null;
}

const jsonOf = (value: unknown): IndexLifecycle['stepInfo'] => (value === undefined ? null : (JSON.parse(JSON.stringify(value)) as IndexLifecycle['stepInfo']));

/** One explained index as the ILM room shows it. */
export function lifecycleRow(tenancy: IlmTenancy, entry: ExplainedIndex, now = Date.now()): IndexLifecycle {
  const index = entry.index ?? '';
  const failed = entry.failed_step ?? null;
  // A policy that does not exist fails with no step at all, only an exception in step_info.
  const exception = typeof entry.step_info?.type === 'string' && entry.step_info.type.endsWith('_exception');
  return {
    index,
    tenantId: tenantOfIndexName(tenancy, index) ?? null,
    managed: entry.managed === true,
    policy: entry.policy ?? null,
    phase: entry.phase ?? null,
    action: entry.action ?? null,
    step: entry.step ?? null,
    age: entry.age ?? null,
    ageMs: entry.managed ? ageMs(entry.age, entry.lifecycle_date_millis, now) : null,
    failedStep: failed,
    reason: failed || entry.step === 'ERROR' || exception ? (stepReason(entry.step_info) ?? 'The step failed without a reason from the server.') : null,
    stepInfo: jsonOf(entry.step_info),
    autoRetryable: entry.is_auto_retryable_error ?? null,
    retryCount: entry.failed_step_retry_count ?? null,
  };
}
