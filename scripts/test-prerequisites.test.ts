import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without type declarations; its exports are checked by these tests
import { adviceFor, canInstall, findMissing } from './test-prerequisites.mjs';

const SCRIPT = join(import.meta.dirname, 'test-prerequisites.mjs');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A folder of executables that answer `--version`, standing in for installed programs. */
function fakePrograms(names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'tenantscope-prereq-'));
  dirs.push(dir);
  for (const name of names) {
    writeFileSync(join(dir, name), '#!/bin/sh\necho "fake 1.0"\n');
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

describe('test prerequisites', () => {
  it('names every missing piece with its Debian, Fedora and Homebrew install commands, and no stack trace', () => {
    // PATH holds node alone (node's own folder may hold redis-server too); CHROMIUM_PATH points nowhere.
    const nodeOnly = fakePrograms([]);
    symlinkSync(process.execPath, join(nodeOnly, 'node'));
    const env = { PATH: nodeOnly, CHROMIUM_PATH: '/nonexistent/chromium', TENANTSCOPE_NO_INSTALL: '1' };
    const run = spawnSync(process.execPath, [SCRIPT], { env, encoding: 'utf8' });
    expect(run.status).toBe(1);
    const said = run.stdout + run.stderr;
    expect(said).toContain('- redis-server:');
    expect(said).toContain('- chromium:');
    expect(said).toContain('CHROMIUM_PATH is set to /nonexistent/chromium');
    expect(said).toMatch(/sudo apt-get install -y redis-server chromium/);
    expect(said).toContain('sudo dnf install -y redis');
    expect(said).toContain('brew install redis');
    expect(said).toContain('brew install --cask chromium');
    expect(said).not.toMatch(/\n\s+at /);
  });

  it('finds nothing missing where every piece answers', () => {
    const bin = fakePrograms(['redis-server', 'initdb', 'pg_ctl', 'chromium']);
    const env = { PATH: bin, PG_BIN_DIR: bin, CHROMIUM_PATH: join(bin, 'chromium') };
    expect(findMissing({ env, uid: 1000 })).toEqual([]);
    const run = spawnSync(process.execPath, [SCRIPT], { env: { ...env, TENANTSCOPE_NO_INSTALL: '1' }, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout + run.stderr).toBe('');
  });

  it('counts a chromium that is not executable as missing', () => {
    const bin = fakePrograms(['redis-server', 'initdb', 'pg_ctl']);
    writeFileSync(join(bin, 'chromium'), 'not a program');
    const env = { PATH: bin, PG_BIN_DIR: bin, CHROMIUM_PATH: join(bin, 'chromium') };
    expect(findMissing({ env, uid: 1000 })).toEqual(['chromium']);
  });

  it('installs only as root, and never when told not to', () => {
    expect(canInstall({ uid: 1000, env: {} })).toBe(false);
    expect(canInstall({ uid: 0, env: { TENANTSCOPE_NO_INSTALL: '1' } })).toBe(false);
  });

  it('advises only about what is missing', () => {
    const advice: string = adviceFor(['postgresql-15'], { env: {} });
    expect(advice).toContain('postgresql-15');
    expect(advice).toContain('brew install postgresql@15');
    expect(advice).not.toContain('redis');
    expect(advice).not.toContain('chromium');
  });
});
