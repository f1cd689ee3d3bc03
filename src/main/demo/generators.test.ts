import { describe, expect, it } from 'vitest';
import { clientManagement, murima2025 } from '@shared/tenancy';
import { generateClientManagementTenant } from './client-management-seed';
import { generateMurimaTenant } from './murima-tenant';
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
      for (const row of interactions.rows) expect((row[7] as string).slice(0, 7) >= tenant.firstMonth).toBe(true);
      expect(tenant.lastMonth).toBe('2025-07');
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
