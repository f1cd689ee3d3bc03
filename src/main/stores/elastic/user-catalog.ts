import type { estypes } from '@elastic/elasticsearch';
import type { CatalogEntry } from '@shared/model/workbench';

/**
 * What the workbench editor completes for Elasticsearch: the tenant's indices and aliases by the
 * names a person types (the tenant's prefix taken off), each with its mapped fields as dotted
 * paths, multi-fields included (`title.keyword`).
 */

/** A mapping's fields, nested objects and multi-fields as dotted paths, in mapping order. */
export function mappedFields(properties: Record<string, estypes.MappingProperty> | undefined, prefix = ''): Array<{ name: string; type: string }> {
  if (!properties) return [];
  return Object.entries(properties).flatMap(([key, property]) => {
    const name = `${prefix}${key}`;
    const inner = property as { type?: string; properties?: Record<string, estypes.MappingProperty>; fields?: Record<string, estypes.MappingProperty> };
    return [
      { name, type: inner.type ?? 'object' },
      ...mappedFields(inner.properties, `${name}.`),
      ...mappedFields(inner.fields, `${name}.`),
    ];
  });
}

function logical(name: string, tenantPrefix: string): string {
  return name.startsWith(tenantPrefix) ? name.slice(tenantPrefix.length) : name;
}

/**
 * Indices with their fields, and the aliases over them that are the tenant's too (named with the
 * tenant's prefix: another alias could not be searched under the scope), each with the union of
 * its indices' fields.
 */
export function tenantCatalog(mappings: estypes.IndicesGetMappingResponse, aliases: estypes.IndicesGetAliasResponse, tenantPrefix: string): CatalogEntry[] {
  const fieldsOf = new Map<string, Array<{ name: string; type: string }>>();
  for (const [index, mapping] of Object.entries(mappings)) fieldsOf.set(index, mappedFields(mapping.mappings.properties));
  const entries: CatalogEntry[] = [...fieldsOf].map(([index, fields]) => ({ name: logical(index, tenantPrefix), kind: 'index', fields }));
  const aliasIndices = new Map<string, string[]>();
  for (const [index, entry] of Object.entries(aliases)) {
    for (const alias of Object.keys(entry.aliases ?? {})) {
      if (alias.startsWith(tenantPrefix)) aliasIndices.set(alias, [...(aliasIndices.get(alias) ?? []), index]);
    }
  }
  for (const [alias, indices] of aliasIndices) {
    const fields = new Map<string, string>();
    for (const index of indices) for (const f of fieldsOf.get(index) ?? []) if (!fields.has(f.name)) fields.set(f.name, f.type);
    entries.push({ name: logical(alias, tenantPrefix), kind: 'alias', fields: [...fields].map(([name, type]) => ({ name, type })) });
  }
  return entries.sort((a, b) => a.name.localeCompare(b.name));
}
