import { Badge, Text } from '@mantine/core';
import type { AuditEntry, AuditOutcome } from '@shared/model/audit';
import type { DataGridColumn } from '../../components/DataGrid';

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO instant in local time as a log reads: `2026-11-22 09:15:03`. */
export function formatAuditTime(iso: string | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

export const OUTCOME_COLOR: Record<AuditOutcome, string> = { allowed: 'teal', refused: 'red', failed: 'orange' };

const ROLE_SHORT: Record<AuditEntry['role'], string> = { platform_admin: 'admin', dba: 'DBA', support: 'support', system: 'system' };

export function tenantsText(tenantIds: readonly string[]): string {
  if (tenantIds.includes('*')) return 'all tenants';
  if (tenantIds.length <= 2) return tenantIds.join(', ');
  return `${tenantIds.slice(0, 2).join(', ')} +${tenantIds.length - 2}`;
}

export function justificationText(entry: AuditEntry): string {
  if (!entry.justification) return '';
  return entry.justification.ticket ? `${entry.justification.reason} (${entry.justification.ticket})` : entry.justification.reason;
}

/** The columns of the audit table, in the order a reader asks: when, who, what, why, how it ended. */
export const AUDIT_COLUMNS: readonly DataGridColumn<AuditEntry>[] = [
  { id: 'at', label: 'Time', header: 'Time', width: 168, cell: (e) => formatAuditTime(e.at), sortValue: (e) => e.at },
  {
    id: 'operator',
    label: 'Operator',
    header: 'Operator',
    width: 140,
    cell: (e) => <span title={e.operator.email || undefined}>{e.operator.name}</span>,
    sortValue: (e) => e.operator.name,
  },
  { id: 'role', label: 'Role', header: 'Role', width: 74, cell: (e) => ROLE_SHORT[e.role], sortValue: (e) => e.role },
  {
    id: 'action',
    label: 'Action',
    header: 'Action',
    width: 180,
    cell: (e) => (
      <Text span size="xs" ff="monospace">
        {e.action}
      </Text>
    ),
    sortValue: (e) => e.action,
  },
  { id: 'target', label: 'Target', header: 'Target', cell: (e) => <span title={e.target}>{e.target}</span> },
  { id: 'tenants', label: 'Tenants', header: 'Tenants', width: 130, cell: (e) => tenantsText(e.tenantIds) },
  {
    id: 'justification',
    label: 'Justification',
    header: 'Justification',
    cell: (e) => <span title={justificationText(e)}>{justificationText(e) || '—'}</span>,
    sortValue: (e) => justificationText(e) || null,
  },
  {
    id: 'outcome',
    label: 'Outcome',
    header: 'Outcome',
    width: 84,
    cell: (e) => (
      <Badge size="xs" variant="light" color={OUTCOME_COLOR[e.outcome]}>
        {e.outcome}
      </Badge>
    ),
    sortValue: (e) => e.outcome,
  },
];
