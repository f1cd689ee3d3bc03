import { describe, expect, it } from 'vitest';
import type { Role } from '@shared/model/session';
import { decide } from '../../security/policy/decide';
import { JustificationStore } from '../../security/policy/justifications';

const as = (role: Role) => ({ operator: { name: role }, role });
const allowed = (method: string, role: Role, environment: 'dev' | 'prod') =>
  decide(method, { workspaceId: 'w' }, as(role), { environment, justifications: new JustificationStore() }).allowed;

describe('who may run whole-store backups', () => {
  it('support reads the state but never saves, snapshots or registers a repository', () => {
    expect(allowed('storeBackups.redisPersistence', 'support', 'prod')).toBe(true);
    expect(allowed('storeBackups.repositories', 'support', 'prod')).toBe(true);
    for (const method of ['storeBackups.redisSave', 'storeBackups.snapshotAll', 'storeBackups.registerRepository']) {
      expect(allowed(method, 'support', 'dev'), method).toBe(false);
    }
  });

  it('a DBA saves and snapshots on prod without an unlock (nothing changes), but registers a repository there only under one', () => {
    expect(allowed('storeBackups.redisSave', 'dba', 'prod')).toBe(true);
    expect(allowed('storeBackups.snapshotAll', 'dba', 'prod')).toBe(true);
    expect(allowed('storeBackups.registerRepository', 'dba', 'dev')).toBe(true);
    expect(allowed('storeBackups.registerRepository', 'dba', 'prod')).toBe(false);
  });
});
