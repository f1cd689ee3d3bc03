import { AppError } from '@shared/errors';
import type { ClientDetail } from '@shared/model/client';
import type { TenantScope } from '@shared/model/tenant-scope';
import type { ExecutionOptions } from '../../stores/execution';
import type { ScopedMongo } from '../../reading/stores';
import type { Masker } from '../../reading/timeline';
import { isPlainObject, isoOf, plainRecord } from '../../reading/values';
import { oid } from './search';

type Doc = Record<string, unknown>;

/** The raw documents of one client page, before masking. */
export interface ClientDocuments {
  client: Doc;
  contacts: Doc[];
  documents: Doc[];
  notes: Doc[];
  user: Doc | null;
}

const objectOrNull = (value: unknown): Doc | null => (isPlainObject(value) ? value : null);

/** `version.history`, newest first (by version number, then upload time). */
export function versionsOf(document: Doc): Doc[] {
  const version = objectOrNull(document.version);
  const history = Array.isArray(version?.history) ? version.history.filter(isPlainObject) : [];
  return [...history].sort((a, b) => {
    const byNumber = Number(b.version ?? 0) - Number(a.version ?? 0);
    if (byNumber !== 0) return byNumber;
    return Date.parse(isoOf(b.uploadedAt) ?? '') - Date.parse(isoOf(a.uploadedAt) ?? '') || 0;
  });
}

const tasksOf = (note: Doc): Doc[] => (Array.isArray(note.tasks) ? note.tasks.filter(isPlainObject) : []);

/**
 * Reads a client and what hangs off it, each query naming the client's id (the store ANDs the
 * scope's tenant equality into every one, which the seed's `{ tenantId, clientId }` indexes use):
 * contacts, documents and notes (newest first, at most `cap` each, one more read to know the cap
 * cut it) and the linked user (`userId`, else a user whose `clientId` is the client).
 */
export async function readClientDocuments(
  mongo: { reader: ScopedMongo; database: string },
  scope: TenantScope,
  clientId: string,
  cap: number,
  options: ExecutionOptions,
): Promise<ClientDocuments> {
  const target = (collection: string) => ({ database: mongo.database, collection });
  const [client] = await mongo.reader.findExtendedJson(target('clients'), { _id: oid(clientId) }, { limit: 1 }, scope, options);
  if (!client) throw new AppError('not_found', `Tenant ${scope.tenantId} has no client ${clientId}.`);
  const owned = { clientId: oid(clientId) };
  const newestFirst = { sort: { createdAt: -1 as const, _id: -1 as const }, limit: cap + 1 };
  const plainClient = plainRecord(client);
  const userId = typeof plainClient.userId === 'string' && /^[0-9a-f]{24}$/i.test(plainClient.userId) ? plainClient.userId : undefined;
  const [contacts, documents, notes, users] = await Promise.all([
    mongo.reader.findExtendedJson(target('clientcontacts'), owned, newestFirst, scope, options),
    mongo.reader.findExtendedJson(target('clientdocuments'), owned, newestFirst, scope, options),
    mongo.reader.findExtendedJson(target('clientnotes'), owned, newestFirst, scope, options),
    mongo.reader.findExtendedJson(target('users'), userId ? { _id: oid(userId) } : owned, { limit: 1 }, scope, options),
  ]);
  return { client, contacts, documents, notes, user: users[0] ?? null };
}

const listSection = <T extends Doc>(docs: Doc[], cap: number, shape: (doc: Doc) => T) => ({
  items: docs.slice(0, cap).map(shape),
  truncated: docs.length > cap,
});

/**
 * The page the contract returns: every document as plain JSON (hex ids, ISO dates), masked as its
 * collection for the role; documents carry their versions newest first, notes their tasks.
 */
export function clientPage(raw: ClientDocuments, mask: Masker, cap: number): ClientDetail {
  const client = mask('mongo:clients', plainRecord(raw.client));
  return {
    client,
    businessDetails: objectOrNull(client.businessDetails),
    relationship: objectOrNull(client.relationship),
    analytics: objectOrNull(client.analytics),
    contacts: listSection(raw.contacts, cap, (doc) => mask('mongo:clientcontacts', plainRecord(doc))),
    documents: listSection(raw.documents, cap, (doc) => {
      const masked = mask('mongo:clientdocuments', plainRecord(doc));
      return { ...masked, versions: versionsOf(masked) };
    }),
    notes: listSection(raw.notes, cap, (doc) => {
      const masked = mask('mongo:clientnotes', plainRecord(doc));
      return { ...masked, tasks: tasksOf(masked) };
    }),
    user: raw.user ? mask('mongo:users', plainRecord(raw.user)) : null,
  };
}
