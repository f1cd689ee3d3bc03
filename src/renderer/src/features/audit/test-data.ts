import { GENESIS_HASH, type AuditEntry } from '@shared/model/audit';

/** A journal entry as the main process returns it; the hashes are only shaped, not computed. */
export function sampleEntry(seq: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    seq,
    id: `e-${seq}`,
    at: new Date(Date.UTC(2026, 10, 22, 8, seq, 0)).toISOString(),
    workspaceId: 'murima-dev',
    operator: { name: 'Sam Support', email: 'sam@example.com' },
    role: 'support',
    tenantIds: ['acme'],
    action: 'tenants.get',
    target: 'tenants.get · workspace murima-dev · tenant acme',
    justification: { id: 'j-1', reason: 'Customer reports missing invoices', ticket: 'SUP-12' },
    outcome: 'allowed',
    details: {},
    prevHash: seq === 1 ? GENESIS_HASH : String(seq - 1).padStart(64, 'a'),
    hash: String(seq).padStart(64, 'a'),
    ...overrides,
  };
}
