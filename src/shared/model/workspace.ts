import { z } from 'zod';

/** The four kinds of store a platform keeps its data in. */
export const STORE_KINDS = ['postgres', 'mongo', 'redis', 'elastic'] as const;
export const StoreKind = z.enum(STORE_KINDS);
export type StoreKind = z.infer<typeof StoreKind>;

export const STORE_LABELS: Record<StoreKind, string> = {
  postgres: 'PostgreSQL',
  mongo: 'MongoDB',
  redis: 'Redis',
  elastic: 'Elasticsearch',
};

export const Environment = z.enum(['dev', 'staging', 'prod']);
export type Environment = z.infer<typeof Environment>;

const hostName = z
  .string()
  .trim()
  .min(1, 'host is required')
  .max(253)
  .regex(/^[A-Za-z0-9._:[\]-]+$/, 'host may hold letters, digits, dots, dashes, colons and brackets only');
const port = z.number().int().min(1).max(65535);
const userName = z.string().max(128).regex(/^[^\0]*$/, 'no NUL characters');
const databaseName = z
  .string()
  .trim()
  .min(1)
  .max(63)
  .regex(/^[^\0/\\. "$]+$/, 'a database name may not hold NUL, slashes, dots, spaces, quotes or $');
const filePath = z.string().max(4096).regex(/^[^\0]*$/, 'no NUL characters');

export const TlsOptions = z.object({
  enabled: z.boolean().default(false),
  /** Off only for self-signed servers in a lab; the UI warns when it is off. */
  rejectUnauthorized: z.boolean().default(true),
  caFile: filePath.optional(),
  certFile: filePath.optional(),
  keyFile: filePath.optional(),
  servername: z.string().max(253).optional(),
});
export type TlsOptions = z.infer<typeof TlsOptions>;

const endpointBase = {
  tls: TlsOptions.default({ enabled: false, rejectUnauthorized: true }),
  /** Connections the store may hold open at once. */
  poolSize: z.number().int().min(1).max(100).default(5),
};

export const PostgresEndpoint = z.object({
  host: hostName,
  port: port.default(5432),
  database: databaseName,
  username: userName.min(1, 'user is required'),
  ...endpointBase,
});

export const MongoEndpoint = z.object({
  /** Seed list, `host:port[,host:port…]`. */
  hosts: z
    .string()
    .trim()
    .min(1)
    .max(2048)
    .regex(/^[A-Za-z0-9._:[\]-]+(,[A-Za-z0-9._:[\]-]+)*$/, 'hosts is a comma-separated list of host:port'),
  /** `mongodb+srv` discovery instead of a seed list. */
  srv: z.boolean().default(false),
  username: userName.optional(),
  authSource: databaseName.optional(),
  replicaSet: z.string().max(128).regex(/^[A-Za-z0-9._-]*$/).optional(),
  /** Database names of the preset's customer, shared and admin databases, where it has them. */
  databases: z
    .object({ customer: databaseName.optional(), shared: databaseName.optional(), admin: databaseName.optional() })
    .default({}),
  ...endpointBase,
});

export const RedisEndpoint = z.object({
  host: hostName,
  port: port.default(6379),
  db: z.number().int().min(0).max(255).default(0),
  username: userName.optional(),
  ...endpointBase,
});

export const ElasticEndpoint = z.object({
  /** Base URL of one node, `https://host:9200`. */
  node: z
    .string()
    .trim()
    .max(2048)
    .regex(/^https?:\/\/[^\s/@]+(:\d+)?\/?$/, 'node is a URL like https://host:9200, without credentials'),
  username: userName.optional(),
  ...endpointBase,
});

export const EndpointSchemas = {
  postgres: PostgresEndpoint,
  mongo: MongoEndpoint,
  redis: RedisEndpoint,
  elastic: ElasticEndpoint,
} as const;

export type PostgresEndpoint = z.infer<typeof PostgresEndpoint>;
export type MongoEndpoint = z.infer<typeof MongoEndpoint>;
export type RedisEndpoint = z.infer<typeof RedisEndpoint>;
export type ElasticEndpoint = z.infer<typeof ElasticEndpoint>;
export interface EndpointByKind {
  postgres: PostgresEndpoint;
  mongo: MongoEndpoint;
  redis: RedisEndpoint;
  elastic: ElasticEndpoint;
}
export type StoreEndpoint = EndpointByKind[StoreKind];

/**
 * What the renderer sends for a secret: a new value, `null` to forget the stored one, or nothing
 * to keep what the vault holds. The renderer never receives a secret back.
 */
export const SecretInput = z.string().max(4096).nullable().optional();

// Generic over the shape, not the object type, so the extended schema keeps its field types.
const withSecret = <S extends z.ZodRawShape>(endpoint: z.ZodObject<S>) => endpoint.extend({ password: SecretInput });

export const EndpointInputs = {
  postgres: withSecret(PostgresEndpoint),
  mongo: withSecret(MongoEndpoint),
  redis: withSecret(RedisEndpoint),
  elastic: withSecret(ElasticEndpoint),
} as const;

const withHasPassword = <S extends z.ZodRawShape>(endpoint: z.ZodObject<S>) => endpoint.extend({ hasPassword: z.boolean() });

export const EndpointViews = {
  postgres: withHasPassword(PostgresEndpoint),
  mongo: withHasPassword(MongoEndpoint),
  redis: withHasPassword(RedisEndpoint),
  elastic: withHasPassword(ElasticEndpoint),
} as const;

export const WorkspaceId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a workspace id is lower-case letters, digits and dashes');

const workspaceName = z.string().trim().min(1, 'a name is required').max(80).regex(/^[^\0]*$/);
const presetName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'unknown tenancy preset');

/** What the workspace editor sends on create and update. */
export const WorkspaceInput = z.object({
  name: workspaceName,
  environment: Environment,
  preset: presetName,
  endpoints: z.object({
    postgres: EndpointInputs.postgres.optional(),
    mongo: EndpointInputs.mongo.optional(),
    redis: EndpointInputs.redis.optional(),
    elastic: EndpointInputs.elastic.optional(),
  }),
});
export type WorkspaceInput = z.input<typeof WorkspaceInput>;

/** A workspace as stored on disk, secrets excepted (they live in the vault). */
export const Workspace = z.object({
  id: WorkspaceId,
  name: workspaceName,
  environment: Environment,
  preset: presetName,
  endpoints: z.object({
    postgres: PostgresEndpoint.optional(),
    mongo: MongoEndpoint.optional(),
    redis: RedisEndpoint.optional(),
    elastic: ElasticEndpoint.optional(),
  }),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Workspace = z.infer<typeof Workspace>;

/** A workspace as the renderer sees it: `hasPassword` instead of any secret. */
export const WorkspaceView = Workspace.extend({
  endpoints: z.object({
    postgres: EndpointViews.postgres.optional(),
    mongo: EndpointViews.mongo.optional(),
    redis: EndpointViews.redis.optional(),
    elastic: EndpointViews.elastic.optional(),
  }),
});
export type WorkspaceView = z.infer<typeof WorkspaceView>;

/** The outcome of "Test connection": a failure is an answer too, with a stable code. */
export const ConnectionCheck = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), serverVersion: z.string(), latencyMs: z.number() }),
  z.object({
    ok: z.literal(false),
    code: z.enum(['unreachable', 'auth_failed', 'tls', 'timeout', 'invalid_argument', 'internal']),
    message: z.string(),
  }),
]);
export type ConnectionCheck = z.infer<typeof ConnectionCheck>;

/**
 * `unavailable`: the workspace wants the store but it cannot run or be reached here yet (the demo's
 * own server is starting, could not be downloaded or started); the reason says why and the fix.
 * `not_configured`: the workspace has no endpoint for the store at all.
 */
export const StoreState = z.enum(['connected', 'degraded', 'down', 'unavailable', 'not_configured']);
export type StoreState = z.infer<typeof StoreState>;

/** One store of a workspace as the status bar shows it. */
export const StoreStatus = z.object({
  store: StoreKind,
  state: StoreState,
  serverVersion: z.string().optional(),
  latencyMs: z.number().optional(),
  reason: z.string().optional(),
  checkedAt: z.string(),
});
export type StoreStatus = z.infer<typeof StoreStatus>;
