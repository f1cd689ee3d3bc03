import type { Environment, StoreKind, WorkspaceInput, WorkspaceView } from '@shared/model/workspace';

/**
 * What the editor holds while a person types: every field as text or a flag, so half-typed values
 * (an empty port, a host without a port yet) are representable. `draftToInput` turns it into what
 * the contract accepts; the server's schema has the last word on validity.
 */

/** A password is write-only: keep what the vault holds, replace it, or forget it. */
export type PasswordDraft = { mode: 'keep' } | { mode: 'set'; value: string } | { mode: 'clear' };

export interface TlsDraft {
  enabled: boolean;
  rejectUnauthorized: boolean;
  caFile: string;
  /** A client certificate and its key, for servers that require mutual TLS. */
  certFile: string;
  keyFile: string;
  servername: string;
}

interface EndpointDraftBase {
  /** Whether the workspace has this store at all. */
  enabled: boolean;
  tls: TlsDraft;
  poolSize: number | '';
  password: PasswordDraft;
  /** What the server said when the draft was loaded: a password is in the vault. */
  hasStoredPassword: boolean;
}

export interface PostgresDraft extends EndpointDraftBase {
  host: string;
  port: number | '';
  database: string;
  username: string;
}

export interface MongoDraft extends EndpointDraftBase {
  hosts: string;
  srv: boolean;
  username: string;
  authSource: string;
  replicaSet: string;
  customerDatabase: string;
  sharedDatabase: string;
  adminDatabase: string;
}

export interface RedisDraft extends EndpointDraftBase {
  host: string;
  port: number | '';
  db: number | '';
  username: string;
}

export interface ElasticDraft extends EndpointDraftBase {
  node: string;
  username: string;
}

export interface EndpointDrafts {
  postgres: PostgresDraft;
  mongo: MongoDraft;
  redis: RedisDraft;
  elastic: ElasticDraft;
}

export interface WorkspaceDraft {
  name: string;
  environment: Environment;
  preset: string;
  endpoints: EndpointDrafts;
}

type EndpointInputs = NonNullable<WorkspaceInput['endpoints']>;
export type EndpointInput<K extends StoreKind> = NonNullable<EndpointInputs[K]>;

const DEFAULT_POOL_SIZE = 5;

function emptyTls(): TlsDraft {
  return { enabled: false, rejectUnauthorized: true, caFile: '', certFile: '', keyFile: '', servername: '' };
}

function emptyBase(): EndpointDraftBase {
  return { enabled: false, tls: emptyTls(), poolSize: DEFAULT_POOL_SIZE, password: { mode: 'keep' }, hasStoredPassword: false };
}

export function emptyDraft(preset = 'murima2025'): WorkspaceDraft {
  return {
    name: '',
    environment: 'dev',
    preset,
    endpoints: {
      postgres: { ...emptyBase(), host: 'localhost', port: 5432, database: '', username: '' },
      mongo: {
        ...emptyBase(),
        hosts: 'localhost:27017',
        srv: false,
        username: '',
        authSource: '',
        replicaSet: '',
        customerDatabase: '',
        sharedDatabase: '',
        adminDatabase: '',
      },
      redis: { ...emptyBase(), host: 'localhost', port: 6379, db: 0, username: '' },
      elastic: { ...emptyBase(), node: 'http://localhost:9200', username: '' },
    },
  };
}

interface ViewTls {
  enabled: boolean;
  rejectUnauthorized: boolean;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  servername?: string;
}

function tlsFromView(tls: ViewTls): TlsDraft {
  return {
    enabled: tls.enabled,
    rejectUnauthorized: tls.rejectUnauthorized,
    caFile: tls.caFile ?? '',
    certFile: tls.certFile ?? '',
    keyFile: tls.keyFile ?? '',
    servername: tls.servername ?? '',
  };
}

function baseFromView(view: { tls: ViewTls; poolSize: number; hasPassword: boolean }): EndpointDraftBase {
  return { enabled: true, tls: tlsFromView(view.tls), poolSize: view.poolSize, password: { mode: 'keep' }, hasStoredPassword: view.hasPassword };
}

/** The editor's starting point for an existing workspace. */
export function draftFromView(view: WorkspaceView): WorkspaceDraft {
  const draft = emptyDraft(view.preset);
  draft.name = view.name;
  draft.environment = view.environment;
  const { postgres, mongo, redis, elastic } = view.endpoints;
  if (postgres) {
    draft.endpoints.postgres = {
      ...baseFromView(postgres),
      host: postgres.host,
      port: postgres.port,
      database: postgres.database,
      username: postgres.username,
    };
  }
  if (mongo) {
    draft.endpoints.mongo = {
      ...baseFromView(mongo),
      hosts: mongo.hosts,
      srv: mongo.srv,
      username: mongo.username ?? '',
      authSource: mongo.authSource ?? '',
      replicaSet: mongo.replicaSet ?? '',
      customerDatabase: mongo.databases.customer ?? '',
      sharedDatabase: mongo.databases.shared ?? '',
      adminDatabase: mongo.databases.admin ?? '',
    };
  }
  if (redis) {
    draft.endpoints.redis = { ...baseFromView(redis), host: redis.host, port: redis.port, db: redis.db, username: redis.username ?? '' };
  }
  if (elastic) {
    draft.endpoints.elastic = { ...baseFromView(elastic), node: elastic.node, username: elastic.username ?? '' };
  }
  return draft;
}

/** Empty optional text is left out rather than sent as "". */
function optional(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** An empty number field is sent as NaN so the server names the field instead of guessing a default. */
function numberOf(value: number | ''): number {
  return value === '' ? Number.NaN : value;
}

function tlsInput(tls: TlsDraft): ViewTls {
  const input: ViewTls = { enabled: tls.enabled, rejectUnauthorized: tls.rejectUnauthorized };
  const files = withoutUndefined({ caFile: optional(tls.caFile), certFile: optional(tls.certFile), keyFile: optional(tls.keyFile) });
  const servername = optional(tls.servername);
  return { ...input, ...files, ...(servername !== undefined && { servername }) };
}

/** Omitted keeps the stored secret, null forgets it, a string replaces it. */
export function passwordInput(password: PasswordDraft): { password?: string | null } {
  if (password.mode === 'set') return { password: password.value };
  if (password.mode === 'clear') return { password: null };
  return {};
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function baseInput(draft: EndpointDraftBase) {
  return { tls: tlsInput(draft.tls), poolSize: numberOf(draft.poolSize), ...passwordInput(draft.password) };
}

const endpointBuilders: { [K in StoreKind]: (draft: EndpointDrafts[K]) => EndpointInput<K> } = {
  postgres: (d) => ({ host: d.host.trim(), port: numberOf(d.port), database: d.database.trim(), username: d.username.trim(), ...baseInput(d) }),
  mongo: (d) =>
    withoutUndefined({
      hosts: d.hosts.trim(),
      srv: d.srv,
      username: optional(d.username),
      authSource: optional(d.authSource),
      replicaSet: optional(d.replicaSet),
      databases: withoutUndefined({ customer: optional(d.customerDatabase), shared: optional(d.sharedDatabase), admin: optional(d.adminDatabase) }),
      ...baseInput(d),
    }),
  redis: (d) => withoutUndefined({ host: d.host.trim(), port: numberOf(d.port), db: numberOf(d.db), username: optional(d.username), ...baseInput(d) }),
  elastic: (d) => withoutUndefined({ node: d.node.trim(), username: optional(d.username), ...baseInput(d) }),
};

/** One store's endpoint as the contract takes it; optional text left empty is left out. */
export function endpointInput<K extends StoreKind>(kind: K, draft: EndpointDrafts[K]): EndpointInput<K> {
  const build = endpointBuilders[kind] as (draft: EndpointDrafts[K]) => EndpointInput<K>;
  return build(draft);
}

/** What "Save" sends: only the stores the person switched on. */
export function draftToInput(draft: WorkspaceDraft): WorkspaceInput {
  const endpoints: EndpointInputs = {};
  if (draft.endpoints.postgres.enabled) endpoints.postgres = endpointInput('postgres', draft.endpoints.postgres);
  if (draft.endpoints.mongo.enabled) endpoints.mongo = endpointInput('mongo', draft.endpoints.mongo);
  if (draft.endpoints.redis.enabled) endpoints.redis = endpointInput('redis', draft.endpoints.redis);
  if (draft.endpoints.elastic.enabled) endpoints.elastic = endpointInput('elastic', draft.endpoints.elastic);
  return { name: draft.name.trim(), environment: draft.environment, preset: draft.preset, endpoints };
}

/** The workspace as the "As JSON" tab shows it: settings only, never a secret or a typed password. */
export function draftToDisplayJson(draft: WorkspaceDraft, stored?: Pick<WorkspaceView, 'id' | 'createdAt' | 'updatedAt'>): string {
  const input = draftToInput(draft);
  const endpoints = Object.fromEntries(
    Object.entries(input.endpoints).map(([kind, endpoint]) => {
      const { password: _password, ...rest } = endpoint as { password?: unknown };
      const hasPassword = draft.endpoints[kind as StoreKind].password.mode === 'set' || (draft.endpoints[kind as StoreKind].hasStoredPassword && draft.endpoints[kind as StoreKind].password.mode === 'keep');
      return [kind, { ...rest, hasPassword }];
    }),
  );
  const identity = stored ? { id: stored.id } : {};
  const times = stored ? { createdAt: stored.createdAt, updatedAt: stored.updatedAt } : {};
  return JSON.stringify({ ...identity, ...input, endpoints, ...times }, (_key, value: unknown) => (typeof value === 'number' && Number.isNaN(value) ? null : value), 2);
}

/** The parts of an endpoint a connection URI can carry; every field is optional. */
export interface UriEndpointFields {
  host?: string;
  port?: number;
  database?: string;
  username?: string;
  hosts?: string;
  srv?: boolean;
  authSource?: string;
  replicaSet?: string;
  databases?: { customer?: string; shared?: string; admin?: string };
  db?: number;
  node?: string;
  tls?: { enabled?: boolean; rejectUnauthorized?: boolean; caFile?: string; certFile?: string; keyFile?: string; servername?: string };
}

/**
 * The draft fields a pasted URI fills: what the URI names replaces what was typed, what it does
 * not name stays. A password in the URI becomes a typed password, headed for the vault.
 */
export function draftPatchFromUri<K extends StoreKind>(current: EndpointDrafts[K], endpoint: UriEndpointFields, password?: string): Partial<EndpointDrafts[K]> {
  const patch: Record<string, unknown> = {};
  const copy = ['host', 'port', 'database', 'username', 'hosts', 'srv', 'authSource', 'replicaSet', 'db', 'node'] as const;
  for (const key of copy) {
    if (endpoint[key] !== undefined && key in current) patch[key] = endpoint[key];
  }
  if (endpoint.databases && 'customerDatabase' in current) {
    if (endpoint.databases.customer !== undefined) patch.customerDatabase = endpoint.databases.customer;
    if (endpoint.databases.shared !== undefined) patch.sharedDatabase = endpoint.databases.shared;
    if (endpoint.databases.admin !== undefined) patch.adminDatabase = endpoint.databases.admin;
  }
  if (endpoint.tls) {
    const tls = endpoint.tls;
    patch.tls = {
      ...current.tls,
      ...(tls.enabled !== undefined && { enabled: tls.enabled }),
      ...(tls.rejectUnauthorized !== undefined && { rejectUnauthorized: tls.rejectUnauthorized }),
      ...(tls.caFile !== undefined && { caFile: tls.caFile }),
      ...(tls.certFile !== undefined && { certFile: tls.certFile }),
      ...(tls.keyFile !== undefined && { keyFile: tls.keyFile }),
      ...(tls.servername !== undefined && { servername: tls.servername }),
    };
  }
  if (password !== undefined && password !== '') patch.password = { mode: 'set', value: password };
  return patch as Partial<EndpointDrafts[K]>;
}
