import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '@shared/model/audit';
import type { Role, Session } from '@shared/model/session';
import { createRouter, type Router, type Services } from '../../core/router';
import { AuditLog } from '../audit/audit-log';
import { createAccessPolicy } from './access-policy';
import { JustificationStore } from './justifications';

const session = (role: Role): Session => ({ connectionId: `c-${role}`, operator: { name: `${role} person` }, role });

const WORKSPACE = {
  name: 'Murima dev',
  environment: 'dev',
  preset: 'murima2025',
  endpoints: {},
} as const;

let dir: string;
let log: AuditLog;
let router: Router;
let calls: { method: string; journalAtCall: AuditEntry[] }[];

async function journal(): Promise<AuditEntry[]> {
  const text = await readFile(log.journalFile('_console'), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as AuditEntry);
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tenantscope-router-policy-'));
  log = new AuditLog({ directory: dir });
  calls = [];
  const policy = createAccessPolicy({
    justifications: new JustificationStore(),
    environmentOf: () => 'dev',
    record: (journalId, draft) => log.record(journalId, draft),
  });
  // Every service method records that it ran and what the journal held at that moment.
  const services = new Proxy({} as Services, {
    get: (_target, section: string) =>
      new Proxy(
        {},
        {
          get: (_inner, name: string) => async () => {
            calls.push({ method: `${section}.${name}`, journalAtCall: await journal() });
            return { echo: 'ok', at: new Date().toISOString() };
          },
        },
      ),
  });
  router = createRouter(services, { authorize: policy.authorize });
});
afterEach(async () => {
  await log.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the access policy as the router’s authorize hook', () => {
  it('refuses support creating a workspace before the service runs, and records the refusal', async () => {
    await expect(router.invoke('workspaces.create', { workspace: WORKSPACE }, session('support'))).rejects.toMatchObject({ code: 'forbidden' });
    expect(calls).toEqual([]);
    expect((await journal()).map((e) => [e.action, e.outcome, e.role])).toEqual([['workspaces.create', 'refused', 'support']]);
  });

  it('records an allowed, audited call on disk before the service runs', async () => {
    await router.invoke('workspaces.create', { workspace: WORKSPACE }, session('platform_admin'));
    expect(calls.map((c) => c.method)).toEqual(['workspaces.create']);
    expect(calls[0]?.journalAtCall.map((e) => [e.action, e.outcome])).toEqual([['workspaces.create', 'allowed']]);
  });

  it('lets unaudited calls through without writing anything', async () => {
    await router.invoke('system.ping', {}, session('support'));
    expect(calls.map((c) => c.method)).toEqual(['system.ping']);
    expect(await journal()).toEqual([]);
  });
});
