import { ObjectId } from 'mongodb';
import { AppError } from '@shared/errors';
import type { TenantScope } from '@shared/model/tenant-scope';
import type { ExecutionOptions } from '../execution';
import type { MongoFace, MongoTarget, RegisteredTenant, RegistryFields, TenantDocuments } from './face';

/**
 * Catalog reads across tenants for the tenant list: how many documents each tenant holds in a
 * collection, and who the registry names. The tenant list says what it wants; the pipelines, and
 * the tenant condition when it asks about one tenant, are built here.
 */

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

function assertField(field: string): void {
  if (typeof field !== 'string' || !FIELD.test(field)) {
    throw new AppError('invalid_argument', `${JSON.stringify(String(field).slice(0, 80))} is not a plain top-level field name.`);
  }
}

/**
 * Documents per tenant in one collection, grouped by the tenant field. Without a scope every
 * tenant's count comes back; with one, the store's own scoping puts the tenant equality in front
 * (as the tenant-prefixed indexes want it) and only that tenant's count is read.
 */
export async function tenantDocuments(store: Pick<MongoFace, 'aggregate'>, target: MongoTarget, field: string, scope: TenantScope | undefined, options: ExecutionOptions): Promise<TenantDocuments[]> {
  assertField(field);
  const groups = await store.aggregate(target, [{ $group: { _id: { $toString: `$${field}` }, n: { $sum: 1 } } }], scope, options);
  return groups.flatMap(({ _id, n }) => (typeof _id === 'string' && _id !== '' ? [{ tenantId: _id, documents: Number(n ?? 0) }] : []));
}

/** The registry's id as stored: an ObjectId where the id is one, and its string form too. */
function registryIds(tenantId: string): Array<string | ObjectId> {
  return /^[0-9a-f]{24}$/i.test(tenantId) ? [new ObjectId(tenantId), tenantId] : [tenantId];
}

/**
 * The tenants a registry collection names (each document is a tenant): id, name, status and last
 * update. The registry is not tenant data, so it is read unscoped; with a scope only the scope's
 * tenant is looked up.
 */
export async function registeredTenants(store: Pick<MongoFace, 'aggregate'>, target: MongoTarget, fields: RegistryFields, scope: TenantScope | undefined, options: ExecutionOptions): Promise<RegisteredTenant[]> {
  assertField(fields.idField);
  assertField(fields.nameField);
  const match = scope ? [{ $match: { [fields.idField]: { $in: registryIds(scope.tenantId) } } }] : [];
  const documents = await store.aggregate(
    target,
    [...match, { $project: { _id: 0, id: { $toString: `$${fields.idField}` }, name: `$${fields.nameField}`, status: '$status', updatedAt: '$updatedAt' } }],
    undefined,
    options,
  );
  return documents.flatMap((document) => {
    const id = typeof document.id === 'string' ? document.id : '';
    if (!id) return [];
    return [{
      tenantId: id,
      name: typeof document.name === 'string' ? document.name : null,
      status: typeof document.status === 'string' ? document.status : null,
      updatedAt: document.updatedAt instanceof Date ? document.updatedAt.toISOString() : null,
    }];
  });
}
