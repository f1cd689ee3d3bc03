import type { AuditQueryFilter } from '@shared/contract/audit';
import { AuditOutcome } from '@shared/model/audit';
import { TenantId } from '@shared/model/tenant';

/** The audit viewer's filter form as typed. Times are `datetime-local` values, in local time. */
export interface AuditFilterDraft {
  /** Every journal (the console's own included) instead of the active workspace's. */
  allWorkspaces: boolean;
  operator: string;
  tenantId: string;
  action: string;
  outcome: AuditOutcome | null;
  from: string;
  to: string;
}

export const EMPTY_FILTER: AuditFilterDraft = { allWorkspaces: false, operator: '', tenantId: '', action: '', outcome: null, from: '', to: '' };

export type FilterProblems = Partial<Record<'tenantId' | 'from' | 'to', string>>;

// `datetime-local` gives minutes (or seconds); a bound of 09:15 means the whole of that minute.
function localTime(value: string, end: boolean): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number | undefined];
  const seconds = Number.isNaN(s) || s === undefined ? (end ? 59 : 0) : s;
  const date = new Date(y, mo - 1, d, h, mi, seconds, end ? 999 : 0);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * The `audit.query` filter a draft stands for, or what is wrong with it. Empty fields are left
 * out; the workspace is the active one unless every journal was asked for.
 */
export function filterOf(draft: AuditFilterDraft, workspaceId: string | null): { filter: AuditQueryFilter; problems: FilterProblems } {
  const problems: FilterProblems = {};
  const filter: AuditQueryFilter = {};
  if (!draft.allWorkspaces && workspaceId) filter.workspaceId = workspaceId;
  const operator = draft.operator.trim();
  if (operator) filter.operator = operator;
  const tenantId = draft.tenantId.trim();
  if (tenantId) {
    const parsed = TenantId.safeParse(tenantId);
    if (parsed.success) filter.tenantId = parsed.data;
    else problems.tenantId = parsed.error.issues[0]?.message ?? 'not a tenant id';
  }
  const action = draft.action.trim();
  if (action) filter.action = action;
  if (draft.outcome && AuditOutcome.safeParse(draft.outcome).success) filter.outcome = draft.outcome;
  for (const bound of ['from', 'to'] as const) {
    const value = draft[bound].trim();
    if (!value) continue;
    const iso = localTime(value, bound === 'to');
    if (iso) filter[bound] = iso;
    else problems[bound] = 'a date and time like 2026-11-22 09:15';
  }
  if (filter.from && filter.to && filter.from > filter.to) problems.to = 'the end comes before the start';
  return { filter, problems };
}
