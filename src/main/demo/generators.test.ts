import { describe, expect, it } from 'vitest';
import { clientManagement, murima2025 } from '@shared/tenancy';
import { monthsBetween } from '@shared/tenancy/postgres-sql';
import { generateClientManagementTenant } from './client-management-seed';
import { demoPartitionGap, generateMurimaTenant } from './murima-tenant';
import { Rng } from './random';
import { demoWindow } from './seed';

const window = demoWindow('2025-06');
const layout = murima2025.layout.postgres!;

describe('Rng', () => {
  it('repeats a stream for the same seed and differs for another', () => {
    const draw = (seed: string) => {
      const r = new Rng(seed, 1);
      return [r.next(), r.int(1, 6), r.uuid(), r.hex(8)];
    };
    expect(draw('a')).toEqual(draw('a'));
    expect(draw('a')).not.toEqual(draw('b'));
    expect(new Rng('x').uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('keeps int() within its bounds', () => {
    const r = new Rng('bounds');
    const seen = new Set(Array.from({ length: 2000 }, () => r.int(3, 5)));
    expect([...seen].sort()).toEqual([3, 4, 5]);
  });
});

describe('generateMurimaTenant', () => {
  it('gives the same tenant for the same (seed, index) and another for another index or seed', () => {
    expect(generateMurimaTenant('s', 3, window, layout)).toEqual(generateMurimaTenant('s', 3, window, layout));
    expect(generateMurimaTenant('s', 4, window, layout).id).not.toBe(generateMurimaTenant('s', 3, window, layout).id);
    expect(generateMurimaTenant('t', 3, window, layout).id).not.toBe(generateMurimaTenant('s', 3, window, layout).id);
  });

  it('produces rows the blueprint accepts: known columns, valid statuses, dates inside the window', () => {
    const tables = new Map(murima2025.blueprint.postgres!.tables.map((t) => [t.name, t]));
    for (let i = 0; i < 30; i++) {
      const tenant = generateMurimaTenant('rows', i, window, layout);
      expect(tenant.schema).toBe(`tenant_${tenant.id.replaceAll('-', '_')}`);
      for (const rows of tenant.tables) {
        const table = tables.get(rows.table)!;
        const names = table.columns.map((c) => c.name);
        for (const column of rows.columns) expect(names).toContain(column);
        for (const column of table.columns.filter((c) => !c.nullable && c.default === undefined)) expect(rows.columns).toContain(column.name);
        for (const row of rows.rows) expect(row).toHaveLength(rows.columns.length);
      }
      const cases = tenant.tables.find((t) => t.table === 'cases')!;
      const col = (name: string) => cases.columns.indexOf(name);
      for (const row of cases.rows) {
        expect(['open', 'in_progress', 'pending', 'resolved', 'closed']).toContain(row[col('status')]);
        const created = Date.parse(row[col('created_at')] as string);
        expect(created).toBeGreaterThanOrEqual(window.startMs);
        expect(created).toBeLessThan(window.endMs);
        const due = row[col('due_date')] as string | null;
        if (due) expect(Date.parse(due)).toBeGreaterThan(created);
      }
      const interactions = tenant.tables.find((t) => t.table === 'interactions')!;
      // A `default_rows` tenant's first month has no partition: its interactions sit in the default one.
      const createdMonth = tenant.createdAt.toISOString().slice(0, 7);
      expect(tenant.firstMonth).toBe(demoPartitionGap(i) === 'default_rows' ? monthsBetween(createdMonth, '2099-12')[1] : createdMonth);
      for (const row of interactions.rows) expect((row[7] as string).slice(0, 7) >= createdMonth).toBe(true);
      expect(tenant.lastMonth).toBe(demoPartitionGap(i) === 'short' ? '2025-06' : '2025-07');
      for (const write of tenant.redis) expect(write.key.startsWith(`${tenant.id}:`)).toBe(true);
    }
  });
});

describe('generateClientManagementTenant', () => {
  it('puts the tenant id on every document of a tenant-scoped collection', () => {
    const scoped = new Set(clientManagement.blueprint.mongo!.collections.filter((c) => c.tenantScoped).map((c) => c.name));
    const tenant = generateClientManagementTenant('cm', 0, window);
    expect(tenant.id).toMatch(/^[0-9a-f]{24}$/);
    expect(tenant.docs.clients!.length).toBeGreaterThan(0);
    for (const [name, docs] of Object.entries(tenant.docs)) {
      if (!scoped.has(name)) continue;
      for (const doc of docs) expect(doc.tenantId).toEqual({ $oid: tenant.id });
    }
    expect(tenant.docs.organizations).toEqual([expect.objectContaining({ _id: { $oid: tenant.id } })]);
    expect(generateClientManagementTenant('cm', 0, window)).toEqual(tenant);
  });

  it('keeps the unique keys of §4 unique within a tenant', () => {
    const tenant = generateClientManagementTenant('cm', 7, window);
    for (const [collection, field] of [['clients', 'clientCode'], ['clientcontacts', 'contactId'], ['clientdocuments', 'documentId'], ['clientnotes', 'noteId'], ['users', 'email']] as const) {
      const values = tenant.docs[collection]!.map((d) => d[field]);
      expect(new Set(values).size, collection).toBe(values.length);
    }
  });
});

describe('the seeder’s clock', () => {
  /** Names of dates that are meant to lie ahead: when something is due or expires. */
  const AHEAD = /expire|due/i;
  const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

  /** Every instant in a generated value, with the path to it; Redis scores are epoch seconds. */
  function instants(value: unknown, path: string, out: Array<{ path: string; ms: number }>): void {
    if (value instanceof Date) out.push({ path, ms: value.getTime() });
    else if (typeof value === 'string' && ISO.test(value)) out.push({ path, ms: Date.parse(value) });
    else if (typeof value === 'string' && value.startsWith('{')) {
      try {
        instants(JSON.parse(value), path, out);
      } catch {
        // text that only looks like JSON
      }
    } else if (Array.isArray(value)) value.forEach((item, i) => instants(item, `${path}[${i}]`, out));
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'score' && typeof inner === 'number') out.push({ path: `${path}.score`, ms: inner * 1000 });
        else instants(inner, `${path}.${key}`, out);
      }
    }
  }

  it('puts nothing after now, even in the current month: last activity, cases, notes, clients; only expiries and due dates lie ahead', () => {
    // The middle of the window's last month, as on the 2nd of December: the month is not over yet.
    const now = Date.parse('2026-12-02T16:00:00.000Z');
    const current = demoWindow('2026-12', 6, now);
    expect(current.nowMs).toBe(now);
    const found: Array<{ path: string; ms: number }> = [];
    for (let i = 0; i < 40; i++) {
      const tenant = generateMurimaTenant('clock', i, current, layout);
      for (const table of tenant.tables) {
        table.rows.forEach((row, r) => row.forEach((cell, c) => instants(cell, `${tenant.id}.${table.table}[${r}].${table.columns[c]}`, found)));
      }
      instants(tenant.redis, `${tenant.id}.redis`, found);
      instants(tenant.mongo, `${tenant.id}.mongo`, found);
      instants(tenant.elastic, `${tenant.id}.elastic`, found);
      instants(generateClientManagementTenant('clock', i, current).docs, `client-management-${i}`, found);
    }
    const activity = found.filter((f) => !AHEAD.test(f.path));
    // The walk did find the dates it is about, the sessions' last activity among them.
    expect(activity.length).toBeGreaterThan(10_000);
    expect(activity.some((f) => f.path.endsWith('.last_activity'))).toBe(true);
    const future = activity.filter((f) => f.ms > now).map((f) => `${f.path} = ${new Date(f.ms).toISOString()}`);
    expect(future).toEqual([]);
    // The window itself still reaches the end of the month, so next month's partition is made as before.
    expect(generateMurimaTenant('clock', 0, current, layout).lastMonth).toBe('2027-01');
  });

  it('leaves the demo tenants the gaps the partitions screen fixes: some short of next month, some with rows in the default partition', () => {
    const current = demoWindow('2026-12', 6, Date.parse('2026-12-02T16:00:00.000Z'));
    // The demo platform's seed and tenant count (core's DEMO_SEED, DEMO_TENANTS).
    const tenants = Array.from({ length: 25 }, (_, i) => generateMurimaTenant('tenantscope-demo', i, current, layout));
    const short = tenants.filter((t) => t.lastMonth === '2026-12').map((t) => t.index);
    expect(short).toEqual([5, 13, 21]);
    const inDefault = tenants.filter((t) => t.tables.find((x) => x.table === 'interactions')!.rows.some((row) => (row[7] as string).slice(0, 7) < t.firstMonth));
    expect(inDefault.map((t) => t.index)).toEqual([10, 22].filter((i) => tenants[i]!.tables.find((x) => x.table === 'interactions')!.rows.length > 0));
    expect(inDefault.length).toBeGreaterThan(0);
    for (const t of tenants.filter((x) => demoPartitionGap(x.index) === null)) expect([t.firstMonth <= t.createdAt.toISOString().slice(0, 7), t.lastMonth]).toEqual([true, '2027-01']);
  });

  it('changes nothing for a month that is over: the same seed gives the same platform as before', () => {
    const past = demoWindow('2025-06', 6, Date.parse('2026-12-02T16:00:00.000Z'));
    expect(past.nowMs).toBe(past.endMs);
    expect(generateMurimaTenant('s', 3, past, layout)).toEqual(generateMurimaTenant('s', 3, { startMs: past.startMs, endMs: past.endMs }, layout));
  });
});
