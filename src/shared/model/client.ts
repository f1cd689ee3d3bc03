import { z } from 'zod';
import { JsonRecord } from './case';

/**
 * A client of the Client Management System as the client inspector shows it: the documents of the
 * customer database that belong to one client, tenant-filtered, with ObjectIds as hex strings,
 * dates as ISO strings and sensitive fields masked for the caller's role.
 */

/** `organizations._id` and every other id of that platform: an ObjectId in hex. */
export const ObjectIdHex = z.string().regex(/^[0-9a-fA-F]{24}$/, 'an ObjectId in hex (24 characters)');

export const ClientSummary = z.object({
  id: z.string(),
  clientCode: z.string().nullable(),
  companyName: z.string().nullable(),
  legalName: z.string().nullable(),
  tradingName: z.string().nullable(),
  status: z.string().nullable(),
  tier: z.string().nullable(),
  churnRiskScore: z.number().nullable(),
  createdAt: z.string().nullable(),
  /** Text-index relevance when the search used the text index. */
  score: z.number().nullable(),
});
export type ClientSummary = z.infer<typeof ClientSummary>;

/** How a search found its clients: the text index, the search tokens (no text index), an exact code, or filters alone. */
export const ClientMatch = z.enum(['text_index', 'search_tokens', 'code', 'filter']);
export type ClientMatch = z.infer<typeof ClientMatch>;

export const ClientSearchResult = z.object({
  clients: z.array(ClientSummary),
  matchedBy: ClientMatch,
  /** More clients matched than the limit. */
  truncated: z.boolean(),
});
export type ClientSearchResult = z.infer<typeof ClientSearchResult>;

/** A list section of the client page: its items (newest first) and whether the cap cut it. */
const section = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), truncated: z.boolean() });

export const ClientDocumentRecord = JsonRecord.and(
  z.object({
    /** `version.history`, newest version first. */
    versions: z.array(JsonRecord),
  }),
);

export const ClientNoteRecord = JsonRecord.and(z.object({ tasks: z.array(JsonRecord) }));

export const ClientDetail = z.object({
  /** The whole client document, masked. */
  client: JsonRecord,
  businessDetails: JsonRecord.nullable(),
  /** Status, tier, account manager, acquisition and `churnRisk`. */
  relationship: JsonRecord.nullable(),
  analytics: JsonRecord.nullable(),
  contacts: section(JsonRecord),
  documents: section(ClientDocumentRecord),
  notes: section(ClientNoteRecord),
  /** The user account linked to the client (`userId`, or a user whose `clientId` is this client). */
  user: JsonRecord.nullable(),
});
export type ClientDetail = z.infer<typeof ClientDetail>;
