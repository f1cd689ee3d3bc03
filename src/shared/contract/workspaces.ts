import { z } from 'zod';
import { events, method, section } from './define';
import {
  ConnectionCheck,
  EndpointInputs,
  StoreKind,
  StoreStatus,
  WorkspaceId,
  WorkspaceInput,
  WorkspaceView,
} from '../model/workspace';

const TestTarget = z.discriminatedUnion('store', [
  z.object({ store: z.literal('postgres'), endpoint: EndpointInputs.postgres }),
  z.object({ store: z.literal('mongo'), endpoint: EndpointInputs.mongo }),
  z.object({ store: z.literal('redis'), endpoint: EndpointInputs.redis }),
  z.object({ store: z.literal('elastic'), endpoint: EndpointInputs.elastic }),
]);

/** Workspaces: one platform deployment each, with its stores and the vault holding their secrets. */
export const workspaces = section('workspaces', {
  list: method({
    access: 'workspace.read',
    summary: 'Every workspace, secrets replaced by hasPassword.',
    args: z.object({}).strict(),
    result: z.array(WorkspaceView),
  }),
  get: method({
    access: 'workspace.read',
    summary: 'One workspace by id.',
    args: z.object({ id: WorkspaceId }).strict(),
    result: WorkspaceView,
  }),
  create: method({
    access: 'workspace.manage',
    summary: 'Creates a workspace; passwords go to the vault, never to the workspace file.',
    args: z.object({ workspace: WorkspaceInput }).strict(),
    result: WorkspaceView,
  }),
  update: method({
    access: 'workspace.manage',
    summary: 'Replaces a workspace’s settings; an omitted password keeps the stored one, null forgets it.',
    args: z.object({ id: WorkspaceId, workspace: WorkspaceInput }).strict(),
    result: WorkspaceView,
  }),
  remove: method({
    access: 'workspace.manage',
    summary: 'Deletes a workspace and its secrets; the caller must type the workspace name.',
    args: z.object({ id: WorkspaceId, confirmName: z.string().max(200) }).strict(),
    result: z.object({ removed: z.literal(true) }),
  }),
  testConnection: method({
    access: 'workspace.manage',
    summary:
      'Connects to one endpoint and reports the server version and round trip, or why it failed, within 5 s. ' +
      'With a workspace id, a missing password is taken from the vault.',
    args: z.object({ workspaceId: WorkspaceId.optional(), target: TestTarget }).strict(),
    result: ConnectionCheck,
  }),
  status: method({
    access: 'workspace.read',
    summary: 'The state of each store of a workspace, for the status bar.',
    args: z.object({ id: WorkspaceId }).strict(),
    result: z.array(StoreStatus),
  }),
});

export const workspaceEvents = events({
  'workspaces.changed': z.object({ id: WorkspaceId, change: z.enum(['created', 'updated', 'removed']) }),
  'stores.status': z.object({ workspaceId: WorkspaceId, statuses: z.array(StoreStatus) }),
});

export { StoreKind };
