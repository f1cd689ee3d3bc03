import { z } from 'zod';
import { method, section } from './define';
import { WorkspaceId } from '../model/workspace';
import { ClientDetail, ClientSearchResult, ObjectIdHex } from '../model/client';

/** The client inspector (Client Management System): find clients in one tenant, and one client's page. */
export const clients = section('clients', {
  search: method({
    access: 'tenant-read',
    summary:
      'Clients of one tenant by name (the text index, or the search tokens where there is none), by ' +
      'exact client code, or by relationship status; the tenant filter always comes first.',
    args: z
      .object({
        workspaceId: WorkspaceId,
        tenantId: ObjectIdHex,
        text: z.string().trim().min(1).max(200).optional(),
        code: z.string().trim().min(1).max(64).optional(),
        status: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_ -]+$/, 'a relationship status such as active or prospect').optional(),
        limit: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
    result: ClientSearchResult,
  }),
  get: method({
    access: 'tenant-read',
    summary:
      'One client: business details, relationship and churn risk, analytics, contacts, documents with ' +
      'their version history, notes with their tasks, and the linked user; masked for the caller’s role.',
    args: z.object({ workspaceId: WorkspaceId, tenantId: ObjectIdHex, clientId: ObjectIdHex }).strict(),
    result: ClientDetail,
  }),
});
