import { describe, expect, it } from 'vitest';
import { METHOD_CLASS_NAMES } from '@shared/access';
import { METHOD_NAMES, methodSpec } from '@shared/contract';
import { createAccessPolicy } from './access-policy';
import { decide } from './decide';
import { JustificationStore } from './justifications';
import { CLASS_RULES, METHOD_CLASSES, classOf } from './table';

const admin = { connectionId: 'c', operator: { name: 'Ada Admin' }, role: 'platform_admin' as const };

describe('the policy table derived from the contract', () => {
  it('has exactly the contract’s methods, each with the class the contract declares', () => {
    expect(Object.keys(METHOD_CLASSES).sort()).toEqual([...METHOD_NAMES].sort());
    const differing = METHOD_NAMES.filter((name) => METHOD_CLASSES[name] !== methodSpec(name).access || classOf(name) !== methodSpec(name).access);
    expect(differing).toEqual([]);
  });

  it('has a rule for every class a method can declare, and no other', () => {
    expect(Object.keys(CLASS_RULES).sort()).toEqual([...METHOD_CLASS_NAMES].sort());
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(METHOD_CLASSES)).toBe(true);
  });

  it.each(['backups.restoreEverything', 'system', 'system.info.more', 'toString', '__proto__', 'constructor', 'system.constructor', ''])(
    'gives %j no class, so the policy refuses it even to a platform admin',
    (name) => {
      expect(classOf(name)).toBeUndefined();
      const decision = decide(name, {}, admin, { environment: 'dev', justifications: new JustificationStore() });
      expect(decision).toMatchObject({ allowed: false, code: 'forbidden', message: expect.stringContaining('no line in the access policy') });
    },
  );

  it('refuses an unknown method at the router hook and records the refusal', async () => {
    const recorded: { journalId: string; action: string; outcome: string }[] = [];
    const policy = createAccessPolicy({
      justifications: new JustificationStore(),
      environmentOf: () => 'dev',
      record: async (journalId, draft) => void recorded.push({ journalId, action: draft.action, outcome: draft.outcome }),
    });
    await expect(policy.authorize('backups.restoreEverything', { workspaceId: 'w' }, admin)).rejects.toMatchObject({ code: 'forbidden' });
    expect(recorded).toEqual([{ journalId: 'w', action: 'backups.restoreEverything', outcome: 'refused' }]);
  });
});
