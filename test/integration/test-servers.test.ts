import { describe, expect, inject, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import setup from '../support/global-setup';
import { startRedis } from '../support/redis-server';

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('throwaway test servers', () => {
  it('provides a PostgreSQL and a Redis listening on loopback', async () => {
    expect(await canConnect(inject('postgres').port)).toBe(true);
    expect(await canConnect(inject('redis').port)).toBe(true);
  });

  it('kills and restarts a Redis on the same port', async () => {
    const redis = await startRedis();
    try {
      await redis.kill();
      expect(await canConnect(redis.port)).toBe(false);
      await redis.restart();
      expect(await canConnect(redis.port)).toBe(true);
    } finally {
      await redis.stop();
    }
  });
});

/** Process ids of throwaway PostgreSQL servers, read from their command lines. */
function throwawayPostgresPids(): Set<number> {
  const pids = new Set<number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = (() => {
      try {
        return readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      } catch {
        return '';
      }
    })();
    if (/postgres\0-D\0[^\0]*tenantscope-e?pg-/.test(cmdline)) pids.add(Number(entry));
  }
  return pids;
}

describe('test setup that fails half way', () => {
  it('stops the PostgreSQL it started when redis-server cannot start, and says what failed', async () => {
    const before = throwawayPostgresPids();
    const path = process.env.PATH;
    // The same PATH, less redis-server: every other program is linked into one folder.
    const nodeOnly = mkdtempSync(join(tmpdir(), 'tenantscope-path-'));
    for (const dir of (path ?? '').split(':').filter(Boolean)) {
      for (const name of (() => { try { return readdirSync(dir); } catch { return []; } })()) {
        if (name !== 'redis-server' && !existsSync(join(nodeOnly, name))) symlinkSync(join(dir, name), join(nodeOnly, name));
      }
    }
    process.env.PATH = nodeOnly;
    let failure: unknown;
    try {
      await setup({ provide: () => undefined });
    } catch (error) {
      failure = error;
    } finally {
      process.env.PATH = path;
      rmSync(nodeOnly, { recursive: true, force: true });
    }
    expect(String(failure)).toContain('redis-server');
    expect(String(failure)).toContain('test-prerequisites');
    // PostgreSQL did start, so there was something to stop.
    expect(String(failure)).not.toContain('PostgreSQL 15:');
    const left = [...throwawayPostgresPids()].filter((pid) => !before.has(pid));
    expect(left).toEqual([]);
  });
});
