import type { AnyBulkWriteOperation, Document, IndexDescription, MongoClient } from 'mongodb';
import { AppError } from '@shared/errors';
import { canonicalJson, type AuditEntry, type AuditSink } from '@shared/model/audit';
import type { MongoEndpoint } from '@shared/model/workspace';
import { errorChain } from '../network-errors';
import { toMongoError } from './errors';
import { createMongoClient } from './client';

/** The collection of the platform's admin database that keeps the console's audit entries. */
export const CONSOLE_AUDIT_COLLECTION = 'consoleaudit';

/**
 * One entry per (workspaceId, seq), which is what makes a re-ship a no-op and lets a clash be
 * found; `at` serves the viewer's time filter.
 */
export const CONSOLE_AUDIT_INDEXES: readonly IndexDescription[] = [
  { key: { workspaceId: 1, seq: 1 }, name: 'workspaceId_1_seq_1', unique: true },
  { key: { at: 1 }, name: 'at_1' },
];

/** An entry as stored in `consoleaudit`: searchable fields with BSON dates, plus the exact canonical line. */
export interface ConsoleAuditDocument {
  workspaceId: string;
  seq: number;
  id: string;
  at: Date;
  operator: { name: string; email?: string };
  role: string;
  tenantIds: string[];
  action: string;
  target: string;
  justification: { id: string; reason: string; ticket?: string } | null;
  outcome: string;
  details: Document;
  prevHash: string;
  hash: string;
  /** The canonical JSON of the entry, the text its hash covers: what verification reads back. */
  entry: string;
  receivedAt: Date;
}

const DUPLICATE_KEY = 11000;

/**
 * Field names a document cannot hold as they are (a leading `$` is refused in an update, a `.`
 * reads as a path, NUL ends a BSON key) are percent-encoded, `%` included so the encoding can be
 * undone. Only the searchable `details` need it: `entry` keeps the exact text.
 */
export function storableKey(key: string): string {
  return /[%.$\0]/.test(key) ? key.replace(/[%.$\0]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`) : key;
}

function storable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(storable);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [storableKey(key), storable(item)]));
  }
  return value;
}

/** The document an entry becomes; `receivedAt` is when the admin store first got it. */
export function auditDocumentOf(entry: AuditEntry, receivedAt: Date): ConsoleAuditDocument {
  return {
    workspaceId: entry.workspaceId,
    seq: entry.seq,
    id: entry.id,
    at: new Date(entry.at),
    operator: entry.operator.email === undefined ? { name: entry.operator.name } : { name: entry.operator.name, email: entry.operator.email },
    role: entry.role,
    tenantIds: [...entry.tenantIds],
    action: entry.action,
    target: entry.target,
    justification: entry.justification,
    outcome: entry.outcome,
    details: storable(entry.details) as Document,
    prevHash: entry.prevHash,
    hash: entry.hash,
    entry: canonicalJson(entry),
    receivedAt,
  };
}

/**
 * One upsert per entry, in seq order, that writes only when (workspaceId, seq) is new:
 * `$setOnInsert` leaves an existing document exactly as it was.
 */
export function shipOperations(entries: readonly AuditEntry[], receivedAt: Date): AnyBulkWriteOperation<ConsoleAuditDocument>[] {
  return entries.map((entry) => ({
    updateOne: {
      filter: { workspaceId: entry.workspaceId, seq: entry.seq },
      update: { $setOnInsert: auditDocumentOf(entry, receivedAt) },
      upsert: true,
    },
  }));
}

/** The entries of a batch the store already held: those whose operation upserted nothing. */
export function alreadyStored(entries: readonly AuditEntry[], upsertedIds: Readonly<Record<number, unknown>>): AuditEntry[] {
  return entries.filter((_, index) => !Object.hasOwn(upsertedIds, index));
}

/**
 * The first entry the store holds with another hash (or lost between the write and the read):
 * another journal claims its place in the chain.
 */
export function firstClash(already: readonly AuditEntry[], storedHashes: ReadonlyMap<number, string>): AuditEntry | undefined {
  return already.find((entry) => storedHashes.get(entry.seq) !== entry.hash);
}

/**
 * What a failed shipment tells the shipper: `conflict` (it stops) only for a clash it cannot heal
 * by retrying; a duplicate key from two consoles inserting the same entry at once is retried, and
 * the next attempt compares the stored hash. Anything else keeps its code, naming the collection.
 */
export function shipFailure(error: unknown, where: string, server: string): AppError {
  if (error instanceof AppError) return error;
  if ([...errorChain(error)].some((link) => (link as { code?: unknown }).code === DUPLICATE_KEY)) {
    return new AppError('internal', `Another writer stored the same audit entries in ${where} at the same moment; the next attempt compares them.`);
  }
  const mapped = toMongoError(error, server);
  return new AppError(mapped.code, `The audit entries could not be stored in ${where}: ${mapped.message}`, mapped.details);
}

/**
 * An index that cannot be created is a `conflict` when the store disagrees with it (another index
 * under its name, or two documents for one entry already there): retrying cannot fix that.
 */
export function indexFailure(error: unknown, where: string, server: string): AppError {
  const mapped = toMongoError(error, server);
  if (mapped.code !== 'conflict') return shipFailure(error, where, server);
  return new AppError(
    'conflict',
    `The unique index on (workspaceId, seq) of ${where} could not be created: ${mapped.message}. ` +
      'An index of another shape under its name, or two documents for the same entry, must be resolved before the console ships there.',
    mapped.details,
  );
}

export interface MongoAuditSinkOptions {
  /** The platform's MongoDB (the admin store) and its vault password. */
  endpoint: MongoEndpoint;
  password?: string;
  /** The admin database, from the workspace's MongoDB settings. */
  database: string;
  /** How long one attempt waits to connect and select a server before the shipper backs off. Default 5000 ms. */
  connectTimeoutMs?: number;
}

/**
 * Ships audit entries to `consoleaudit` of the platform's admin database, creating its indexes when
 * missing. Idempotent by (workspaceId, seq): an entry shipped again is left as it is, and one that
 * comes back with another hash is a `conflict`, since two journals then claim the same place in
 * the chain. Writes wait for a majority and the journal, since the shipper forgets an entry locally
 * once this confirms it.
 */
export class MongoAuditSink implements AuditSink {
  readonly #options: MongoAuditSinkOptions;
  #client: MongoClient | undefined;

  constructor(options: MongoAuditSinkOptions) {
    this.#options = options;
  }

  get #where(): string {
    return `${this.#options.database}.${CONSOLE_AUDIT_COLLECTION} on MongoDB at ${this.#options.endpoint.hosts}`;
  }

  async ship(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const byWorkspace = new Map<string, AuditEntry[]>();
    for (const entry of entries) byWorkspace.set(entry.workspaceId, [...(byWorkspace.get(entry.workspaceId) ?? []), entry]);
    try {
      const client = await this.#connected();
      await this.#ensureIndexes(client);
      for (const [workspaceId, batch] of byWorkspace) await this.#upsert(client, workspaceId, batch);
    } catch (error) {
      const failure = shipFailure(error, this.#where, `MongoDB at ${this.#options.endpoint.hosts}`);
      // A fresh client next time: a client whose first connection failed is not worth keeping.
      if (failure.code !== 'conflict') this.#drop();
      throw failure;
    }
  }

  /** The canonical texts stored for a workspace, in seq order, a page at a time, for verifyEntryTexts. */
  async *readEntryTexts(workspaceId: string, pageSize = 1_000): AsyncGenerator<string> {
    const collection = (await this.#connected()).db(this.#options.database).collection<ConsoleAuditDocument>(CONSOLE_AUDIT_COLLECTION);
    let after = 0;
    for (;;) {
      const page = await collection
        .find({ workspaceId, seq: { $gt: after } }, { projection: { _id: 0, seq: 1, entry: 1 }, sort: { seq: 1 }, limit: pageSize })
        .toArray();
      for (const document of page) yield document.entry;
      const last = page.at(-1);
      if (page.length < pageSize || !last) return;
      after = last.seq;
    }
  }

  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    await client?.close();
  }

  async #connected(): Promise<MongoClient> {
    if (this.#client) return this.#client;
    const { endpoint, password, connectTimeoutMs = 5_000 } = this.#options;
    // One connection is plenty: a journal ships one batch at a time. A socket that stops answering
    // mid-write fails the attempt rather than holding the journal's shipping forever.
    const client = await createMongoClient(endpoint, password, connectTimeoutMs, { appName: 'Tenantscope audit', maxPoolSize: 1, socketTimeoutMS: 30_000 });
    // A read-back that started while the options were read may have made the client already.
    if (this.#client) {
      void client.close().catch(() => undefined);
      return this.#client;
    }
    this.#client = client;
    return client;
  }

  #drop(): void {
    const client = this.#client;
    this.#client = undefined;
    void client?.close().catch(() => undefined);
  }

  /**
   * Every shipment, because a collection dropped while the console runs would otherwise come back
   * through the upserts without its unique index; on an existing index this is a cheap no-op.
   */
  async #ensureIndexes(client: MongoClient): Promise<void> {
    try {
      await client.db(this.#options.database).collection(CONSOLE_AUDIT_COLLECTION).createIndexes([...CONSOLE_AUDIT_INDEXES]);
    } catch (error) {
      throw indexFailure(error, this.#where, `MongoDB at ${this.#options.endpoint.hosts}`);
    }
  }

  async #upsert(client: MongoClient, workspaceId: string, batch: AuditEntry[]): Promise<void> {
    const collection = client.db(this.#options.database).collection<ConsoleAuditDocument>(CONSOLE_AUDIT_COLLECTION);
    const result = await collection.bulkWrite(shipOperations(batch, new Date()), { ordered: true, writeConcern: { w: 'majority', journal: true } });
    const already = alreadyStored(batch, result.upsertedIds);
    if (already.length === 0) return;
    const stored = await collection
      .find({ workspaceId, seq: { $in: already.map((entry) => entry.seq) } }, { projection: { _id: 0, seq: 1, hash: 1 } })
      .toArray();
    const clash = firstClash(already, new Map(stored.map((document) => [document.seq, document.hash])));
    if (clash) {
      throw new AppError(
        'conflict',
        `${this.#where} already holds a different entry ${clash.seq} for workspace ${workspaceId}: ` +
          'two journals claim the same place in the chain. Verify both journals before shipping again.',
        { workspaceId, seq: clash.seq },
      );
    }
  }
}
