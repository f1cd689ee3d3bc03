import { AppError } from '@shared/errors';
import type { TenantScope } from '@shared/model/tenant-scope';

/** Characters never part of an index expression Tenantscope sends (paths, quotes, whitespace). */
const FORBIDDEN = /[\s\\/"<>|#\0]/;

/** Refuses an index expression with characters Elasticsearch forbids or that would change the URL path. */
export function assertIndexExpression(index: string): void {
  if (typeof index !== 'string' || index.length === 0 || index.length > 4096 || FORBIDDEN.test(index)) {
    throw new AppError('invalid_argument', `${JSON.stringify(String(index).slice(0, 80))} is not an index name or pattern.`);
  }
}

/** The fixed part of the tenant's pattern, `tenant-<id>-` for `tenant-<id>-*`. */
export function tenantPrefix(scope: TenantScope): string {
  if (!scope.elastic) throw new AppError('invalid_argument', `The tenant scope of ${scope.tenantId} says nothing about Elasticsearch.`);
  return scope.elastic.indexPattern.replace(/\*$/, '');
}

/**
 * The index expression a scoped request may use: the tenant's pattern when none is given, else each
 * comma-separated part inside the tenant's indices. A part that names no tenant (`audit-logs-*`,
 * starting with a letter or digit) is a logical name and gets the tenant's prefix, so no caller
 * builds a tenant's index name; a part that carries the layout's tenant prefix (`tenant-`) must be
 * this tenant's. `_all`, wildcards that start a part, exclusions, remote clusters
 * (`cluster:index`) and selectors (`::`) are refused under a scope.
 */
export function scopedIndex(index: string | undefined, scope: TenantScope | undefined): string {
  if (!scope) {
    if (index === undefined) throw new AppError('invalid_argument', 'An index or pattern is required.');
    assertIndexExpression(index);
    return index;
  }
  const prefix = tenantPrefix(scope);
  if (index === undefined) return scope.elastic?.indexPattern ?? `${prefix}*`;
  assertIndexExpression(index);
  const layoutPrefix = prefix.slice(0, Math.max(0, prefix.indexOf(scope.tenantId.toLowerCase())));
  return index
    .split(',')
    .map((part) => {
      const refused = (): never => {
        throw new AppError('invalid_argument', `${part} is not one of tenant ${scope.tenantId}'s indices (${scope.elastic?.indexPattern ?? prefix}).`);
      };
      if (part.includes(':')) return refused();
      if (part.startsWith(prefix)) return part;
      if ((layoutPrefix !== '' && part.startsWith(layoutPrefix)) || !/^[a-z0-9]/.test(part)) return refused();
      return `${prefix}${part}`;
    })
    .join(',');
}
