import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { runServer, ServerExit, startFailure, startOnFreePort } from './server-process';

const context = { port: 6399, program: '/opt/redis-server', dataDir: '/data/redis', programFix: 'Install redis-server.' };

describe('why a local server did not start, in words a person can act on', () => {
  it('names the taken port, the folder it cannot write, and the program it cannot run', () => {
    const taken = startFailure('The demo Redis', new ServerExit('redis-server', 1, null, ['# Warning: Could not create server TCP listening socket 127.0.0.1:6399: bind: Address already in use']), context);
    expect(taken).toMatchObject({ code: 'conflict', message: expect.stringContaining('port 6399 on 127.0.0.1 is already taken') });
    const readOnly = startFailure('The demo PostgreSQL', new ServerExit('initdb', 1, null, ['initdb: error: could not create directory "/data/pg": Read-only file system']), context);
    expect(readOnly.message).toContain('cannot write its data directory /data/redis (initdb: error: could not create directory "/data/pg": Read-only file system)');
    const denied = startFailure('The demo Redis', Object.assign(new Error('spawn EACCES'), { code: 'EACCES' }), context);
    expect(denied).toMatchObject({ code: 'tool_missing', message: expect.stringMatching(/\/opt\/redis-server cannot be run .*\(EACCES\)\. Install redis-server\.$/) });
    const missing = startFailure('The demo Redis', Object.assign(new Error('spawn ENOENT'), { code: 'ENOENT' }), context);
    expect(missing.message).toContain('/opt/redis-server does not exist. Install redis-server.');
  });

  it('turns a program that cannot be spawned into a rejection, not an unhandled error event', async () => {
    const server = runServer('/nonexistent/tenantscope-server', [], { name: 'nothing', ready: /ready/ });
    await expect(server.ready).rejects.toMatchObject({ code: 'ENOENT' });
    await server.exited;
  });

  it('tries one other free port when the one it found was taken meanwhile, but never moves off a port it was given', async () => {
    const tried: number[] = [];
    const started = await startOnFreePort(undefined, async (port) => {
      tried.push(port);
      if (tried.length === 1) throw new AppError('conflict', 'taken');
      return port;
    });
    expect(tried).toHaveLength(2);
    expect(started).toBe(tried[1]);
    const given: number[] = [];
    await expect(startOnFreePort(5999, async (port) => (given.push(port), Promise.reject(new AppError('conflict', 'taken'))))).rejects.toThrow('taken');
    expect(given).toEqual([5999]);
  });
});
