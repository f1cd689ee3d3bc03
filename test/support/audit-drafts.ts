import type { AuditEntryDraft } from '@shared/model/audit';

/**
 * The n-th of a run of audited reads of one client by a support operator with a reason: what the
 * shipping tests append, numbered so order and gaps show in what arrives.
 */
export function clientReadDraft(n: number, overrides: Partial<AuditEntryDraft> = {}): AuditEntryDraft {
  return {
    operator: { name: 'Sam Support', email: 'sam@example.com' },
    role: 'support',
    tenantIds: ['64b7f0c2a1b2c3d4e5f60718'],
    action: 'clients.get',
    target: `mongo:clients/${n}`,
    justification: { id: 'j-1', reason: 'customer says invoices are missing', ticket: 'SUP-1' },
    outcome: 'allowed',
    details: { n },
    ...overrides,
  };
}
