import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OperatorDirectory } from './operators';

let dataDir: string;
const defaults = { name: 'pat', email: 'pat@workstation' };

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tenantscope-operators-'));
});
afterEach(async () => rm(dataDir, { recursive: true, force: true }));

describe('OperatorDirectory', () => {
  it('makes the OS user the platform admin of a workspace nobody set an operator for', async () => {
    const directory = new OperatorDirectory(dataDir, defaults);
    expect(await directory.operatorOf('murima-dev')).toEqual({ operator: { ...defaults, role: 'platform_admin' }, managed: null });
  });

  it('keeps an operator per workspace on disk, and forgets it with the workspace', async () => {
    await new OperatorDirectory(dataDir, defaults).setOperator('murima-dev', { name: 'Sam', email: 'sam@example.com', role: 'support' });
    const reopened = new OperatorDirectory(dataDir, defaults);
    expect((await reopened.operatorOf('murima-dev')).operator).toEqual({ name: 'Sam', email: 'sam@example.com', role: 'support' });
    expect((await reopened.operatorOf('murima-prod')).operator.role).toBe('platform_admin');
    await reopened.forget('murima-dev');
    expect((await new OperatorDirectory(dataDir, defaults).operatorOf('murima-dev')).operator.role).toBe('platform_admin');
  });
});
