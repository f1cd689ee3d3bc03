import type { AccessSession, ActiveJustification, Operator } from '@shared/model/operator';

/** An access session as the main process answers it: not managed, no reasons given yet. */
export function sampleSession(operator: Partial<Operator> = {}, extra: Partial<AccessSession> = {}): AccessSession {
  return {
    workspaceId: 'murima-dev',
    operator: { name: 'Sam Support', email: 'sam@example.com', role: 'support', ...operator },
    managed: null,
    justifications: [],
    prodUnlock: null,
    ...extra,
  };
}

export function sampleJustification(overrides: Partial<ActiveJustification> = {}): ActiveJustification {
  return {
    id: 'j-1',
    scope: 'tenant',
    tenantId: 'acme',
    reason: 'Customer reports missing invoices',
    ticket: 'SUP-12',
    expiresAt: new Date(Date.now() + 30 * 60_000).toISOString(),
    ...overrides,
  };
}
