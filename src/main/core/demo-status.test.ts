import { describe, expect, it } from 'vitest';
import type { StoreKind, StoreStatus } from '@shared/model/workspace';
import type { DemoPlatform } from './demo-platform';
import { watchDemoStatus, withDemoReasons } from './demo-status';

const at = '2026-12-02T16:00:00.000Z';
const base: StoreStatus[] = [
  { store: 'postgres', state: 'connected', serverVersion: '15.18', checkedAt: at },
  { store: 'mongo', state: 'not_configured', checkedAt: at },
  { store: 'redis', state: 'down', reason: 'unreachable: refused', checkedAt: at },
  { store: 'elastic', state: 'not_configured', checkedAt: at },
];

/** A demo whose reasons the test changes, telling its listeners as the real one does. */
function fakeDemo(): DemoPlatform & { set(store: StoreKind, reason: string | undefined): void } {
  const unavailable: Partial<Record<StoreKind, string>> = {};
  const listeners = new Set<() => void>();
  return {
    workspaceId: 'demo-1',
    unavailable,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    mongoSettled: Promise.resolve(),
    stop: async () => undefined,
    set(store, reason) {
      if (reason === undefined) delete unavailable[store];
      else unavailable[store] = reason;
      for (const listener of listeners) listener();
    },
  };
}

describe('the demo’s store status, from one source', () => {
  it('turns a wanted store with a reason into "unavailable", and leaves the others as main found them', () => {
    const statuses = withDemoReasons(base, { mongo: 'starting', redis: 'ignored: redis has an endpoint' });
    expect(statuses.map((s) => [s.store, s.state, s.reason])).toEqual([
      ['postgres', 'connected', undefined],
      ['mongo', 'unavailable', 'starting'],
      ['redis', 'down', 'unreachable: refused'],
      ['elastic', 'not_configured', undefined],
    ]);
  });

  it('logs each store once and again only when its words change, and broadcasts every read to the renderers', async () => {
    const demo = fakeDemo();
    demo.set('mongo', 'starting (mongod is downloaded on first use)');
    const lines: string[] = [];
    const sent: StoreStatus[][] = [];
    const watch = watchDemoStatus({
      demo,
      statusOf: async () => withDemoReasons(base, demo.unavailable),
      broadcast: (workspaceId, statuses) => {
        expect(workspaceId).toBe('demo-1');
        sent.push(statuses);
      },
      log: (line) => lines.push(line),
    });
    await watch.ready;
    expect(lines).toEqual([
      '  PostgreSQL: connected (15.18)',
      '  MongoDB: not available: starting (mongod is downloaded on first use)',
      '  Redis: down: unreachable: refused',
      '  Elasticsearch: not configured',
    ]);
    demo.set('mongo', 'mongod could not be downloaded (ENOTFOUND)');
    await watch.ready;
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.slice(4)).toEqual(['  MongoDB: not available: mongod could not be downloaded (ENOTFOUND)']);
    expect(sent.at(-1)?.find((s) => s.store === 'mongo')).toMatchObject({ state: 'unavailable', reason: 'mongod could not be downloaded (ENOTFOUND)' });
    watch.stop();
    demo.set('mongo', undefined);
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toHaveLength(5);
  });
});
