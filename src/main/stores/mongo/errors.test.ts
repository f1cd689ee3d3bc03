import { MongoBulkWriteError, MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { toMongoError } from './errors';

/** Error replies as MongoDB 7 sends them (`{ ok: 0, errmsg, code, codeName }`). */
const replies = {
  maxTime: { ok: 0, errmsg: 'operation exceeded time limit', code: 50, codeName: 'MaxTimeMSExpired' },
  auth: { ok: 0, errmsg: 'Authentication failed.', code: 18, codeName: 'AuthenticationFailed' },
  killed: { ok: 0, errmsg: 'operation was interrupted', code: 11601, codeName: 'Interrupted' },
  unauthorized: { ok: 0, errmsg: 'not authorized on crm to execute command { find: "clients" }', code: 13, codeName: 'Unauthorized' },
  namespace: { ok: 0, errmsg: 'ns does not exist', code: 26, codeName: 'NamespaceNotFound' },
  badStage: { ok: 0, errmsg: "Unrecognized pipeline stage name: '$nope'", code: 40324, codeName: 'Location40324' },
  notPrimary: { ok: 0, errmsg: 'not primary', code: 10107, codeName: 'NotWritablePrimary' },
};

describe('toMongoError', () => {
  it.each([
    ['maxTime', 'timeout'],
    ['auth', 'auth_failed'],
    ['killed', 'cancelled'],
    ['unauthorized', 'forbidden'],
    ['namespace', 'not_found'],
    ['badStage', 'invalid_argument'],
    ['notPrimary', 'read_only'],
  ] as const)('maps the %s reply to %s', (name, code) => {
    const mapped = toMongoError(new MongoServerError(replies[name]));
    expect(mapped.code).toBe(code);
    expect(mapped.details).toMatchObject({ serverCode: replies[name].code });
  });

  it('maps a duplicate key inside a bulk write to conflict', () => {
    const writeError = { index: 0, code: 11000, errmsg: 'E11000 duplicate key error collection: crm.clients index: _id_ dup key: { _id: 1 }' };
    const bulk = new MongoBulkWriteError({ message: writeError.errmsg, code: 11000, writeErrors: [writeError] as never }, { insertedCount: 0, matchedCount: 0, modifiedCount: 0, deletedCount: 0, upsertedCount: 0, upsertedIds: {}, insertedIds: {} } as never);
    expect(toMongoError(bulk).code).toBe('conflict');
  });

  it('finds a refused connection behind a server selection error', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:27017'), { code: 'ECONNREFUSED' });
    const network = new MongoNetworkError('connect ECONNREFUSED 127.0.0.1:27017', { cause: refused });
    const selection = new MongoServerSelectionError('connect ECONNREFUSED 127.0.0.1:27017', { type: 'Unknown', servers: new Map(), stale: false, compatible: true, heartbeatFrequencyMS: 10000, localThresholdMS: 15, setName: null, maxElectionId: null, maxSetVersion: null, commonWireVersion: 0, logicalSessionTimeoutMinutes: null } as never);
    Object.defineProperty(selection, 'cause', { value: network });
    expect(toMongoError(selection).code).toBe('unreachable');
  });

  it('maps a TLS failure to tls', () => {
    const tls = Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(toMongoError(new MongoNetworkError('self-signed certificate', { cause: tls })).code).toBe('tls');
  });
});
