import type { AuditEntry } from '@shared/model/audit';

const COLUMNS = [
  'seq', 'at', 'workspace', 'operator', 'email', 'role', 'tenants', 'action', 'target', 'outcome', 'reason', 'ticket', 'details', 'prevHash', 'hash',
] as const;

/**
 * One CSV field: quoted when needed, and a leading `=`, `+`, `-`, `@`, tab or CR neutralised with
 * a quote mark so a spreadsheet never runs a reason someone typed as a formula.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function row(entry: AuditEntry): string[] {
  return [
    String(entry.seq),
    entry.at,
    entry.workspaceId,
    entry.operator.name,
    entry.operator.email ?? '',
    entry.role,
    entry.tenantIds.join(' '),
    entry.action,
    entry.target,
    entry.outcome,
    entry.justification?.reason ?? '',
    entry.justification?.ticket ?? '',
    JSON.stringify(entry.details),
    entry.prevHash,
    entry.hash,
  ];
}

/** Entries as CSV (a header line, CRLF line ends as RFC 4180 asks). Entries hold no secrets to leave out. */
export function entriesToCsv(entries: readonly AuditEntry[]): string {
  return [COLUMNS.join(','), ...entries.map((entry) => row(entry).map(csvField).join(','))].join('\r\n') + '\r\n';
}

/** Entries as JSON, exactly as the journal holds them, so their hashes can be checked again. */
export function entriesToJson(entries: readonly AuditEntry[]): string {
  return `${JSON.stringify(entries, null, 2)}\n`;
}
