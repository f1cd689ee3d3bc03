import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditEntryDraft } from '@shared/model/audit';
import type { Environment } from '@shared/model/workspace';
import type { Role, Session } from '@shared/model/session';
import { maskRecord, maskedFieldRef } from '@shared/masking';
import { AuditJournal } from '../audit/journal';
import { verifyJournal } from '../audit/verify';
import { createAccessPolicy, type AccessPolicy } from './access-policy';
import { JustificationStore } from './justifications';

const session = (role: Role, name: string): Session => ({ connectionId: `c-${name}`, operator: { name, email: `${name}@example.com` }, role });
const support = session('support', 'sam');
const admin = session('platform_admin', 'ada');
const dba = session('dba', 'dee');

let dir: string;
let journals: Map<string, AuditJournal>;
let policy: AccessPolicy;
const environments: Record<string, Environment> = { 'murima-prod': 'prod', 'murima-dev': 'dev' };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tenantscope-policy-'));
  journals = new Map();
  policy = createAccessPolicy({
    justifications: new JustificationStore(),
    environmentOf: (id) => environments[id],
    record: async (journalId: string, draft: AuditEntryDraft) => {
      let journal = journals.get(journalId);
      if (!journal) {
        journal = await AuditJournal.open({ file: join(dir, `${journalId}.jsonl`), workspaceId: journalId });
        journals.set(journalId, journal);
      }
      return journal.append(draft);
    },
  });
});
afterEach(async () => {
  for (const journal of journals.values()) await journal.close();
  await rm(dir, { recursive: true, force: true });
});

async function entriesOf(journalId: string): Promise<AuditEntry[]> {
  const text = await readFile(join(dir, `${journalId}.jsonl`), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as AuditEntry);
}

describe('createAccessPolicy', () => {
  it('refuses support writing, reading another tenant and unmasking, and records each refusal', async () => {
    await policy.justify(support, { kind: 'tenant', workspaceId: 'murima-prod', tenantId: 't1' }, { reason: 'ticket SUP-9: missing case history' });
    await expect(policy.authorize('workspaces.update', { id: 'murima-prod', workspace: {} }, support)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(policy.authorize('cases.get', { workspaceId: 'murima-prod', tenantId: 't2', caseId: 'c' }, support)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      policy.justify(support, { kind: 'unmask', workspaceId: 'murima-prod', tenantId: 't1', field: 'postgres:users#password_hash' }, { reason: 'I would like to see it please' }),
    ).rejects.toMatchObject({ code: 'forbidden' });

    const entries = await entriesOf('murima-prod');
    expect(entries.map((e) => [e.action, e.outcome, e.tenantIds])).toEqual([
      ['access.justify.tenant', 'allowed', ['t1']],
      ['workspaces.update', 'refused', []],
      ['cases.get', 'refused', ['t2']],
      ['access.justify.unmask', 'refused', ['t1']],
    ]);
    expect(entries[0]?.justification?.reason).toBe('ticket SUP-9: missing case history');
    expect(entries[2]).toMatchObject({ operator: { name: 'sam', email: 'sam@example.com' }, role: 'support', details: { code: 'forbidden' } });
    expect((await verifyJournal(join(dir, 'murima-prod.jsonl'))).intact).toBe(true);
  });

  it('records an allowed tenant read with the reason that opened the tenant, before the call runs', async () => {
    await policy.justify(support, { kind: 'tenant', workspaceId: 'murima-prod', tenantId: 't1' }, { reason: 'ticket SUP-9: missing case history', ticket: 'SUP-9' });
    await policy.authorize('cases.get', { workspaceId: 'murima-prod', tenantId: 't1', caseId: 'c' }, support);
    const last = (await entriesOf('murima-prod')).at(-1);
    expect(last).toMatchObject({
      action: 'cases.get',
      outcome: 'allowed',
      tenantIds: ['t1'],
      justification: { reason: 'ticket SUP-9: missing case history', ticket: 'SUP-9' },
    });
  });

  it('records a DBA’s prod unlock with its reason and expiry', async () => {
    await policy.justify(dba, { kind: 'prod-unlock', workspaceId: 'murima-prod' }, { reason: 'hotfix for the index on cases (CHG-12)' });
    const entries = await entriesOf('murima-prod');
    expect(entries.at(-1)).toMatchObject({
      action: 'access.justify.prod-unlock',
      role: 'dba',
      outcome: 'allowed',
      justification: { reason: 'hotfix for the index on cases (CHG-12)' },
      details: { expiresAt: expect.any(String) },
    });
  });

  it('refuses an admin’s cross-tenant read without a reason and records it', async () => {
    // tenants.get names one tenant; two of them make it cross-tenant work.
    await expect(policy.authorize('tenants.get', { workspaceId: 'murima-dev', tenantIds: ['a', 'b'] }, admin)).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('Work across tenants needs a reason'),
    });
    await policy.justify(admin, { kind: 'cross-tenant', workspaceId: 'murima-dev' }, { reason: 'quarterly review of tenant sizes' });
    await policy.authorize('tenants.get', { workspaceId: 'murima-dev', tenantIds: ['a', 'b'] }, admin);
    const entries = await entriesOf('murima-dev');
    expect(entries.map((e) => [e.action, e.outcome])).toEqual([
      ['tenants.get', 'refused'],
      ['access.justify.cross-tenant', 'allowed'],
      ['tenants.get', 'allowed'],
    ]);
    expect(entries[2]?.justification?.reason).toBe('quarterly review of tenant sizes');
  });

  it('leaves the entry of a call that starts a job to the job, handing it the reason, and still records a refusal', async () => {
    const fix = { workspaceId: 'murima-dev', allTenants: true, dryRun: false, lockTimeoutMs: 3_000 };
    await expect(policy.authorize('indexes.applyFix', fix, admin)).rejects.toMatchObject({ code: 'forbidden' });
    await policy.justify(admin, { kind: 'cross-tenant', workspaceId: 'murima-dev' }, { reason: 'repair drift everywhere (CHG-7)' });
    const allowed = await policy.authorize('indexes.applyFix', fix, admin);
    expect(allowed.justification?.reason).toBe('repair drift everywhere (CHG-7)');
    // A call journaled by the policy itself gets its entry and hands on the same reason.
    const read = await policy.authorize('indexes.drift', { workspaceId: 'murima-dev', allTenants: true }, admin);
    expect(read.justification?.id).toBe(allowed.justification?.id);
    expect((await entriesOf('murima-dev')).map((e) => [e.action, e.outcome])).toEqual([
      ['indexes.applyFix', 'refused'],
      ['access.justify.cross-tenant', 'allowed'],
      ['indexes.drift', 'allowed'],
    ]);
  });

  it('refuses support a prod unlock and tells the UI what a role cannot do', async () => {
    await expect(policy.justify(support, { kind: 'prod-unlock', workspaceId: 'murima-prod' }, { reason: 'need to fix a typo now' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(await policy.check('workspaces.create', { workspace: {} }, support)).toMatchObject({ allowed: false, code: 'forbidden' });
    expect(await policy.check('workspaces.create', { workspace: {} }, dba)).toMatchObject({ allowed: true });
  });

  it('writes nothing for calls the table does not audit', async () => {
    await policy.authorize('system.ping', {}, support);
    await policy.authorize('workspaces.list', {}, support);
    expect(journals.size).toBe(0);
  });

  it('does not let a call run when its audit entry cannot be written', async () => {
    const failing = createAccessPolicy({
      justifications: new JustificationStore(),
      environmentOf: () => 'dev',
      record: async () => {
        throw new Error('disk full');
      },
    });
    await expect(failing.authorize('workspaces.create', { workspace: {} }, admin)).rejects.toThrow('disk full');
  });

  it('records a failure of an allowed call with its code', async () => {
    await policy.recordFailure('workspaces.remove', { id: 'murima-dev' }, admin, new Error('x'));
    expect((await entriesOf('murima-dev')).at(-1)).toMatchObject({ action: 'workspaces.remove', outcome: 'failed', details: { code: 'internal' } });
  });

  it('shows an admin a masked field in clear only after a recorded unmask, and never shows it to support', async () => {
    const justifications = new JustificationStore();
    const unmasking = createAccessPolicy({ justifications, environmentOf: () => 'prod', record: async () => undefined });
    const user = { username: 'john.doe', password_hash: '$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW' };
    const view = (who: Session) => maskRecord('postgres:users', user, who.role, justifications.unmaskedPaths(who, 'murima-prod', 't1', 'postgres:users'));

    expect(view(admin).password_hash).toBe('$2b$12$••••');
    const field = maskedFieldRef('postgres:users', 'password_hash');
    await unmasking.justify(admin, { kind: 'unmask', workspaceId: 'murima-prod', tenantId: 't1', field }, { reason: 'customer reports login loop, ticket SUP-31' });
    expect(view(admin).password_hash).toBe(user.password_hash);

    await unmasking.justify(support, { kind: 'tenant', workspaceId: 'murima-prod', tenantId: 't1' }, { reason: 'customer reports login loop, ticket SUP-31' });
    await expect(
      unmasking.justify(support, { kind: 'unmask', workspaceId: 'murima-prod', tenantId: 't1', field }, { reason: 'customer reports login loop' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect(view(support).password_hash).toBe('$2b$12$••••');
  });

  it('records a call naming thousands of tenants with every id, and a target short enough to read', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => `tenant-${i}`);
    await policy.justify(admin, { kind: 'cross-tenant', workspaceId: 'murima-dev' }, { reason: 'yearly clean-up of tenant footprints' });
    await policy.authorize('tenants.get', { workspaceId: 'murima-dev', tenantIds: many }, admin);
    const last = (await entriesOf('murima-dev')).at(-1);
    expect(last?.tenantIds).toHaveLength(3000);
    expect(last?.target).toContain('and 2995 more');
  });
});
