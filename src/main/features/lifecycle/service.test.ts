import { describe, expect, it } from 'vitest';
import { contract } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { Lane, LaneCellState, Month } from '@shared/model/lifecycle';
import { TenantTimeline, FleetHorizon } from '@shared/model/lifecycle';
import type { Session } from '@shared/model/session';
import type { StoreKind } from '@shared/model/workspace';
import { presetByName } from '@shared/tenancy';
import type { CallContext } from '../../services/section';
import type { FleetHorizonSource, FleetIlmSource, LifecycleLaneSource, PartitionHorizon } from '../../services/lifecycle-lanes';
import { createLifecycleService, type LifecycleSources } from './service';

const preset = presetByName('murima2025');
const TENANT = '0b7c3a52-6a1e-4c39-9d0e-2f7f1c9b8a11';
const session: Session = { connectionId: 'test', operator: { name: 'Ada' }, role: 'dba' };
const context = (signal = new AbortController().signal): CallContext => ({ signal, session, emit: () => undefined });
/** 15 January 2027: the view's "now" is 2027-01, a year boundary away from most of its months. */
const clock = () => new Date('2027-01-15T10:00:00Z');

function laneOf(store: StoreKind, name: string, months: Month[], state: LaneCellState = 'present'): Lane {
  return { store, kind: store === 'postgres' ? 'partition' : store === 'elastic' ? 'index' : store === 'mongo' ? 'bucket' : 'ttl', name, cells: months.map((month) => ({ month, state })), horizon: months.at(-1) ?? null };
}

/** A source that draws one lane per name, and remembers what it was asked. */
function source(store: StoreKind, names: string[], calls: { months: Month[]; now: Month; tenantId: string }[] = []): LifecycleLaneSource {
  return {
    store,
    tenantLanes: async (args) => {
      calls.push({ months: args.months, now: args.now, tenantId: args.tenantId });
      return names.map((name) => laneOf(store, name, args.months));
    },
  };
}

function serviceWith(sources: Partial<LifecycleSources>, extra: { sourceTimeoutMs?: number; errors?: string[] } = {}) {
  return createLifecycleService({
    sourcesOf: async () => ({ preset, lanes: [], unavailable: [], ...sources }),
    now: clock,
    ...(extra.sourceTimeoutMs !== undefined && { sourceTimeoutMs: extra.sourceTimeoutMs }),
    onError: (line) => extra.errors?.push(line),
  });
}

const timelineArgs = (args: Record<string, unknown> = {}) => contract.lifecycle.timeline.args.parse({ workspaceId: 'w1', tenantId: TENANT, ...args });
const fleetArgs = (args: Record<string, unknown> = {}) => contract.lifecycle.fleet.args.parse({ workspaceId: 'w1', ...args });

describe('the tenant time view', () => {
  it('lays out a year back to half a year ahead by default, and hands every source exactly those months', async () => {
    const calls: { months: Month[]; now: Month; tenantId: string }[] = [];
    const view = await serviceWith({ lanes: [source('postgres', ['interactions'], calls)] }).timeline(timelineArgs(), context());
    expect(view.now).toBe('2027-01');
    expect(view.months).toHaveLength(19);
    expect(view.months[0]).toBe('2026-01');
    expect(view.months.at(-1)).toBe('2027-07');
    expect(calls).toEqual([{ months: view.months, now: '2027-01', tenantId: TENANT }]);
    expect(TenantTimeline.parse(view)).toEqual(view);
  });

  it('starts at `from` for `months` months when asked', async () => {
    const view = await serviceWith({ lanes: [source('postgres', ['interactions'])] }).timeline(timelineArgs({ from: '2026-11', months: 4 }), context());
    expect(view.months).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(view.lanes[0]?.cells.map((c) => c.month)).toEqual(view.months);
  });

  it('puts the lanes in store order — postgres, elastic, mongo, redis — whatever order the sources come in', async () => {
    const view = await serviceWith({
      lanes: [source('redis', ['session:*']), source('mongo', ['audit_logs']), source('elastic', ['logs', 'events']), source('postgres', ['interactions'])],
    }).timeline(timelineArgs(), context());
    expect(view.lanes.map((l) => `${l.store}/${l.name}`)).toEqual(['postgres/interactions', 'elastic/logs', 'elastic/events', 'mongo/audit_logs', 'redis/session:*']);
    expect(view.gaps).toEqual([]);
  });

  it('turns a source that throws into a gap with its reason, and shows the other stores', async () => {
    const errors: string[] = [];
    const failing = (store: StoreKind, error: Error): LifecycleLaneSource => ({ store, tenantLanes: async () => Promise.reject(error) });
    const view = await serviceWith(
      {
        lanes: [
          failing('elastic', new AppError('unreachable', 'Elasticsearch refused the connection (ECONNREFUSED 127.0.0.1:9200).')),
          source('postgres', ['interactions']),
          failing('redis', new TypeError("Cannot read properties of undefined (reading 'ttl')")),
        ],
      },
      { errors },
    ).timeline(timelineArgs(), context());
    expect(view.lanes.map((l) => l.store)).toEqual(['postgres']);
    expect(view.gaps).toEqual([
      { store: 'elastic', reason: 'Elasticsearch refused the connection (ECONNREFUSED 127.0.0.1:9200).' },
      { store: 'redis', reason: "Redis lanes could not be read (internal error; the console's log has the details)." },
    ]);
    // The unexpected failure's text goes to the log, not to the renderer.
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("reading 'ttl'");
  });

  it('runs the sources at once: each starts before any finishes', async () => {
    const events: string[] = [];
    const started = new Set<StoreKind>();
    let release: () => void = () => undefined;
    const allStarted = new Promise<void>((resolve) => (release = resolve));
    const waiting = (store: StoreKind): LifecycleLaneSource => ({
      store,
      tenantLanes: async (args) => {
        events.push(`start ${store}`);
        started.add(store);
        if (started.size === 3) release();
        // Were the sources run one after another, the first would wait here for ever (then time out).
        await allStarted;
        events.push(`end ${store}`);
        return [laneOf(store, store, args.months)];
      },
    });
    const view = await serviceWith({ lanes: [waiting('postgres'), waiting('mongo'), waiting('redis')] }, { sourceTimeoutMs: 10_000 }).timeline(timelineArgs(), context());
    expect(view.gaps).toEqual([]);
    expect(events.slice(0, 3).every((e) => e.startsWith('start'))).toBe(true);
    expect(view.lanes.map((l) => l.store)).toEqual(['postgres', 'mongo', 'redis']);
  });

  it('goes on without a source that does not answer in time, and stops its work', async () => {
    let seen: AbortSignal | undefined;
    const stuck: LifecycleLaneSource = {
      store: 'mongo',
      tenantLanes: (_args, signal) => {
        seen = signal;
        return new Promise<Lane[]>(() => undefined);
      },
    };
    const view = await serviceWith({ lanes: [stuck, source('postgres', ['interactions'])] }, { sourceTimeoutMs: 30 }).timeline(timelineArgs(), context());
    expect(view.lanes.map((l) => l.name)).toEqual(['interactions']);
    expect(view.gaps).toEqual([{ store: 'mongo', reason: 'MongoDB lanes did not answer within 30 ms.' }]);
    expect(seen?.aborted).toBe(true);
  });

  it('does not ask a store that is not available here, and says why in its gap', async () => {
    const calls: { months: Month[]; now: Month; tenantId: string }[] = [];
    const view = await serviceWith({
      lanes: [source('mongo', ['audit_logs'], calls), source('postgres', ['interactions'])],
      unavailable: [{ store: 'mongo', reason: 'MongoDB could not be downloaded: connect ECONNREFUSED 127.0.0.1:1' }],
    }).timeline(timelineArgs(), context());
    expect(calls).toEqual([]);
    expect(view.gaps).toEqual([{ store: 'mongo', reason: 'MongoDB could not be downloaded: connect ECONNREFUSED 127.0.0.1:1' }]);
    expect(view.lanes.map((l) => l.store)).toEqual(['postgres']);
  });

  it('leaves out a lane whose cells do not match the months, naming it, and keeps the good ones', async () => {
    const sloppy: LifecycleLaneSource = {
      store: 'elastic',
      tenantLanes: async (args) => [laneOf('elastic', 'logs', args.months), laneOf('elastic', 'events', args.months.slice(1)), laneOf('mongo', 'stray', args.months)],
    };
    const view = await serviceWith({ lanes: [sloppy] }).timeline(timelineArgs(), context());
    expect(view.lanes.map((l) => l.name)).toEqual(['logs']);
    expect(view.gaps).toHaveLength(1);
    expect(view.gaps[0]?.reason).toContain('lane events has 18 cells that do not match the 19 months');
    expect(view.gaps[0]?.reason).toContain('lane stray claims the store mongo');
  });

  it('refuses a tenant id the preset does not know before asking any store', async () => {
    const calls: { months: Month[]; now: Month; tenantId: string }[] = [];
    const service = serviceWith({ lanes: [source('postgres', ['interactions'], calls)] });
    await expect(service.timeline(timelineArgs({ tenantId: 'acme' }), context())).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(calls).toEqual([]);
    // A hostile one never reaches the service: the contract refuses it.
    expect(contract.lifecycle.timeline.args.safeParse({ workspaceId: 'w1', tenantId: "x'; DROP SCHEMA public --" }).success).toBe(false);
    expect(contract.lifecycle.timeline.args.safeParse({ workspaceId: 'w1', tenantId: TENANT, from: '2026-13' }).success).toBe(false);
  });

  it('refuses months that leave the calendar', async () => {
    await expect(serviceWith({}).timeline(timelineArgs({ from: '9999-10', months: 6 }), context())).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  it('is cancelled, not gapped, when the caller cancels, and the sources see it', async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const slow: LifecycleLaneSource = {
      store: 'postgres',
      tenantLanes: (_args, signal) => {
        seen = signal;
        queueMicrotask(() => controller.abort());
        return new Promise<Lane[]>(() => undefined);
      },
    };
    await expect(serviceWith({ lanes: [slow] }).timeline(timelineArgs(), context(controller.signal))).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen?.aborted).toBe(true);
  });
});

describe('the fleet horizon', () => {
  /** Coverage per tenant over the view's months: ready for everything up to `readyThrough` (inclusive). */
  function horizonsUpTo(months: Month[], readyThrough: Record<string, Month | null>, defaults: Record<string, number> = {}): Map<string, PartitionHorizon> {
    return new Map(
      Object.entries(readyThrough).map(([tenantId, last]) => [
        tenantId,
        { coverage: months.map((m) => (last !== null && m <= last ? 1 : 0)), horizon: last, defaultRows: defaults[tenantId] ?? 0 },
      ]),
    );
  }

  function fleetSources(readyThrough: Record<string, Month | null>, extra: { ilm?: Map<string, number>; defaults?: Record<string, number> } = {}) {
    const asked: { months: Month[]; now: Month }[] = [];
    const horizons: FleetHorizonSource = {
      partitionHorizons: async (args) => {
        asked.push({ months: args.months, now: args.now });
        return horizonsUpTo(args.months, readyThrough, extra.defaults);
      },
    };
    const ilm: FleetIlmSource | undefined = extra.ilm && { ilmErrorsByTenant: async () => extra.ilm as Map<string, number> };
    return { asked, sources: { horizons, ...(ilm && { ilm }) } };
  }

  it('ends one month past the keep-ahead window and asks the partitions for exactly those months', async () => {
    const { asked, sources } = fleetSources({ 't-ready': '2027-05' });
    const fleet = await serviceWith(sources).fleet(fleetArgs(), context());
    expect(fleet.now).toBe('2027-01');
    expect(fleet.keepAhead).toBe(4);
    expect(fleet.months).toHaveLength(12);
    expect(fleet.months[0]).toBe('2026-07');
    expect(fleet.months.at(-1)).toBe('2027-06');
    expect(asked).toEqual([{ months: fleet.months, now: '2027-01' }]);
    expect(FleetHorizon.parse(fleet)).toEqual(fleet);
  });

  it('puts the tenants running out first on top and counts the months each is short', async () => {
    const { sources } = fleetSources(
      { 't-ready': '2027-05', 't-short': '2027-02', 't-none': null, 't-default': '2027-02', 't-later': '2027-03' },
      { defaults: { 't-default': 1_200 } },
    );
    const fleet = await serviceWith(sources).fleet(fleetArgs(), context());
    expect(fleet.rows.map((r) => [r.tenantId, r.horizon, r.monthsShort])).toEqual([
      ['t-none', null, 5],
      // Same horizon: more rows in the default partition first.
      ['t-default', '2027-02', 3],
      ['t-short', '2027-02', 3],
      ['t-later', '2027-03', 2],
      ['t-ready', '2027-05', 0],
    ]);
    expect(fleet.rows.find((r) => r.tenantId === 't-default')?.defaultRows).toBe(1_200);
  });

  it('counts a hole inside the window as a month short, even with a later horizon', async () => {
    const holed: FleetHorizonSource = {
      partitionHorizons: async ({ months }) => new Map([['t-hole', { coverage: months.map((m) => (m === '2027-03' ? 0.5 : 1)), horizon: '2027-06', defaultRows: 0 }]]),
    };
    const fleet = await serviceWith({ horizons: holed }).fleet(fleetArgs(), context());
    expect(fleet.rows[0]).toMatchObject({ tenantId: 't-hole', monthsShort: 1 });
  });

  it('marks ILM errors on the tenants’ rows, and lists a tenant known only to Elasticsearch below the others with no coverage', async () => {
    const { sources } = fleetSources({ 't-ready': '2027-05', 't-short': '2027-02' }, { ilm: new Map([['t-ready', 3], ['t-es-only', 1], ['t-clean', 0]]) });
    const fleet = await serviceWith(sources).fleet(fleetArgs(), context());
    expect(fleet.rows.map((r) => [r.tenantId, r.ilmErrors, r.coverage.length])).toEqual([
      ['t-short', 0, 12],
      ['t-ready', 3, 12],
      ['t-es-only', 1, 0],
    ]);
  });

  it('keeps the ILM marks when the partitions cannot be read, with the partitions’ reason as a gap', async () => {
    const fleet = await serviceWith({
      horizons: { partitionHorizons: async () => Promise.reject(new AppError('unreachable', 'PostgreSQL is down: connection refused.')) },
      ilm: { ilmErrorsByTenant: async () => new Map([['t-a', 2]]) },
    }).fleet(fleetArgs(), context());
    expect(fleet.gaps).toEqual([{ store: 'postgres', reason: 'PostgreSQL is down: connection refused.' }]);
    expect(fleet.rows).toEqual([{ tenantId: 't-a', coverage: [], horizon: null, monthsShort: 0, defaultRows: 0, ilmErrors: 2 }]);
  });

  it('says so when nothing reads partition horizons, and when Elasticsearch is not available', async () => {
    const fleet = await serviceWith({
      ilm: { ilmErrorsByTenant: async () => Promise.reject(new Error('should not be asked')) },
      unavailable: [{ store: 'elastic', reason: 'Elasticsearch is not available: set ES_URL.' }],
    }).fleet(fleetArgs(), context());
    expect(fleet.rows).toEqual([]);
    expect(fleet.gaps.map((g) => g.store)).toEqual(['postgres', 'elastic']);
    expect(fleet.gaps[1]?.reason).toBe('Elasticsearch is not available: set ES_URL.');
  });

  it('refuses partition figures that do not match the months instead of drawing them under the wrong month', async () => {
    const fleet = await serviceWith({
      horizons: { partitionHorizons: async () => new Map([['t-a', { coverage: [1, 1], horizon: '2027-05', defaultRows: 0 }]]) },
    }).fleet(fleetArgs(), context());
    expect(fleet.rows).toEqual([]);
    expect(fleet.gaps[0]?.reason).toContain('tenant t-a has 2 months of coverage for 12');
  });

  it('follows keepAhead and months, and refuses a view too short to show the window', async () => {
    const { sources } = fleetSources({ 't-a': '2027-03' });
    const fleet = await serviceWith(sources).fleet(fleetArgs({ keepAhead: 2, months: 6 }), context());
    expect(fleet.months).toEqual(['2026-11', '2026-12', '2027-01', '2027-02', '2027-03', '2027-04']);
    expect(fleet.rows[0]?.monthsShort).toBe(0);
    expect(contract.lifecycle.fleet.args.safeParse({ workspaceId: 'w1', keepAhead: 6, months: 7 }).success).toBe(false);
    expect(contract.lifecycle.fleet.args.safeParse({ workspaceId: 'w1', keepAhead: 6, months: 8 }).success).toBe(true);
  });
});
