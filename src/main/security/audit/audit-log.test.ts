import { appendFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditSink } from '@shared/model/audit';
import { AuditLog } from './audit-log';

let dir: string;
let log: AuditLog | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tenantscope-auditlog-'));
});
afterEach(async () => {
  await log?.close();
  await rm(dir, { recursive: true, force: true });
});

const draft = { operator: { name: 'Ada' }, role: 'platform_admin', action: 'workspaces.update', outcome: 'allowed' } as const;

describe('AuditLog', () => {
  it('keeps one chain per workspace and ships each to its own admin store', async () => {
    const shipped = new Map<string, number[]>();
    const sinkFor = (journalId: string): AuditSink | undefined =>
      journalId === 'local-only'
        ? undefined
        : { ship: async (entries: readonly AuditEntry[]) => void shipped.set(journalId, [...(shipped.get(journalId) ?? []), ...entries.map((e) => e.seq)]) };
    log = new AuditLog({ directory: dir, sinkFor });
    await log.record('prod', draft);
    await log.record('dev', draft);
    const third = await log.record('prod', draft);
    await log.record('local-only', draft);
    expect(third).toMatchObject({ seq: 2, workspaceId: 'prod' });
    await log.whenShipped('prod', 2);
    await log.whenShipped('dev', 1);
    expect(shipped.get('prod')).toEqual([1, 2]);
    expect(shipped.get('dev')).toEqual([1]);
    expect(await log.shipping('local-only')).toBeUndefined();
    expect(await log.verify('prod')).toMatchObject({ intact: true, lastSeq: 2 });
  });

  it('refuses a journal id that could leave its directory', async () => {
    log = new AuditLog({ directory: dir });
    await expect(log.record('../etc', draft)).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(log.record('_console', draft)).resolves.toMatchObject({ workspaceId: '_console' });
  });

  it('tells about a torn last line found on open', async () => {
    await mkdir(dir, { recursive: true });
    const torn = '{"seq":1,"act';
    await appendFile(join(dir, 'prod.jsonl'), torn);
    const recoveries: string[] = [];
    log = new AuditLog({ directory: dir, onRecovery: (journalId, recovery) => recoveries.push(`${journalId}:${recovery.tornBytes}`) });
    const entry = await log.record('prod', draft);
    expect(recoveries).toEqual([`prod:${torn.length}`]);
    expect(entry.seq).toBe(2);
  });
});
