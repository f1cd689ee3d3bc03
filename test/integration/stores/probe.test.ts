import { createServer, type Server, type Socket } from 'node:net';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_PROBE_TIMEOUT_MS, probeEndpoint } from '../../../src/main/stores/probe';
import { PostgresEndpoint, RedisEndpoint } from '../../../src/shared/model/workspace';
import { freePort } from '../../support/ports';

/** A TCP server that accepts and never says a word, to prove the probe tears its socket down. */
async function silentServer(): Promise<{ port: number; open: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    // Read (and drop) what the client sends; a paused socket would never notice the client leaving.
    socket.resume();
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    open: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function waitUntil(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

describe('probeEndpoint against PostgreSQL', () => {
  const pg = inject('postgres');
  const endpoint = PostgresEndpoint.parse({ host: pg.host, port: pg.port, database: pg.database, username: pg.user });

  it('reads the server version and the round trip with the right password', async () => {
    const check = await probeEndpoint('postgres', endpoint, { password: pg.password });
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.serverVersion).toMatch(/^15\./);
    expect(check.latencyMs).toBeGreaterThan(0);
  });

  it('answers auth_failed for a wrong password', async () => {
    const check = await probeEndpoint('postgres', endpoint, { password: 'not-the-password' });
    expect(check).toMatchObject({ ok: false, code: 'auth_failed' });
  });

  it('answers auth_failed for an unknown user', async () => {
    const check = await probeEndpoint('postgres', { ...endpoint, username: 'nobody_here' }, { password: 'x' });
    expect(check).toMatchObject({ ok: false, code: 'auth_failed' });
  });

  it('answers unreachable for a port nobody listens on', async () => {
    const check = await probeEndpoint('postgres', { ...endpoint, port: await freePort() }, { password: pg.password });
    expect(check).toMatchObject({ ok: false, code: 'unreachable' });
  });

  it('answers unreachable for a host name that does not resolve', async () => {
    const check = await probeEndpoint('postgres', { ...endpoint, host: 'no-such-host.invalid' }, { password: pg.password });
    expect(check).toMatchObject({ ok: false, code: 'unreachable' });
  });

  it('answers tls when TLS is asked of a server without it', async () => {
    const check = await probeEndpoint(
      'postgres',
      { ...endpoint, tls: { enabled: true, rejectUnauthorized: true } },
      { password: pg.password },
    );
    expect(check).toMatchObject({ ok: false, code: 'tls' });
  });

  it('answers timeout when the server never speaks, and closes its socket', async () => {
    const silent = await silentServer();
    try {
      // Raced against a timer of half the default budget, started at the same moment: timers fire
      // in order, so the probe winning shows it kept to its own 300 ms however busy the machine is.
      let halfDefault: ReturnType<typeof setTimeout> | undefined;
      const first = await Promise.race([
        probeEndpoint('postgres', { ...endpoint, port: silent.port }, { password: 'x' }, { timeoutMs: 300 }),
        new Promise<'half the default budget'>((resolve) => (halfDefault = setTimeout(() => resolve('half the default budget'), DEFAULT_PROBE_TIMEOUT_MS / 2))),
      ]);
      clearTimeout(halfDefault);
      expect(first).toMatchObject({ ok: false, code: 'timeout' });
      expect(await waitUntil(() => silent.open() === 0, 1000)).toBe(true);
    } finally {
      await silent.close();
    }
  });

  it('throws cancelled when the caller aborts', async () => {
    const silent = await silentServer();
    try {
      const controller = new AbortController();
      const pending = probeEndpoint('postgres', { ...endpoint, port: silent.port }, { password: 'x' }, { signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
      expect(await waitUntil(() => silent.open() === 0, 1000)).toBe(true);
    } finally {
      await silent.close();
    }
  });
});

describe('probeEndpoint against Redis', () => {
  const redis = inject('redis');
  const endpoint = RedisEndpoint.parse({ host: redis.host, port: redis.port });

  it('reads redis_version with the right password', async () => {
    const check = await probeEndpoint('redis', endpoint, { password: redis.password });
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.serverVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(check.latencyMs).toBeGreaterThan(0);
  });

  it('answers auth_failed for a wrong password', async () => {
    const check = await probeEndpoint('redis', endpoint, { password: 'not-the-password' });
    expect(check).toMatchObject({ ok: false, code: 'auth_failed' });
  });

  it('answers auth_failed when no password is given to a server that needs one', async () => {
    const check = await probeEndpoint('redis', endpoint, {});
    expect(check).toMatchObject({ ok: false, code: 'auth_failed' });
  });

  it('answers unreachable for a port nobody listens on', async () => {
    const check = await probeEndpoint('redis', { ...endpoint, port: await freePort() }, { password: redis.password });
    expect(check).toMatchObject({ ok: false, code: 'unreachable' });
  });

  it('answers timeout when the server never speaks, and closes its socket', async () => {
    const silent = await silentServer();
    try {
      const check = await probeEndpoint('redis', { ...endpoint, port: silent.port }, { password: 'x' }, { timeoutMs: 300 });
      expect(check).toMatchObject({ ok: false, code: 'timeout' });
      expect(await waitUntil(() => silent.open() === 0, 1000)).toBe(true);
    } finally {
      await silent.close();
    }
  });
});

describe('probeEndpoint against endpoints that do not exist here', () => {
  let port = 0;
  beforeAll(async () => {
    port = await freePort();
  });

  it('answers unreachable for MongoDB on a closed port', async () => {
    const check = await probeEndpoint('mongo', { hosts: `127.0.0.1:${port}`, srv: false, databases: {}, tls: { enabled: false, rejectUnauthorized: true }, poolSize: 1 }, {}, { timeoutMs: 1500 });
    expect(check).toMatchObject({ ok: false, code: 'unreachable' });
  });

  it('answers unreachable for Elasticsearch on a closed port', async () => {
    const check = await probeEndpoint('elastic', { node: `http://127.0.0.1:${port}`, tls: { enabled: false, rejectUnauthorized: true }, poolSize: 1 }, {}, { timeoutMs: 1500 });
    expect(check).toMatchObject({ ok: false, code: 'unreachable' });
  });
});
