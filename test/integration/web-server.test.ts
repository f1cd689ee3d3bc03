import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AppError } from '../../src/shared/errors';
import { MAX_MESSAGE_BYTES, type ServerMessage } from '../../src/shared/contract/protocol';
import { createConsole, type ConsoleCore } from '../../src/main/core/console';
import { startWebServer, type WebServer } from '../../src/main/server/web-server';
import { expectHardenedCsp } from '../support/csp';
import { connectApi, httpGet, openSocket } from '../support/web-client';

/** The console core, counting what reaches its router: a refused request must leave both at 0. */
function counting(core: ConsoleCore): { core: ConsoleCore; connects: () => number; messages: () => number } {
  let connects = 0;
  let messages = 0;
  return {
    core: {
      ...core,
      router: {
        ...core.router,
        connect(connection, session) {
          connects++;
          const inner = core.router.connect(connection, session);
          return {
            receive(message) {
              messages++;
              inner.receive(message);
            },
            close: () => inner.close(),
          };
        },
      },
    },
    connects: () => connects,
    messages: () => messages,
  };
}

function closed(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

function nextMessage(socket: WebSocket, callId: string): Promise<ServerMessage> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      if (message.kind === 'result' && message.callId === callId) {
        socket.off('message', onMessage);
        resolve(message);
      }
    };
    socket.on('message', onMessage);
  });
}

let staticDir: string;
let dataDir: string;
let realCore: ConsoleCore;
let probe: ReturnType<typeof counting>;
let server: WebServer;
let wsUrl: string;
const open: WebSocket[] = [];

const auth = (): Record<string, string> => ({ authorization: `Bearer ${server.token}` });
async function authedSocket(): Promise<WebSocket> {
  const outcome = await openSocket(wsUrl, { origin: server.origin, headers: auth() });
  if (!('socket' in outcome)) throw new Error(`refused with ${outcome.refused}`);
  open.push(outcome.socket);
  return outcome.socket;
}

beforeAll(async () => {
  staticDir = await mkdtemp(join(tmpdir(), 'ts-web-static-'));
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>Tenantscope</title>');
  await mkdir(join(staticDir, 'assets'));
  await writeFile(join(staticDir, 'assets', 'app-abc.js'), 'export {};');
  dataDir = await mkdtemp(join(tmpdir(), 'ts-web-data-'));
  realCore = await createConsole({ dataDir, mode: 'web', version: 'test' });
  probe = counting(realCore);
  server = await startWebServer({ core: probe.core, staticDir });
  wsUrl = `${server.origin.replace('http', 'ws')}/api`;
});

afterEach(() => {
  for (const socket of open.splice(0)) socket.terminate();
});

afterAll(async () => {
  await server?.close();
  await realCore?.close();
  await rm(staticDir, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

describe('web-mode server: the launch token', () => {
  it('refuses HTTP requests without the token or with a wrong one (401)', async () => {
    expect((await httpGet(server.origin, '/')).status).toBe(401);
    expect((await httpGet(server.origin, '/?token=wrong')).status).toBe(401);
    expect((await httpGet(server.origin, `/?token=${server.token}x`)).status).toBe(401);
    expect((await httpGet(server.origin, '/', { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await httpGet(server.origin, '/', { cookie: `tenantscope_token_${server.port}=nope` })).status).toBe(401);
  });

  it('refuses a WebSocket without the token or with a wrong one, before anything reaches the router', async () => {
    const connectsBefore = probe.connects();
    expect(await openSocket(wsUrl, { origin: server.origin })).toEqual({ refused: 401 });
    expect(await openSocket(`${wsUrl}?token=wrong`, { origin: server.origin })).toEqual({ refused: 401 });
    expect(await openSocket(wsUrl, { origin: server.origin, headers: { authorization: 'Bearer wrong' } })).toEqual({ refused: 401 });
    expect(probe.connects()).toBe(connectsBefore);
  });

  it('trades the token in the address for an HttpOnly SameSite=Strict cookie, which is then accepted', async () => {
    const first = await httpGet(server.origin, `/?token=${server.token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const setCookie = first.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
    const cookie = setCookie.split(';')[0] ?? '';
    expect(cookie).toBe(`tenantscope_token_${server.port}=${server.token}`);

    const page = await httpGet(server.origin, '/', { cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Tenantscope</title>');
    const outcome = await openSocket(wsUrl, { origin: server.origin, headers: { cookie } });
    expect('socket' in outcome).toBe(true);
    if ('socket' in outcome) open.push(outcome.socket);
  });

  it('serves index.html with the CSP, nosniff, no-referrer and no-store headers', async () => {
    const page = await httpGet(server.origin, '/', auth());
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expectHardenedCsp(page.headers['content-security-policy']);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('serves assets with their MIME type and client-side routes with index.html', async () => {
    const asset = await httpGet(server.origin, '/assets/app-abc.js', auth());
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.body).toBe('export {};');
    const route = await httpGet(server.origin, '/workspaces/42', auth());
    expect(route.body).toContain('<title>Tenantscope</title>');
    expect((await httpGet(server.origin, '/assets/missing.js', auth())).status).toBe(404);
  });

  it('answers only GET and HEAD', async () => {
    expect((await httpGet(server.origin, '/', auth(), 'POST')).status).toBe(405);
    const head = await httpGet(server.origin, '/', auth(), 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });
});

describe('web-mode server: Host, Origin and paths', () => {
  it('refuses a request whose Host header names another server (DNS rebinding), even with the token', async () => {
    const reply = await httpGet(server.origin, '/', { ...auth(), host: `evil.example:${server.port}` });
    expect(reply.status).toBe(403);
    expect(reply.body).not.toContain('Tenantscope</title>');
    const connectsBefore = probe.connects();
    expect(await openSocket(wsUrl, { origin: server.origin, headers: { ...auth(), host: `evil.example:${server.port}` } })).toEqual({
      refused: 403,
    });
    expect(probe.connects()).toBe(connectsBefore);
  });

  it('refuses a WebSocket from another origin, or with no origin, even with the token', async () => {
    const connectsBefore = probe.connects();
    expect(await openSocket(wsUrl, { origin: 'http://evil.example', headers: auth() })).toEqual({ refused: 403 });
    expect(await openSocket(wsUrl, { origin: `http://localhost:${server.port}`, headers: auth() })).toEqual({ refused: 403 });
    expect(await openSocket(wsUrl, { headers: auth() })).toEqual({ refused: 403 });
    expect(probe.connects()).toBe(connectsBefore);
  });

  it('refuses path traversal', async () => {
    for (const path of ['/..%2f..%2fetc/passwd', '/assets/..%2F..%2F..%2Fetc%2Fpasswd', '/%2e%2e/%2e%2e/etc/passwd']) {
      const reply = await httpGet(server.origin, path, auth());
      expect(reply.status, path).toBe(403);
      expect(reply.body).not.toMatch(/root:/);
    }
  });
});

describe('web-mode server: the API socket', () => {
  it('round-trips system.ping through the typed client over a real WebSocket', async () => {
    const { api } = connectApi(server.origin, server.token);
    const reply = await api.system.ping({ echo: 'over the wire' });
    expect(reply.echo).toBe('over the wire');
    expect(Number.isNaN(Date.parse(reply.at))).toBe(false);
    expect((await api.system.info({})).mode).toBe('web');
  });

  it('reports invalid arguments and unknown methods with their codes', async () => {
    const { api } = connectApi(server.origin, server.token);
    await expect(api.system.sampleRows({ count: 0 })).rejects.toSatisfy((e) => AppError.is(e, 'invalid_argument'));
    const socket = await authedSocket();
    const answer = nextMessage(socket, 'u1');
    socket.send(JSON.stringify({ kind: 'call', callId: 'u1', method: 'system.nope', args: {} }));
    expect(await answer).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('carries 10,000 sample rows intact', async () => {
    const { api } = connectApi(server.origin, server.token);
    const result = await api.system.sampleRows({ count: 10_000, seed: 5 });
    expect(result.rows).toHaveLength(10_000);
    expect(result.rows[9_999]?.[0]).toBe(10_000);
  });

  it('aborts the service’s signal when the client cancels over the socket', async () => {
    const socket = await authedSocket();
    const answer = nextMessage(socket, 'slow');
    socket.send(JSON.stringify({ kind: 'call', callId: 'slow', method: 'system.sampleRows', args: { count: 200_000 } }));
    socket.send(JSON.stringify({ kind: 'cancel', callId: 'slow' }));
    // Uncancelled, this call answers ok with 200,000 rows; cancelled, the service stops with `cancelled`.
    expect(await answer).toMatchObject({ ok: false, error: { code: 'cancelled' } });

    const { api } = connectApi(server.origin, server.token);
    const controller = new AbortController();
    const call = api.system.sampleRows({ count: 200_000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    await expect(call).rejects.toSatisfy((e) => AppError.is(e, 'cancelled'));
  });

  it('closes a connection that sends malformed JSON; another connection keeps working', async () => {
    const bystander = connectApi(server.origin, server.token);
    await bystander.api.system.ping({});
    const socket = await authedSocket();
    const done = closed(socket);
    socket.send('{"kind":"call", oops');
    expect((await done).code).toBe(1007);
    expect((await bystander.api.system.ping({ echo: 'still here' })).echo).toBe('still here');
  });

  it('closes a connection that sends a binary frame', async () => {
    const socket = await authedSocket();
    const done = closed(socket);
    socket.send(Buffer.from('{"kind":"cancel","callId":"x"}'), { binary: true });
    expect((await done).code).toBe(1003);
  });

  it('refuses an oversize message without crashing; another connection keeps working', async () => {
    const bystander = connectApi(server.origin, server.token);
    await bystander.api.system.ping({});
    const socket = await authedSocket();
    const done = closed(socket);
    const messagesBefore = probe.messages();
    socket.send(JSON.stringify({ kind: 'call', callId: 'big', method: 'system.ping', args: { echo: 'x'.repeat(MAX_MESSAGE_BYTES) } }));
    expect((await done).code).toBe(1009);
    expect(probe.messages()).toBe(messagesBefore);
    expect((await bystander.api.system.ping({ echo: 'fine' })).echo).toBe('fine');
  });

  it('ignores valid JSON that is not a protocol message', async () => {
    const socket = await authedSocket();
    socket.send(JSON.stringify({ hello: 'world' }));
    socket.send(JSON.stringify([1, 2, 3]));
    const answer = nextMessage(socket, 'after');
    socket.send(JSON.stringify({ kind: 'call', callId: 'after', method: 'system.ping', args: { echo: 'ok' } }));
    expect(await answer).toMatchObject({ ok: true, value: { echo: 'ok' } });
  });
});

describe('web-mode server: binding and shutdown', () => {
  it('refuses to listen on 0.0.0.0 without allowRemote', async () => {
    await expect(startWebServer({ core: realCore, staticDir, host: '0.0.0.0' })).rejects.toSatisfy((e) =>
      AppError.is(e, 'invalid_argument'),
    );
  });

  it('listens on 0.0.0.0 with allowRemote and warns about it', async () => {
    const warnings: string[] = [];
    const remote = await startWebServer({
      core: realCore,
      staticDir,
      host: '0.0.0.0',
      allowRemote: true,
      log: { warn: (line: string) => warnings.push(line), error: () => undefined },
    });
    try {
      expect(warnings.join('\n')).toMatch(/0\.0\.0\.0/);
      expect((await httpGet(remote.origin, '/', { authorization: `Bearer ${remote.token}` })).status).toBe(200);
      expect((await httpGet(remote.origin, '/')).status).toBe(401);
    } finally {
      await remote.close();
    }
  });

  it('refuses to start without a built renderer, telling how to build it', async () => {
    await expect(startWebServer({ core: realCore, staticDir: join(staticDir, 'nowhere') })).rejects.toThrow(/npm run build/);
  });

  it('fails calls in flight with unreachable when the server shuts down', async () => {
    const second = await startWebServer({ core: realCore, staticDir });
    const { api } = connectApi(second.origin, second.token);
    await api.system.ping({});
    const call = api.system.sampleRows({ count: 200_000 });
    await second.close();
    await expect(call).rejects.toSatisfy((e) => AppError.is(e, 'unreachable'));
    await expect(api.system.ping({})).rejects.toSatisfy((e) => AppError.is(e, 'unreachable'));
  });
});
