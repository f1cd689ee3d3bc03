// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MASK } from '@shared/masking';
import type { ListedKeyPage } from '@shared/contract/tenants';
import type { KeyValue, NamespaceMap } from '@shared/model/tenant';
import { setApiForTests } from '../../api';
import { resetAppStore } from '../../store';
import { createFakeApi, type FakeApi } from '../../test-support/fake-api';
import { gridRowKeys, installLayoutShims } from '../../test-support/grid';
import { renderWithProviders } from '../../test-support/render';
import { RedisKeys } from './RedisKeys';

const map: NamespaceMap = {
  builtAt: new Date(Date.now() - 5 * 60_000).toISOString(),
  durationMs: 84,
  scanCalls: 3,
  totalKeys: 120,
  memoryIsEstimate: true,
  ttlIsEstimate: false,
  ttlSampled: 120,
  families: [
    { name: 'session', keys: 80, ttl: { none: 0, under_1m: 0, under_1h: 0, under_1d: 80, longer: 0 }, sampled: 20, meanBytes: 300, bytesEstimate: 24_000 },
    { name: 'config', keys: 40, ttl: { none: 40, under_1m: 0, under_1h: 0, under_1d: 0, longer: 0 }, sampled: 20, meanBytes: 100, bytesEstimate: 4_000 },
  ],
  tenants: [{ id: 't1', keys: 5, families: { session: 3, config: 2 }, ttl: { none: 2, under_1m: 0, under_1h: 0, under_1d: 3, longer: 0 }, bytesEstimate: 1_100 }],
  orphans: { keys: 0, sample: [] },
};

/** Three sessions: one masked name for all, told apart by their refs. */
const sessionRefs = ['k1.YQ', 'k1.Yg', 'k1.Yw'];

let fake: FakeApi;

beforeAll(() => installLayoutShims());

/** The fake main process: the map above, three sessions over two SCAN pages, a hash value; `overrides` replace any of them. */
function useFake(overrides: Parameters<typeof createFakeApi>[0] = {}): void {
  fake = createFakeApi({
    'tenants.namespaceMap': (args) => {
      fake.emit('tenants.namespaceProgress', { workspaceId: args.workspaceId, requestId: args.requestId, keysSeen: 60, scanCalls: 1, keysTotal: 120, done: false });
      return map;
    },
    // Two pages: SCAN's first answer holds one key, the rest come with the next cursor.
    'tenants.keys': (args): ListedKeyPage => {
      const all = sessionRefs.map((keyRef) => ({ key: `t1:session:${MASK}`, keyRef, family: 'session', type: 'hash' as const, ttlMs: 3_600_000 }));
      if (args.family !== 'session') return { keys: [], cursor: '0', scanCalls: 1 };
      return args.cursor === '0' ? { keys: all.slice(0, 1), cursor: '17', scanCalls: 1 } : { keys: all.slice(1), cursor: '0', scanCalls: 1 };
    },
    'tenants.keyValue': (args): KeyValue => ({
      type: 'hash',
      key: `t1:session:${MASK}`,
      ttlMs: args.keyRef === 'k1.Yg' ? 5_400_000 : 60_000,
      fields: [['user_id', MASK], ['role', MASK]],
      length: 2,
      truncated: false,
    }),
    ...overrides,
  });
  setApiForTests(fake.api);
}

beforeEach(() => {
  resetAppStore();
  useFake();
});

afterEach(() => cleanup());

describe('the Redis keys tab', { timeout: 30_000 }, () => {
  it('shows the tenant’s share of the namespace map: keys, memory, TTL buckets, families and the map’s age', async () => {
    renderWithProviders(<RedisKeys workspaceId="murima-dev" tenantId="t1" />);
    await waitFor(() => expect(document.querySelector('[data-figure="Keys"]')?.textContent).toBe('Keys5'));
    expect(document.querySelector('[data-figure="no TTL"]')?.textContent).toBe('no TTL2');
    expect(document.querySelector('[data-figure="< 1 day"]')?.textContent).toBe('< 1 day3');
    expect(document.querySelector('[data-map-age]')?.textContent).toContain('built 5 min ago · 120 keys in 3 SCAN calls');
    // Family memory is the family's mean sampled size times the tenant's keys of it.
    expect(document.querySelector('[data-family="session"]')?.textContent).toBe('session3900 B');
    expect(fake.calls[0]).toMatchObject({ method: 'tenants.namespaceMap', args: { workspaceId: 'murima-dev' } });
  });

  it('walks the keys of a family across SCAN pages and shows a hash with its TTL', async () => {
    renderWithProviders(<RedisKeys workspaceId="murima-dev" tenantId="t1" />);
    fireEvent.click(await screen.findByLabelText('Browse session'));
    await waitFor(() => expect(gridRowKeys('Redis keys')).toEqual(sessionRefs));
    const names = [...document.querySelectorAll('[data-row-key]')].map((row) => row.textContent ?? '');
    expect(names.every((name) => name.startsWith(`session:${MASK}`))).toBe(true);
    expect(fake.calls.filter((c) => c.method === 'tenants.keys').map((c) => c.args)).toContainEqual({ workspaceId: 'murima-dev', tenantId: 't1', family: 'session', cursor: '17', pageSize: 200 });

    fireEvent.click(document.querySelector('[data-row-key="k1.Yg"]')!);
    await waitFor(() => expect(document.querySelector('[data-value-type]')?.getAttribute('data-value-type')).toBe('hash'));
    expect(document.querySelector('[data-ttl]')?.textContent).toBe('TTL 1.5 h');
    const table = screen.getByRole('table', { name: 'Value' });
    expect([...table.querySelectorAll('tbody tr')].map((tr) => tr.textContent)).toEqual([`user_id${MASK}`, `role${MASK}`]);
    const reads = fake.calls.filter((c) => c.method === 'tenants.keyValue').map((c) => c.args);
    expect(reads).toEqual([expect.objectContaining({ workspaceId: 'murima-dev', tenantId: 't1', keyRef: 'k1.Yg' })]);
    expect(reads[0]).not.toHaveProperty('key');
  });

  it('refreshes the map on request', async () => {
    renderWithProviders(<RedisKeys workspaceId="murima-dev" tenantId="t1" />);
    await waitFor(() => expect(document.querySelector('[data-figure="Keys"]')).not.toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'Refresh map' }));
    await waitFor(() => expect(fake.calls.filter((c) => c.method === 'tenants.namespaceMap').map((c) => (c.args as { refresh?: boolean }).refresh)).toEqual([undefined, true]));
  });

  it('says which figures are sampled, and from how many keys', async () => {
    useFake({ 'tenants.namespaceMap': () => ({ ...map, totalKeys: 1_000_000, ttlIsEstimate: true, ttlSampled: 52_000 }) });
    renderWithProviders(<RedisKeys workspaceId="murima-dev" tenantId="t1" />);
    await waitFor(() => expect(document.querySelector('[data-sampling]')).not.toBeNull());
    expect(document.querySelector('[data-sampling]')?.textContent).toBe(
      'Memory estimated from MEMORY USAGE of 40 sampled keys · TTL buckets scaled from the TTLs of 52 000 of 1.0 M keys.',
    );
    expect(document.querySelector('[data-figure="no TTL"]')?.textContent).toBe('no TTL~2');
  });

  it('says why the key list, walked to its end, counts fewer keys than the map', async () => {
    // The map counted 3 sessions; one expired before the list was walked.
    useFake({
      'tenants.keys': (args): ListedKeyPage => {
        if (args.family !== 'session') return { keys: [], cursor: '0', scanCalls: 1 };
        const keys = sessionRefs.slice(0, 2).map((keyRef) => ({ key: `t1:session:${MASK}`, keyRef, family: 'session', type: 'hash' as const, ttlMs: 60_000 }));
        return { keys, cursor: '0', scanCalls: 1 };
      },
    });
    renderWithProviders(<RedisKeys workspaceId="murima-dev" tenantId="t1" />);
    fireEvent.click(await screen.findByLabelText('Browse session'));
    await waitFor(() => expect(document.querySelector('[data-count-note]')).not.toBeNull());
    expect(document.querySelector('[data-count-note]')?.textContent).toBe(
      'The namespace map, built 5 min ago, counted 3: 1 expired or were deleted since. Refresh the map to count again.',
    );
  });

  it('adds nothing when the list and the map agree', async () => {
    renderWithProviders(<RedisKeys workspaceId="murima-dev" tenantId="t1" />);
    fireEvent.click(await screen.findByLabelText('Browse session'));
    await waitFor(() => expect(gridRowKeys('Redis keys')).toEqual(sessionRefs));
    expect(document.querySelector('[data-count-note]')).toBeNull();
  });
});
