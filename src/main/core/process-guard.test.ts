import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { guardProcess } from './process-guard';

describe('the main process guard', () => {
  it('logs an unhandled error event and an unhandled rejection with their codes, and keeps listening', () => {
    const target = new EventEmitter() as EventEmitter & Pick<NodeJS.Process, 'on' | 'off'>;
    const lines: string[] = [];
    const release = guardProcess((line) => lines.push(line), target);
    const spawnError = Object.assign(new Error('spawn /x/initdb EACCES'), { code: 'EACCES' });
    target.emit('uncaughtException', spawnError);
    target.emit('unhandledRejection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    target.emit('unhandledRejection', 'a bare string');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^Tenantscope kept running after an uncaught exception \(EACCES\): .*spawn \/x\/initdb EACCES/);
    expect(lines[1]).toMatch(/unhandled promise rejection \(ECONNREFUSED\)/);
    expect(lines[2]).toMatch(/\(no code\): a bare string$/);
    // Guarding twice installs nothing more: one line per event, not two.
    guardProcess((line) => lines.push(line), target);
    expect(target.listenerCount('uncaughtException')).toBe(1);
    release();
    expect(target.listenerCount('uncaughtException')).toBe(0);
    expect(target.listenerCount('unhandledRejection')).toBe(0);
  });
});
