import { ObjectId, type Document } from 'mongodb';
import type { CatalogEntry } from '@shared/model/workbench';
import type { TenantScope } from '@shared/model/tenant-scope';
import type { ExecutionOptions } from '../execution';
import type { MongoFace } from './face';

/**
 * What the workbench editor completes for MongoDB: the tenant's collections by the names a person
 * types (the logical ones under a collection-prefix scope), and a collection's fields as a sample
 * of its documents shows them, since a collection has no schema to read.
 */

/** Documents sampled for the fields of one collection. */
export const FIELD_SAMPLE_SIZE = 100;
/** Nested documents are followed this deep (`a.b.c.d`). */
const MAX_DEPTH = 4;
/** A sample of very wide documents still gives the editor a list it can hold. */
const MAX_FIELDS = 2_000;

/** The name a person types for a collection: without the tenant's prefix under a collection-prefix scope. */
export function logicalCollection(name: string, scope: TenantScope): string {
  const mongo = scope.mongo;
  return mongo?.mode === 'collection-prefix' && name.startsWith(mongo.collectionPrefix) ? name.slice(mongo.collectionPrefix.length) : name;
}

/** The tenant's collections (and views) of a database, by logical name. */
export async function tenantCollections(store: Pick<MongoFace, 'listCollections'>, database: string, scope: TenantScope, options: ExecutionOptions): Promise<CatalogEntry[]> {
  const listed = await store.listCollections(database, scope, options);
  return listed
    .map((c): CatalogEntry => ({ name: logicalCollection(c.name, scope), kind: c.type === 'view' ? 'view' : 'collection', fields: [] }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The BSON type word of a value as the driver hands it over (`objectId`, `date`, `long`…). */
export function bsonTypeOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (value instanceof RegExp) return 'regex';
  if (value instanceof ObjectId) return 'objectId';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return Number.isInteger(value) ? 'int' : 'double';
    case 'boolean':
      return 'bool';
    case 'object': {
      const bsonType = (value as { _bsontype?: unknown })._bsontype;
      if (typeof bsonType !== 'string') return 'object';
      const words: Record<string, string> = { Long: 'long', Decimal128: 'decimal', Binary: 'binData', Timestamp: 'timestamp', BSONRegExp: 'regex', Double: 'double', Int32: 'int', MinKey: 'minKey', MaxKey: 'maxKey', Code: 'javascript', BSONSymbol: 'symbol' };
      return words[bsonType] ?? bsonType.toLowerCase();
    }
    default:
      return typeof value;
  }
}

/**
 * The fields a sample shows, in the order they first appear, each with every type observed
 * (`string|null`), nested documents as dotted paths.
 */
export function sampledFields(documents: readonly Document[]): Array<{ name: string; type: string }> {
  const fields = new Map<string, Set<string>>();
  const visit = (document: Document, prefix: string, depth: number): void => {
    for (const [key, value] of Object.entries(document)) {
      const name = `${prefix}${key}`;
      const type = bsonTypeOf(value);
      let types = fields.get(name);
      if (!types) {
        if (fields.size >= MAX_FIELDS) return;
        types = new Set();
        fields.set(name, types);
      }
      types.add(type);
      if (type === 'object' && depth < MAX_DEPTH) visit(value as Document, `${name}.`, depth + 1);
    }
  };
  for (const document of documents) visit(document, '', 1);
  return [...fields].map(([name, types]) => ({ name, type: [...types].sort().join('|') }));
}

/** One collection of the tenant with the fields a sample of its documents shows. */
export function sampledEntry(collection: string, sample: readonly Document[], scope: TenantScope): CatalogEntry {
  return { name: logicalCollection(collection, scope), kind: 'collection', fields: sampledFields(sample), sampled: sample.length };
}
