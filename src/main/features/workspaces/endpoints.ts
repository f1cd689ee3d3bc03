import type { z } from 'zod';
import { AppError } from '@shared/errors';
import {
  EndpointSchemas,
  SecretInput,
  STORE_KINDS,
  STORE_LABELS,
  type EndpointByKind,
  type StoreEndpoint,
  type StoreKind,
  type Workspace,
  type WorkspaceInput,
} from '@shared/model/workspace';

export type ParsedWorkspaceInput = z.output<typeof WorkspaceInput>;
type StoredEndpoints = Workspace['endpoints'];

/** What an editor's password field asks of the vault for one store. */
export type SecretChange = { kind: 'keep' } | { kind: 'forget' } | { kind: 'set'; value: string };

/** The password field as the contract carries it: omitted keeps, null or empty forgets, a value replaces. */
export function secretChangeOf(password: string | null | undefined): SecretChange {
  if (password === undefined) return { kind: 'keep' };
  if (password === null || password === '') return { kind: 'forget' };
  return { kind: 'set', value: password };
}

/** Splits the editor's endpoints into what is stored in workspaces.json and what goes to the vault. */
export function splitSecrets(input: ParsedWorkspaceInput['endpoints']): {
  endpoints: StoredEndpoints;
  secrets: Record<StoreKind, SecretChange>;
} {
  const endpoints: StoredEndpoints = {};
  const secrets = {} as Record<StoreKind, SecretChange>;
  for (const kind of STORE_KINDS) {
    const given = input[kind];
    if (!given) {
      secrets[kind] = { kind: 'forget' };
      continue;
    }
    const { endpoint, password } = readEndpointInput(kind, given);
    (endpoints as Record<StoreKind, StoreEndpoint>)[kind] = endpoint;
    secrets[kind] = secretChangeOf(password);
  }
  return { endpoints, secrets };
}

/**
 * One endpoint as the editor sent it (already validated by the router), split into the endpoint
 * to store and the password field. Parsing again with the store's own schema keeps exactly the
 * endpoint's fields, so nothing else the caller sent can reach the workspace file.
 */
export function readEndpointInput(kind: StoreKind, given: unknown): { endpoint: StoreEndpoint; password: string | null | undefined } {
  const endpoint = EndpointSchemas[kind].parse(given);
  const password = SecretInput.parse((given as { password?: unknown }).password);
  return { endpoint, password };
}

/** The server an endpoint points at; a stored password is only ever sent to that server. */
export function addressOf<K extends StoreKind>(kind: K, endpoint: EndpointByKind[K]): string {
  switch (kind) {
    case 'postgres':
    case 'redis': {
      const e = endpoint as EndpointByKind['postgres' | 'redis'];
      return `${e.host.toLowerCase()}:${e.port}`;
    }
    case 'mongo': {
      const e = endpoint as EndpointByKind['mongo'];
      return `${e.srv ? 'srv' : 'seed'}:${e.hosts.toLowerCase()}`;
    }
    default:
      return (endpoint as EndpointByKind['elastic']).node.toLowerCase().replace(/\/+$/, '');
  }
}

/** Refuses to keep a stored password for an endpoint that now points at another server. */
export function assertSameServer(kind: StoreKind, stored: StoreEndpoint | undefined, next: StoreEndpoint, action: string): void {
  if (!stored || addressOf(kind, stored) === addressOf(kind, next)) return;
  throw new AppError(
    'invalid_argument',
    `The stored ${STORE_LABELS[kind]} password belongs to ${addressOf(kind, stored)}; ` +
      `enter the password again to ${action} ${addressOf(kind, next)}.`,
  );
}
