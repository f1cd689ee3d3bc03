import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { AppError } from '@shared/errors';
import { MAX_MESSAGE_BYTES } from '@shared/contract/protocol';
import type { ConsoleCore } from '../core/console';
import { contentSecurityPolicy } from '../security/csp';
import { attachApiSocket, CLOSE_CODES } from './api-socket';
import { hostWithPort, isLoopbackHost, isWildcardHost } from './hosts';
import { lookupStatic, mimeType } from '../security/renderer-files';
import { DOWNLOADS_PATH } from '../features/workbench/downloads';
import { newToken, offeredToken, tokenCookie, tokensEqual } from './token';

export interface WebServerOptions {
  core: ConsoleCore;
  /** The built renderer (out/renderer). */
  staticDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Needed to listen on anything but loopback. */
  allowRemote?: boolean;
  /** A fixed token (at least 32 characters); by default a random one per launch. */
  token?: string;
  /** Where warnings and internal failures go; the console by default. */
  log?: Pick<Console, 'warn' | 'error'>;
}

export interface WebServer {
  /** The address to open, token included. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const API_PATH = '/api';
const HEARTBEAT_MS = 30_000;
const CLOSE_GRACE_MS = 1_000;

/**
 * Web mode: the built renderer and the router behind one WebSocket, on loopback. Every HTTP request
 * and WebSocket upgrade must carry the launch token (query, cookie or bearer header) and name this
 * server in its Host header; upgrades must also come from this server's origin. Nothing reaches the
 * router before those checks pass.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { core, staticDir } = options;
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? console;
  assertBindable(host, options.allowRemote ?? false);
  if (!isLoopbackHost(host)) {
    log.warn(
      `Warning: Tenantscope web mode is listening on ${host}, reachable from other machines. ` +
        'Anyone with the token can administer every configured store; prefer an SSH tunnel to 127.0.0.1.',
    );
  }
  if (options.token !== undefined && options.token.length < 32) {
    throw new AppError('invalid_argument', 'A web-mode token must be at least 32 characters long');
  }
  try {
    await access(join(staticDir, 'index.html'));
  } catch {
    throw new AppError('not_found', `The built renderer is missing (${join(staticDir, 'index.html')}): run npm run build`);
  }
  const token = options.token ?? newToken();

  const http = createServer();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  // A wildcard listener has no single name: the browser's Host decides, and the origin must match it.
  const ownHost = isWildcardHost(host) ? undefined : hostWithPort(host, port);
  const origin = `http://${ownHost ?? hostWithPort('127.0.0.1', port)}`;
  const csp = contentSecurityPolicy({ connectOrigins: ownHost ? [`ws://${ownHost}`] : [] });

  const hostAllowed = (request: IncomingMessage): boolean =>
    request.headers.host !== undefined && (ownHost === undefined || request.headers.host === ownHost);
  const expectedOrigin = (request: IncomingMessage): string => `http://${ownHost ?? request.headers.host ?? ''}`;
  const authorized = (request: IncomingMessage, url: URL): boolean => tokensEqual(token, offeredToken(request, url, port));

  function securityHeaders(response: ServerResponse): void {
    response.setHeader('Content-Security-Policy', csp);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('X-Frame-Options', 'DENY');
    response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  }

  function sendText(response: ServerResponse, status: number, text: string): void {
    response.statusCode = status;
    response.setHeader('Content-Type', 'text/plain; charset=utf-8');
    response.setHeader('Cache-Control', 'no-store');
    response.end(text + '\n');
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    securityHeaders(response);
    const url = parseUrl(request.url);
    if (!url) return sendText(response, 400, 'Bad request');
    if (!hostAllowed(request)) return sendText(response, 403, `This server answers only to ${origin}`);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return sendText(response, 405, 'Only GET and HEAD are served');
    }
    if (!authorized(request, url)) {
      return sendText(response, 401, 'Open the full address Tenantscope printed when it started, including its ?token=…');
    }
    if (url.searchParams.has('token')) {
      // Trade the token in the address for a cookie, so it leaves the address bar and history.
      url.searchParams.delete('token');
      response.setHeader('Set-Cookie', tokenCookie(port, token));
      response.setHeader('Cache-Control', 'no-store');
      // Collapsed leading slashes: `//host` would make this a redirect to another site.
      response.setHeader('Location', url.pathname.replace(/^\/+/, '/') + url.search);
      response.statusCode = 303;
      response.end();
      return;
    }
    if (url.pathname === API_PATH) return sendText(response, 426, 'The API is a WebSocket');
    if (url.pathname.startsWith(DOWNLOADS_PATH)) return download(request, response, url.pathname.slice(DOWNLOADS_PATH.length));

    // The raw path, not the parsed URL's: the URL parser silently resolves `%2e%2e` segments, and a
    // request that tries to climb out should be refused, not quietly served something else.
    const rawPath = (request.url ?? '/').split(/[?#]/, 1)[0] ?? '/';
    const found = await lookupStatic(staticDir, rawPath);
    if (found.kind === 'forbidden') return sendText(response, 403, 'Forbidden path');
    if (found.kind === 'not_found') return sendText(response, 404, 'Not found');
    response.statusCode = 200;
    response.setHeader('Content-Type', mimeType(found.path));
    response.setHeader('Content-Length', found.size);
    response.setHeader(
      'Cache-Control',
      found.isIndex ? 'no-store' : url.pathname.startsWith('/assets/') ? 'private, max-age=31536000, immutable' : 'no-cache',
    );
    if (request.method === 'HEAD') return void response.end();
    const stream = createReadStream(found.path);
    stream.on('error', () => response.destroy());
    stream.pipe(response);
  }

  /**
   * A workbench export, once: the token was handed to this console's own renderer, and a fetch
   * from another origin is refused as the WebSocket is. The rows stream with backpressure: the
   * server is read only as fast as the browser takes the bytes, and a closed response stops the run.
   */
  async function download(request: IncomingMessage, response: ServerResponse, token: string): Promise<void> {
    if (request.method !== 'GET') {
      response.setHeader('Allow', 'GET');
      return sendText(response, 405, 'A download is fetched once, with GET');
    }
    if (request.headers.origin !== undefined && request.headers.origin !== expectedOrigin(request)) {
      return sendText(response, 403, 'Downloads from another origin are refused');
    }
    const pending = /^[A-Za-z0-9_-]{16,64}$/.test(token) ? core.downloads.take(token) : undefined;
    if (!pending) return sendText(response, 404, 'This download has expired or was already fetched; export again');
    const stopped = new AbortController();
    response.once('close', () => stopped.abort());
    let stages: Awaited<ReturnType<typeof pending.open>>;
    try {
      stages = await pending.open(stopped.signal);
    } catch (error) {
      return sendText(response, 502, AppError.is(error) ? `The export could not start (${error.code}): ${error.message}` : 'The export could not start');
    }
    response.statusCode = 200;
    response.setHeader('Content-Type', pending.contentType);
    response.setHeader('Content-Disposition', `attachment; filename="${pending.fileName.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
    response.setHeader('Cache-Control', 'no-store');
    try {
      await pipeline([...stages, response]);
    } catch (error) {
      // Headers are out: a failure mid-way can only cut the response, which the browser shows as a failed download.
      if (!response.headersSent) {
        response.removeHeader('Content-Disposition');
        return sendText(response, 502, AppError.is(error) ? `The export failed (${error.code}): ${error.message}` : 'The export failed');
      }
      if (!stopped.signal.aborted) log.error('Web mode: a download failed', error);
      response.destroy();
    }
  }

  http.on('request', (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response).catch((error: unknown) => {
      log.error('Web mode: a request failed', error);
      if (!response.headersSent) sendText(response, 500, 'Internal error');
      else response.destroy();
    });
  });
  http.on('clientError', (_error, socket) => socket.destroy());

  const alive = new WeakMap<WebSocket, boolean>();
  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = parseUrl(request.url);
    if (!url || url.pathname !== API_PATH) return refuseUpgrade(socket, 404, 'The API is at /api');
    if (!hostAllowed(request)) return refuseUpgrade(socket, 403, `This server answers only to ${origin}`);
    if (request.headers.origin !== expectedOrigin(request)) return refuseUpgrade(socket, 403, 'Connections from another origin are refused');
    if (!authorized(request, url)) return refuseUpgrade(socket, 401, 'The launch token is missing or wrong');
    sockets.handleUpgrade(request, socket, head, (ws) => {
      alive.set(ws, true);
      ws.on('pong', () => alive.set(ws, true));
      attachApiSocket(ws, core, (error) => log.error('Web mode: a message failed', error));
    });
  });

  // A peer that vanished without a close frame would keep its running calls alive; ping it out.
  const heartbeat = setInterval(() => {
    for (const ws of sockets.clients) {
      if (!alive.get(ws)) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  let closing: Promise<void> | undefined;
  async function close(): Promise<void> {
    clearInterval(heartbeat);
    const clients = [...sockets.clients];
    const closed = Promise.all(clients.map((ws) => new Promise<void>((resolve) => ws.once('close', () => resolve()))));
    for (const ws of clients) ws.close(CLOSE_CODES.goingAway, 'Tenantscope is shutting down');
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref())]);
    for (const ws of sockets.clients) ws.terminate();
    await new Promise<void>((resolve) => sockets.close(() => resolve()));
    const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
    http.closeAllConnections();
    await stopped;
  }

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close: () => (closing ??= close()),
  };
}

/** Loopback only, unless remote access was asked for explicitly; `invalid_argument` otherwise. */
export function assertBindable(host: string, allowRemote: boolean): void {
  if (isLoopbackHost(host) || allowRemote) return;
  throw new AppError(
    'invalid_argument',
    `Web mode listens on loopback only; refusing to listen on ${host}. Pass --allow-remote (allowRemote: true) to expose it.`,
    { host },
  );
}

function parseUrl(raw: string | undefined): URL | undefined {
  if (!raw || !raw.startsWith('/')) return undefined;
  try {
    return new URL(raw, 'http://server.invalid');
  } catch {
    return undefined;
  }
}

function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const body = message + '\n';
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
