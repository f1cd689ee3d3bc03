import { BSON, type CollationOptions, type Document, type Sort } from 'mongodb';
import { AppError } from '@shared/errors';
import type { TenantScope } from '@shared/model/tenant-scope';
import { parseJsonText } from '../json-text';
import { assertTarget, scopedTarget, tenantCondition, type MongoTarget } from './scope';

/**
 * A workbench query for MongoDB, from the text a person typed to what the driver is sent: Extended
 * JSON parsed (canonical and relaxed), the refusals applied before anything leaves the console,
 * and the tenant scope put into the filter and into every pipeline, including the pipelines of
 * `$lookup`, `$graphLookup` and `$unionWith`, which read other collections and so get the scope of
 * the collection they read (the store applies it there rather than refusing them).
 */

export interface MongoUserRequest {
  operation: 'find' | 'aggregate';
  /** A filter document (find) or a pipeline array (aggregate), in Extended JSON. */
  text: string;
  /** For find: `{ sort, projection, skip, limit, hint, collation }` in Extended JSON. */
  options?: string;
}

export interface UserFindOptions {
  sort?: Sort;
  projection?: Document;
  skip?: number;
  /** The person's own limit; reaching it is what they asked for, not a truncation. */
  limit?: number;
  hint?: Document | string;
  collation?: CollationOptions;
}

export type ScopedUserRequest =
  | { operation: 'find'; filter: Document; find: UserFindOptions }
  | { operation: 'aggregate'; pipeline: Document[]; writes: boolean };

export interface UserRequestContext {
  /** The collection the request runs on, already resolved to the tenant's own. */
  target: MongoTarget;
  /** Whether `$out`/`$merge` may run: asked for, and the store is not read-only. */
  write: boolean;
}

const MAX_TEXT = 1_000_000;

/** Server-side JavaScript: refused wherever it appears, in filters, options and pipelines. */
const JAVASCRIPT = new Set(['$where', '$function', '$accumulator', '$code']);

/**
 * Stages that read the server or other namespaces rather than the tenant's documents, or must be
 * the first stage (so the tenant's `$match` could not come before them).
 */
const UNSCOPABLE_STAGES = new Set([
  '$documents',
  '$currentOp',
  '$listSessions',
  '$listLocalSessions',
  '$collStats',
  '$indexStats',
  '$planCacheStats',
  '$changeStream',
  '$changeStreamSplitLargeEvent',
  '$listSearchIndexes',
  '$listSampledQueries',
  '$listClusterCatalog',
  '$querySettings',
  '$shardedDataDistribution',
  '$search',
  '$searchMeta',
  '$vectorSearch',
]);

const WRITING_STAGES = new Set(['$out', '$merge']);
/** Stages handled one by one below; anywhere else (hidden in an expression) they are refused. */
const STRUCTURED_STAGES = new Set(['$lookup', '$graphLookup', '$unionWith', '$facet', ...WRITING_STAGES]);

const FIND_OPTIONS = new Set(['sort', 'projection', 'skip', 'limit', 'hint', 'collation']);

function forbidden(message: string): AppError {
  return new AppError('forbidden', message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Every `$`-key anywhere in parsed JSON. */
function operatorsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) operatorsIn(item, found);
  } else if (isRecord(value)) {
    for (const [key, inner] of Object.entries(value)) {
      if (key.startsWith('$')) found.add(key);
      operatorsIn(inner, found);
    }
  }
  return found;
}

function refuseJavaScript(raw: unknown): void {
  const found = [...operatorsIn(raw)].filter((op) => JAVASCRIPT.has(op));
  if (found.length > 0) {
    throw forbidden(`${found.join(', ')} runs JavaScript on the server, which the workbench does not send.`);
  }
}

/** Extended JSON values (`{ $oid }`, `{ $date }`, `{ $numberLong }`…) into driver values. */
function fromExtendedJson<T>(raw: T, what: string): T {
  try {
    return BSON.EJSON.deserialize(raw as Document, { relaxed: true }) as T;
  } catch (error) {
    throw new AppError('invalid_argument', `${what} is not valid Extended JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The tenant's condition on a collection; a collection outside the tenant's is `forbidden`. */
function conditionOn(scope: TenantScope, collection: string): Document | undefined {
  if (!scope.mongo) throw new AppError('invalid_argument', `The tenant scope of ${scope.tenantId} says nothing about MongoDB.`);
  try {
    return tenantCondition(scope, collection);
  } catch (error) {
    if (AppError.is(error, 'invalid_argument')) throw forbidden(error.message);
    throw error;
  }
}

/** A collection another stage names, resolved as the store resolves the run's own; outside the tenant's is `forbidden`. */
function resolveCollection(name: unknown, stage: string, context: UserRequestContext, scope: TenantScope): { collection: string; condition: Document | undefined } {
  if (typeof name !== 'string') throw forbidden(`${stage} must name a collection of this database by name.`);
  const target = scopedTarget({ database: context.target.database, collection: name }, scope);
  assertTarget(target);
  return { collection: target.collection, condition: conditionOn(scope, target.collection) };
}

function withCondition(filter: unknown, condition: Document | undefined): Document | undefined {
  if (!condition) return isRecord(filter) ? filter : undefined;
  return isRecord(filter) && Object.keys(filter).length > 0 ? { $and: [filter, condition] } : condition;
}

/** Where `$out`/`$merge` writes, inside the tenant's collections of the same database. */
function writeTarget(into: unknown, stage: string, context: UserRequestContext, scope: TenantScope): string {
  if (!context.write) throw new AppError('read_only', `${stage} writes a collection: run it as a write, on a workspace that allows writes.`);
  if (scope.mongo?.mode !== 'collection-prefix') {
    throw forbidden(`${stage} would write a collection shared by every tenant; it is allowed only where each tenant has collections of its own.`);
  }
  let name = into;
  if (isRecord(into)) {
    if (into.db !== undefined && into.db !== context.target.database) throw forbidden(`${stage} may not write into another database.`);
    name = into.coll;
  }
  return resolveCollection(name, stage, context, scope).collection;
}

/** The pipeline with the scope applied to each stage; `prepend` puts the tenant's `$match` first. */
function scopeStages(stages: unknown, collection: string, context: UserRequestContext, scope: TenantScope, prepend: boolean): Document[] {
  if (!Array.isArray(stages)) throw new AppError('invalid_argument', 'A pipeline is an array of stages.');
  const scoped = stages.map((stage, index) => scopeStage(stage, index, stages.length, context, scope));
  if (!prepend) return scoped;
  const condition = conditionOn(scope, collection);
  if (!condition) return scoped;
  const [first] = scoped;
  // $geoNear must come first, so the tenant condition goes into its own query instead.
  if (first && isRecord(first.$geoNear)) {
    return [{ $geoNear: { ...first.$geoNear, query: withCondition(first.$geoNear.query, condition) } }, ...scoped.slice(1)];
  }
  return [{ $match: condition }, ...scoped];
}

function scopeStage(stage: unknown, index: number, count: number, context: UserRequestContext, scope: TenantScope): Document {
  if (!isRecord(stage) || Object.keys(stage).length !== 1 || !Object.keys(stage)[0]?.startsWith('$')) {
    throw new AppError('invalid_argument', `Stage ${index + 1} is not a stage: each is an object with one $-key, such as { "$match": { … } }.`);
  }
  const [name, body] = Object.entries(stage)[0] as [string, unknown];
  if (UNSCOPABLE_STAGES.has(name)) throw forbidden(`${name} reaches beyond the tenant's documents, so a tenant-scoped pipeline cannot use it.`);
  if (WRITING_STAGES.has(name) && index !== count - 1) throw new AppError('invalid_argument', `${name} can only be the last stage.`);
  switch (name) {
    case '$out':
      return { $out: { ...(isRecord(body) ? body : {}), db: context.target.database, coll: writeTarget(body, name, context, scope) } };
    case '$merge': {
      const spec = isRecord(body) ? body : { into: body };
      return { $merge: { ...spec, into: { db: context.target.database, coll: writeTarget(spec.into, name, context, scope) } } };
    }
    case '$lookup': {
      if (!isRecord(body)) throw new AppError('invalid_argument', '$lookup takes a document.');
      if (body.from === undefined) throw forbidden('$lookup must name the collection it reads (from).');
      const from = resolveCollection(body.from, name, context, scope);
      const pipeline = scopeStages(body.pipeline ?? [], from.collection, context, scope, true);
      return { $lookup: { ...body, from: from.collection, ...(pipeline.length > 0 ? { pipeline } : {}) } };
    }
    case '$graphLookup': {
      if (!isRecord(body)) throw new AppError('invalid_argument', '$graphLookup takes a document.');
      const from = resolveCollection(body.from, name, context, scope);
      const restrict = withCondition(body.restrictSearchWithMatch, from.condition);
      return { $graphLookup: { ...body, from: from.collection, ...(restrict ? { restrictSearchWithMatch: restrict } : {}) } };
    }
    case '$unionWith': {
      const spec = isRecord(body) ? body : { coll: body };
      const from = resolveCollection(spec.coll, name, context, scope);
      return { $unionWith: { coll: from.collection, pipeline: scopeStages(spec.pipeline ?? [], from.collection, context, scope, true) } };
    }
    case '$facet': {
      if (!isRecord(body)) throw new AppError('invalid_argument', '$facet takes a document of pipelines.');
      // A facet's input is already the tenant's documents: its pipelines need no $match of their own.
      return { $facet: Object.fromEntries(Object.entries(body).map(([facet, inner]) => [facet, scopeStages(inner, context.target.collection, context, scope, false)])) };
    }
    default: {
      const hidden = [...operatorsIn(body)].filter((op) => STRUCTURED_STAGES.has(op) || UNSCOPABLE_STAGES.has(op));
      if (hidden.length > 0) throw forbidden(`${hidden.join(', ')} inside ${name} cannot be scoped to the tenant.`);
      return { [name]: body };
    }
  }
}

function nonNegativeInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new AppError('invalid_argument', `${what} is a whole number of at least 0.`);
  return value;
}

function findOptions(text: string | undefined): UserFindOptions {
  if (text === undefined || text.trim() === '') return {};
  if (text.length > MAX_TEXT) throw new AppError('invalid_argument', 'The find options are longer than 1,000,000 characters.');
  const raw = parseJsonText(text, 'The find options');
  if (!isRecord(raw)) throw new AppError('invalid_argument', 'The find options are a document: { "sort": …, "projection": …, "skip": … }.');
  const unknown = Object.keys(raw).filter((key) => !FIND_OPTIONS.has(key));
  if (unknown.length > 0) throw new AppError('invalid_argument', `Unknown find options ${unknown.join(', ')}: the workbench takes ${[...FIND_OPTIONS].join(', ')}.`);
  refuseJavaScript(raw);
  const values = fromExtendedJson(raw, 'The find options');
  const options: UserFindOptions = {};
  for (const key of ['sort', 'projection', 'collation'] as const) {
    if (values[key] !== undefined && !isRecord(values[key])) throw new AppError('invalid_argument', `The find option ${key} is a document.`);
  }
  // The server checks the sort's directions and the collation's fields, and answers in its own words.
  if (isRecord(values.sort)) options.sort = values.sort as Sort;
  if (isRecord(values.projection)) options.projection = values.projection;
  if (isRecord(values.collation)) {
    if (typeof values.collation.locale !== 'string') throw new AppError('invalid_argument', 'The find option collation needs a locale.');
    options.collation = values.collation as unknown as CollationOptions;
  }
  if (values.hint !== undefined) {
    if (typeof values.hint !== 'string' && !isRecord(values.hint)) throw new AppError('invalid_argument', 'The find option hint is an index name or key document.');
    options.hint = values.hint;
  }
  if (values.skip !== undefined) options.skip = nonNegativeInteger(values.skip, 'skip');
  if (values.limit !== undefined) options.limit = nonNegativeInteger(values.limit, 'limit');
  return options;
}

/**
 * The request as the driver is sent it, or the refusal: `invalid_argument` for text that does not
 * parse (with line and column), `forbidden` for what reaches outside the tenant or runs server-side
 * JavaScript, `read_only` for `$out`/`$merge` without `write`.
 */
export function scopedUserRequest(request: MongoUserRequest, scope: TenantScope, context: UserRequestContext): ScopedUserRequest {
  if (!isRecord(request) || (request.operation !== 'find' && request.operation !== 'aggregate')) {
    throw new AppError('invalid_argument', 'A MongoDB workbench query is a find or an aggregate.');
  }
  if (typeof request.text !== 'string' || request.text.length > MAX_TEXT) throw new AppError('invalid_argument', 'The query text is at most 1,000,000 characters.');
  if (request.options !== undefined && typeof request.options !== 'string') throw new AppError('invalid_argument', 'The find options are Extended JSON text.');
  const condition = conditionOn(scope, context.target.collection);
  if (request.operation === 'find') {
    const raw = request.text.trim() === '' ? {} : parseJsonText(request.text, 'The filter');
    if (!isRecord(raw)) throw new AppError('invalid_argument', 'A find filter is a document: { "field": value, … }.');
    refuseJavaScript(raw);
    const filter = fromExtendedJson(raw, 'The filter');
    if (request.options !== undefined && request.options.trim() !== '') refuseJavaScript(parseJsonText(request.options, 'The find options'));
    return { operation: 'find', filter: withCondition(filter, condition) ?? {}, find: findOptions(request.options) };
  }
  const raw = parseJsonText(request.text, 'The pipeline');
  if (!Array.isArray(raw)) throw new AppError('invalid_argument', 'An aggregate pipeline is an array of stages: [ { "$match": … }, … ].');
  refuseJavaScript(raw);
  const writes = [...operatorsIn(raw)].some((op) => WRITING_STAGES.has(op));
  const pipeline = scopeStages(fromExtendedJson(raw, 'The pipeline'), context.target.collection, context, scope, true);
  return { operation: 'aggregate', pipeline, writes };
}
