import { ILM_PHASES } from '@shared/model/ilm';
import type { ErrorBoard, ErrorGroup, IndexLifecycle } from '@shared/model/ilm-views';

/**
 * The error board: failed steps laid out tenant × phase, and grouped by what the server said, so
 * 300 indices failing for one reason read as one line (Kibana makes a person filter index by
 * index, kibana #126109). Reasons are grouped with the index names taken out, since the server
 * puts the index in its message (`[tenant-…-cases-2026-01] lifecycle action …`).
 */

/** Indices a group lists, enough to retry them; the count says how many there are in all. */
const GROUP_INDICES = 200;

/** The reason with index names and bracketed numbers replaced, so one cause reads as one group. */
export function reasonKey(reason: string, index: string): string {
  return reason.split(index).join('<index>').replace(/\[\d+\]/g, '[n]');
}

export function errorBoardOf(rows: readonly IndexLifecycle[], extra: Pick<ErrorBoard, 'cost' | 'gaps'>): ErrorBoard {
  const failed = rows.filter((row) => row.reason !== null);
  const phases = [...ILM_PHASES.filter((p) => failed.some((r) => r.phase === p)), ...new Set(failed.map((r) => r.phase ?? 'unknown').filter((p) => !(ILM_PHASES as readonly string[]).includes(p)))];
  const byTenant = new Map<string | null, number[]>();
  const groups = new Map<string, ErrorGroup & { tenantSet: Set<string | null> }>();
  for (const row of failed) {
    const phase = row.phase ?? 'unknown';
    const counts = byTenant.get(row.tenantId) ?? phases.map(() => 0);
    const at = phases.indexOf(phase);
    counts[at] = (counts[at] ?? 0) + 1;
    byTenant.set(row.tenantId, counts);
    const reason = row.reason ?? 'The step failed without a reason from the server.';
    const key = [row.phase, row.action, row.failedStep, reasonKey(reason, row.index)].join('\u0000');
    const group = groups.get(key) ?? {
      reason: reasonKey(reason, row.index),
      phase: row.phase,
      action: row.action,
      failedStep: row.failedStep,
      count: 0,
      tenants: 0,
      indices: [],
      autoRetryable: true,
      tenantSet: new Set<string | null>(),
    };
    group.count += 1;
    group.tenantSet.add(row.tenantId);
    if (group.indices.length < GROUP_INDICES) group.indices.push(row.index);
    if (row.autoRetryable !== true) group.autoRetryable = false;
    groups.set(key, group);
  }
  return {
    phases,
    rows: [...byTenant.entries()]
      .map(([tenantId, counts]) => ({ tenantId, counts, total: counts.reduce((a, b) => a + b, 0) }))
      .sort((a, b) => b.total - a.total || String(a.tenantId).localeCompare(String(b.tenantId))),
    groups: [...groups.values()]
      .map(({ tenantSet, ...group }) => ({ ...group, tenants: tenantSet.size, indices: [...group.indices].sort() }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    total: failed.length,
    ...extra,
  };
}

/** Failed steps per tenant (indices of no tenant left out), for the fleet heatmap. */
export function errorsByTenant(rows: readonly IndexLifecycle[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) {
    if (!row.tenantId || row.reason === null) continue;
    counts.set(row.tenantId, (counts.get(row.tenantId) ?? 0) + 1);
  }
  return counts;
}
