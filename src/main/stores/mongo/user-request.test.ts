import { ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { parseTenantScope } from '@shared/model/tenant-scope';
import { scopedUserRequest, type MongoUserRequest, type UserRequestContext } from './user-request';

const field = parseTenantScope({ tenantId: 'acme01', mongo: { mode: 'field', field: 'tenantId', valueType: 'string', collections: ['cases', 'clients'] } });
const prefixed = parseTenantScope({ tenantId: 'acme01', mongo: { mode: 'collection-prefix', collectionPrefix: 'tenant_acme01_', field: 'tenant_id', valueType: 'string' } });
const onCases: UserRequestContext = { target: { database: 'crm', collection: 'cases' }, write: false };
const onPrefixed: UserRequestContext = { target: { database: 'crm', collection: 'tenant_acme01_cases' }, write: false };
const acme = { tenantId: 'acme01' };
const acmePrefixed = { tenant_id: 'acme01' };

function build(request: MongoUserRequest, scope = field, context = onCases): ReturnType<typeof scopedUserRequest> {
  return scopedUserRequest(request, scope, context);
}

function refusal(request: MongoUserRequest, scope = field, context = onCases): { code?: string; message?: string; details?: unknown } {
  try {
    build(request, scope, context);
  } catch (error) {
    return error as { code?: string };
  }
  throw new Error('not refused');
}

const pipeline = (stages: unknown[]): MongoUserRequest => ({ operation: 'aggregate', text: JSON.stringify(stages) });

describe('a MongoDB workbench find', () => {
  it('ANDs the tenant equality into the filter and reads canonical and relaxed Extended JSON', () => {
    const built = build({ operation: 'find', text: '{ "_id": { "$oid": "652f1c2e9b1d4a0012ab34cd" }, "at": { "$gte": { "$date": "2025-01-01T00:00:00Z" } }, "n": { "$numberLong": "7" } }' });
    expect(built.operation).toBe('find');
    if (built.operation !== 'find') return;
    const [user, tenant] = built.filter.$and as [Record<string, unknown>, unknown];
    expect(tenant).toEqual(acme);
    expect(user._id).toBeInstanceOf(ObjectId);
    expect((user.at as { $gte: unknown }).$gte).toEqual(new Date('2025-01-01T00:00:00Z'));
    expect(user.n).toBe(7);
  });

  it('sends the tenant equality alone for an empty filter', () => {
    expect(build({ operation: 'find', text: '{}' })).toMatchObject({ filter: acme });
    expect(build({ operation: 'find', text: '  ' })).toMatchObject({ filter: acme });
  });

  it('keeps another tenant’s value inside the AND, which matches nothing', () => {
    const built = build({ operation: 'find', text: '{ "tenantId": "other02" }' });
    expect(built).toMatchObject({ filter: { $and: [{ tenantId: 'other02' }, acme] } });
  });

  it('reads sort, projection, skip, limit, hint and collation from the options text', () => {
    const built = build({ operation: 'find', text: '{}', options: '{ "sort": { "openedAt": -1 }, "projection": { "title": 1 }, "skip": 5, "limit": 20, "hint": "tenantId_1", "collation": { "locale": "fr" } }' });
    expect(built).toMatchObject({ find: { sort: { openedAt: -1 }, projection: { title: 1 }, skip: 5, limit: 20, hint: 'tenantId_1', collation: { locale: 'fr' } } });
  });

  it.each([
    ['{ "maxTimeMS": 1 }', /Unknown find options maxTimeMS/],
    ['{ "skip": -1 }', /skip is a whole number/],
    ['{ "sort": 3 }', /sort is a document/],
    ['[1]', /are a document/],
  ])('refuses the options %s', (options, message) => {
    expect(refusal({ operation: 'find', text: '{}', options })).toMatchObject({ code: 'invalid_argument', message: expect.stringMatching(message) as string });
  });

  it('refuses text that does not parse with its line and column', () => {
    expect(refusal({ operation: 'find', text: '{\n  "a": 1,\n  b: 2\n}' })).toMatchObject({ code: 'invalid_argument', details: { line: 3, column: 3 } });
    expect(refusal({ operation: 'find', text: '[]' })).toMatchObject({ code: 'invalid_argument' });
    expect(refusal({ operation: 'find', text: '{ "_id": { "$oid": "nope" } }' })).toMatchObject({ code: 'invalid_argument', message: expect.stringContaining('Extended JSON') as string });
  });

  it.each([
    ['{ "$where": "this.tenantId != 1" }'],
    ['{ "$expr": { "$function": { "body": "function() { return true }", "args": [], "lang": "js" } } }'],
    ['{ "a": { "$code": "function() {}" } }'],
  ])('refuses server-side JavaScript %s as forbidden', (text) => {
    expect(refusal({ operation: 'find', text })).toMatchObject({ code: 'forbidden' });
  });

  it('refuses JavaScript in the options too', () => {
    expect(refusal({ operation: 'find', text: '{}', options: '{ "projection": { "x": { "$function": { "body": "x", "args": [], "lang": "js" } } } }' })).toMatchObject({ code: 'forbidden' });
  });

  it('refuses a collection the scope does not cover as forbidden', () => {
    expect(refusal({ operation: 'find', text: '{}' }, field, { target: { database: 'crm', collection: 'platform_users' }, write: false })).toMatchObject({ code: 'forbidden' });
    expect(refusal({ operation: 'find', text: '{}' }, prefixed, { target: { database: 'crm', collection: 'tenant_other02_cases' }, write: false })).toMatchObject({ code: 'forbidden' });
  });
});

describe('a MongoDB workbench aggregate', () => {
  it('puts the tenant $match first', () => {
    expect(build(pipeline([{ $group: { _id: '$status', n: { $sum: 1 } } }]))).toEqual({
      operation: 'aggregate',
      pipeline: [{ $match: acme }, { $group: { _id: '$status', n: { $sum: 1 } } }],
      writes: false,
    });
  });

  it('applies the scope of the collection a $lookup reads, with or without its own pipeline', () => {
    const built = build(pipeline([{ $lookup: { from: 'clients', localField: 'clientId', foreignField: '_id', as: 'client' } }, { $lookup: { from: 'clients', let: { c: '$clientId' }, pipeline: [{ $match: { $expr: { $eq: ['$_id', '$$c'] } } }], as: 'c2' } }]));
    expect(built).toMatchObject({
      pipeline: [
        { $match: acme },
        { $lookup: { from: 'clients', localField: 'clientId', foreignField: '_id', as: 'client', pipeline: [{ $match: acme }] } },
        { $lookup: { from: 'clients', pipeline: [{ $match: acme }, { $match: { $expr: { $eq: ['$_id', '$$c'] } } }] } },
      ],
    });
  });

  it('scopes $unionWith and $graphLookup, and $lookup nested in $facet', () => {
    const built = build(pipeline([{ $unionWith: 'clients' }, { $graphLookup: { from: 'cases', startWith: '$parentId', connectFromField: 'parentId', connectToField: '_id', as: 'chain', restrictSearchWithMatch: { open: true } } }, { $facet: { a: [{ $lookup: { from: 'clients', localField: 'x', foreignField: '_id', as: 'y' } }] } }]));
    expect(built).toMatchObject({
      pipeline: [
        { $match: acme },
        { $unionWith: { coll: 'clients', pipeline: [{ $match: acme }] } },
        { $graphLookup: { from: 'cases', restrictSearchWithMatch: { $and: [{ open: true }, acme] } } },
        { $facet: { a: [{ $lookup: { from: 'clients', pipeline: [{ $match: acme }] } }] } },
      ],
    });
  });

  it('resolves logical names under a collection-prefix scope, and refuses another tenant’s collection', () => {
    const built = build(pipeline([{ $lookup: { from: 'notes', localField: '_id', foreignField: 'caseId', as: 'notes' } }]), prefixed, onPrefixed);
    expect(built).toMatchObject({ pipeline: [{ $match: acmePrefixed }, { $lookup: { from: 'tenant_acme01_notes', pipeline: [{ $match: acmePrefixed }] } }] });
    expect(refusal(pipeline([{ $lookup: { from: 'tenant_other02_notes', localField: '_id', foreignField: 'caseId', as: 'n' } }]), prefixed, onPrefixed)).toMatchObject({ code: 'forbidden' });
    expect(refusal(pipeline([{ $unionWith: { coll: 'tenant_other02_cases' } }]), prefixed, onPrefixed)).toMatchObject({ code: 'forbidden' });
  });

  it.each([
    [[{ $lookup: { from: 'platform_users', localField: 'a', foreignField: 'b', as: 'c' } }]],
    [[{ $lookup: { from: { db: 'admin', coll: 'system.users' }, localField: 'a', foreignField: 'b', as: 'c' } }]],
    [[{ $lookup: { pipeline: [{ $documents: [{ a: 1 }] }], as: 'c' } }]],
    [[{ $unionWith: { pipeline: [{ $documents: [{ tenantId: 'other02' }] }] } }]],
    [[{ $graphLookup: { from: 'platform_users', startWith: '$a', connectFromField: 'a', connectToField: 'b', as: 'c' } }]],
    [[{ $documents: [{ tenantId: 'other02' }] }]],
    [[{ $currentOp: {} }]],
    [[{ $listSessions: {} }]],
    [[{ $collStats: { count: {} } }]],
    [[{ $indexStats: {} }]],
    [[{ $facet: { a: [{ $collStats: {} }] } }]],
    [[{ $group: { _id: null, f: { $accumulator: { init: 'function() {}', accumulate: 'x', accumulateArgs: [], merge: 'x', lang: 'js' } } } }]],
    [[{ $match: { $where: 'true' } }]],
    [[{ $project: { x: { $lookup: { from: 'platform_users' } } } }]],
  ])('refuses %j as forbidden', (stages) => {
    expect(refusal(pipeline(stages))).toMatchObject({ code: 'forbidden' });
  });

  it('refuses $out and $merge without write, and on a shared collection even with it', () => {
    expect(refusal(pipeline([{ $out: 'copy' }]))).toMatchObject({ code: 'read_only' });
    expect(refusal(pipeline([{ $merge: { into: 'copy' } }]))).toMatchObject({ code: 'read_only' });
    expect(refusal(pipeline([{ $out: 'cases' }]), field, { ...onCases, write: true })).toMatchObject({ code: 'forbidden' });
  });

  it('with write, under a collection-prefix scope, writes only into the tenant’s own collections', () => {
    const write = { ...onPrefixed, write: true };
    expect(build(pipeline([{ $out: 'summary' }]), prefixed, write)).toEqual({
      operation: 'aggregate',
      pipeline: [{ $match: acmePrefixed }, { $out: { db: 'crm', coll: 'tenant_acme01_summary' } }],
      writes: true,
    });
    expect(build(pipeline([{ $merge: { into: 'summary', whenMatched: 'replace' } }]), prefixed, write)).toMatchObject({ pipeline: [{}, { $merge: { into: { db: 'crm', coll: 'tenant_acme01_summary' }, whenMatched: 'replace' } }] });
    expect(refusal(pipeline([{ $out: 'tenant_other02_summary' }]), prefixed, write)).toMatchObject({ code: 'forbidden' });
    expect(refusal(pipeline([{ $out: { db: 'admin', coll: 'x' } }]), prefixed, write)).toMatchObject({ code: 'forbidden' });
    expect(refusal(pipeline([{ $out: 'a' }, { $match: {} }]), prefixed, write)).toMatchObject({ code: 'invalid_argument' });
  });

  it('puts the tenant condition into a leading $geoNear rather than before it', () => {
    expect(build(pipeline([{ $geoNear: { near: { type: 'Point', coordinates: [0, 0] }, distanceField: 'd', query: { open: true } } }]))).toMatchObject({
      pipeline: [{ $geoNear: { query: { $and: [{ open: true }, acme] } } }],
    });
  });

  it('refuses a pipeline that is not an array of stages', () => {
    expect(refusal({ operation: 'aggregate', text: '{ "$match": {} }' })).toMatchObject({ code: 'invalid_argument' });
    expect(refusal(pipeline([{ $match: {}, $limit: 1 }]))).toMatchObject({ code: 'invalid_argument' });
    expect(refusal({ operation: 'aggregate', text: '[{ "$match": {} },' })).toMatchObject({ code: 'invalid_argument', details: { line: 1 } });
  });
});
