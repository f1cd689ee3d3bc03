import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import WebSocket from 'ws';
import { createApiClient } from '../../src/shared/contract/client';
import type { Api } from '../../src/shared/contract';
import { createSocketTransport, type SocketLike } from '../../src/shared/contract/socket-transport';

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request with full control of the headers (fetch will not send a forged Host). */
export function httpGet(origin: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<HttpReply> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export interface SocketOptions {
  origin?: string;
  headers?: Record<string, string>;
}

/** Opens a `ws` client socket and waits until it is open, or reports the HTTP status it was refused with. */
export function openSocket(url: string, options: SocketOptions): Promise<{ socket: WebSocket } | { refused: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { origin: options.origin, headers: options.headers });
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

/** The typed API over a real WebSocket, authenticated as the page would be after opening its URL. */
export function connectApi(origin: string, token: string): { api: Api; socket: () => WebSocket | undefined } {
  let socket: WebSocket | undefined;
  const transport = createSocketTransport(`${origin.replace(/^http/, 'ws')}/api`, (url): SocketLike => {
    socket = new WebSocket(url, { origin, headers: { authorization: `Bearer ${token}` } });
    return socket;
  });
  return { api: createApiClient(transport), socket: () => socket };
}
