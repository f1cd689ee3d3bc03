import type { MongoFleetIndex } from '@shared/model/indexes';
import { tenantIdPattern, tenantOfCollection, type TenancyPreset } from '@shared/tenancy';
import type { CollectionIndexUsage } from '../../stores/mongo/face';

const TOP = 5;

interface Group {
  collection: string;
  name: string;
  layout: MongoFleetIndex['layout'];
  keys: Map<string, { key: MongoFleetIndex['key']; count: number }>;
  collections: number;
  sizeBytes: number;
  accesses: number;
  perTenant: Array<{ tenantId: string; ops: number }>;
  since: string | null;
}

/** Where a physical collection belongs: a tenant's copy of a logical collection, or a shared one. */
export function placeCollection(preset: TenancyPreset, collection: string): { logical: string; tenantId: string | null } {
  const layout = preset.layout.mongo;
  if (layout?.mode !== 'collection-prefix') return { logical: collection, tenantId: null };
  const known = (preset.blueprint.mongo?.collections ?? []).map((c) => c.name).sort((a, b) => b.length - a.length);
  const tenantId = tenantOfCollection(layout.collectionPrefix, collection, known, tenantIdPattern(preset));
  if (tenantId === undefined) return { logical: collection, tenantId: null };
  return { logical: collection.slice(`${layout.collectionPrefix}${tenantId}_`.length), tenantId };
}

const earliest = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : a < b ? a : b);

/**
 * The MongoDB fleet view: the same index name on every tenant's copy of a logical collection is
 * one row — sizes summed, accesses summed over collections and nodes, then split by tenant (used
 * in N, never used in M, the five busiest). An index of a shared collection is its own row; its
 * accesses cannot be split by tenant, so used/never-used stay null there.
 */
export function groupMongoFleet(preset: TenancyPreset, usage: readonly CollectionIndexUsage[]): { rows: MongoFleetIndex[]; tenantCollections: number } {
  const prescribed = new Set((preset.blueprint.mongo?.collections ?? []).flatMap((c) => c.indexes.map((i) => `${c.name}\u0000${i.name}`)));
  const groups = new Map<string, Group>();
  let tenantCollections = 0;
  for (const { collection, indexes } of usage) {
    const { logical, tenantId } = placeCollection(preset, collection);
    if (tenantId !== null) tenantCollections += 1;
    for (const index of indexes) {
      const id = `${tenantId === null ? 'shared' : 'tenant'}\u0000${logical}\u0000${index.name}`;
      let group = groups.get(id);
      if (!group) {
        group = { collection: logical, name: index.name, layout: tenantId === null ? 'shared' : 'per-tenant', keys: new Map(), collections: 0, sizeBytes: 0, accesses: 0, perTenant: [], since: null };
        groups.set(id, group);
      }
      const keyText = JSON.stringify(index.key);
      const seen = group.keys.get(keyText) ?? { key: index.key, count: 0 };
      seen.count += 1;
      group.keys.set(keyText, seen);
      const ops = index.accesses.reduce((sum, a) => sum + a.ops, 0);
      group.collections += 1;
      group.sizeBytes += index.sizeBytes;
      group.accesses += ops;
      group.since = index.accesses.reduce((at, a) => earliest(at, a.since), group.since);
      if (tenantId !== null) group.perTenant.push({ tenantId, ops });
    }
  }
  const rows = [...groups.values()].map((group): MongoFleetIndex => {
    const common = [...group.keys.values()].sort((a, b) => b.count - a.count)[0];
    const perTenant = group.layout === 'per-tenant';
    return {
      collection: group.collection,
      name: group.name,
      key: common?.key ?? [],
      variants: Math.max(1, group.keys.size),
      layout: group.layout,
      prescribed: prescribed.has(`${group.collection}\u0000${group.name}`),
      collections: group.collections,
      sizeBytes: Math.round(group.sizeBytes),
      accesses: Math.round(group.accesses),
      usedIn: perTenant ? group.perTenant.filter((t) => t.ops > 0).length : null,
      neverUsedIn: perTenant ? group.perTenant.filter((t) => t.ops === 0).length : null,
      topTenants: [...group.perTenant]
        .filter((t) => t.ops > 0)
        .sort((a, b) => b.ops - a.ops || a.tenantId.localeCompare(b.tenantId))
        .slice(0, TOP)
        .map((t) => ({ tenantId: t.tenantId, ops: Math.round(t.ops) })),
      since: group.since,
    };
  });
  rows.sort((a, b) => a.collection.localeCompare(b.collection) || a.name.localeCompare(b.name) || a.layout.localeCompare(b.layout));
  return { rows, tenantCollections };
}
