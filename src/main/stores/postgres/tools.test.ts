import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateTool, majorOf, versionProblem } from './tools';

describe('PostgreSQL client programs', () => {
  let older: string;
  let empty: string;

  beforeAll(async () => {
    // A program that answers --version as a PostgreSQL 14 pg_dump would (no such binary is installed here).
    older = await mkdtemp(join(tmpdir(), 'tenantscope-pg14-'));
    await writeFile(join(older, 'pg_dump'), '#!/bin/sh\necho "pg_dump (PostgreSQL) 14.11 (Debian 14.11-1)"\n');
    await chmod(join(older, 'pg_dump'), 0o755);
    empty = await mkdtemp(join(tmpdir(), 'tenantscope-nopg-'));
  });

  afterAll(async () => {
    await rm(older, { recursive: true, force: true });
    await rm(empty, { recursive: true, force: true });
  });

  it('reads the major version as the programs print it', () => {
    expect(majorOf('pg_dump (PostgreSQL) 15.8 (Debian 15.8-1.pgdg120+1)')).toBe(15);
    expect(majorOf('pg_restore (PostgreSQL) 9.6.24')).toBe(9);
    expect(majorOf('psql (PostgreSQL) 17beta1')).toBe(17);
  });

  it('accepts a program of the server’s major or newer, never an older one', () => {
    const tool = (major: number) => ({ name: 'pg_dump' as const, path: '/x/pg_dump', version: `pg_dump (PostgreSQL) ${major}.1`, major });
    expect(versionProblem(tool(15), { text: '15.8', major: 15 })).toBeUndefined();
    expect(versionProblem(tool(16), { text: '15.8', major: 15 })).toBeUndefined();
    expect(versionProblem(tool(14), { text: '15.8', major: 15 })).toContain('TENANTSCOPE_PG_BIN');
  });

  it('an older pg_dump is version_mismatch naming both versions and how to point the console at matching programs', async () => {
    const failure = await locateTool('pg_dump', { text: '15.8', major: 15 }, { binDir: older }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'version_mismatch' });
    const message = (failure as Error).message;
    expect(message).toContain('pg_dump (PostgreSQL) 14.11');
    expect(message).toContain('PostgreSQL 15.8');
    expect(message).toContain('TENANTSCOPE_PG_BIN');
    expect(message).toContain('/usr/lib/postgresql/15/bin');
  });

  it('a folder without the program is tool_missing, naming the program and the install command', async () => {
    const failure = await locateTool('pg_restore', { text: '16.2', major: 16 }, { binDir: empty }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'tool_missing' });
    expect((failure as Error).message).toContain(`pg_restore was not found in ${empty}`);
    expect((failure as Error).message).toContain('apt-get install postgresql-client-16');
  });
});
