import type { ElasticLayout, PostgresLayout } from './preset';

/**
 * Reading a tenant id back out of the names a layout gives its tenants' things: schemas,
 * collections, index names and key prefixes. Pure, so the tenant list and the tenant roster
 * share one reading of each layout.
 */

/** `tenant_0f8fad5b_d9cb_…` back to the id it was made from (UUID dashes were turned into underscores). */
export function tenantIdOfSchema(layout: PostgresLayout, schema: string, idPattern: RegExp): string {
  const suffix = schema.slice(layout.schemaPrefix.length);
  if (idPattern.test(suffix)) return suffix;
  const dashed = suffix.replaceAll('_', '-');
  return idPattern.test(dashed) ? dashed : suffix;
}

/** The tenant id of a `tenant_<id>_<name>` collection, or undefined for any other collection. */
export function tenantOfCollection(prefix: string, collection: string, knownNames: readonly string[], idPattern: RegExp): string | undefined {
  if (!collection.startsWith(prefix)) return undefined;
  const rest = collection.slice(prefix.length);
  for (const name of knownNames) {
    if (rest.endsWith(`_${name}`)) {
      const id = rest.slice(0, rest.length - name.length - 1);
      if (idPattern.test(id)) return id;
    }
  }
  const cut = rest.indexOf('_');
  const id = cut > 0 ? rest.slice(0, cut) : undefined;
  return id !== undefined && idPattern.test(id) ? id : undefined;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Reads the tenant id out of an index name laid out as `tenant-{id}-{entity}-{YYYY-MM}`. Entities
 * may hold dashes (`audit-logs`) and so may ids (UUIDs), so the known entities are tried first
 * and the id must match the preset's pattern.
 */
export function tenantOfIndex(layout: ElasticLayout, index: string, entities: readonly string[], idPattern: RegExp): string | undefined {
  const [before, after = ''] = layout.indexFormat.split('{id}') as [string, string?];
  if (!index.startsWith(before)) return undefined;
  const candidates = [...entities.map(escapeRegExp), '[^-]+'];
  for (const entity of candidates) {
    const tail = escapeRegExp(after).replace(escapeRegExp('{entity}'), entity).replace(escapeRegExp('{YYYY-MM}'), '\\d{4}-\\d{2}');
    const match = new RegExp(`^(.+)${tail}$`).exec(index.slice(before.length));
    if (match?.[1] && idPattern.test(match[1])) return match[1];
  }
  return undefined;
}

/** `_cat/indices` pattern covering every tenant: the format up to `{id}`, then `*`. */
export function allTenantsPattern(layout: ElasticLayout): string {
  return `${layout.indexFormat.split('{id}')[0] ?? ''}*`;
}

/** The tenant id a Redis key starts with (`<id><separator>…`), or undefined when it carries none. */
export function tenantOfKey(separator: string, key: string, idPattern: RegExp): string | undefined {
  const cut = key.indexOf(separator);
  if (cut <= 0) return undefined;
  const id = key.slice(0, cut);
  return idPattern.test(id) ? id : undefined;
}
