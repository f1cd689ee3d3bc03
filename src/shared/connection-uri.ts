import { z } from 'zod';
import { AppError } from './errors';
import { EndpointSchemas, type EndpointByKind, type StoreKind } from './model/workspace';

/**
 * A pasted connection URI, split: the endpoint the workspace stores and, apart from it, the
 * password, which the editor puts in its write-only field and the vault keeps on save.
 */
export type ParsedConnectionUri = {
  [K in StoreKind]: {
    store: K;
    endpoint: EndpointByKind[K];
    password?: string;
    /** Query options the URI carried that a workspace has no field for; the editor lists them. */
    ignoredOptions: string[];
  };
}[StoreKind];

const MAX_URI_LENGTH = 4096;

interface Authority {
  scheme: string;
  username?: string;
  password?: string;
  /** Each `host[:port]` of the authority, brackets of IPv6 literals removed. */
  hosts: { host: string; port?: number }[];
  path: string;
  params: Map<string, string>;
}

function bad(message: string): AppError {
  return new AppError('invalid_argument', `Not a usable connection URI: ${message}.`);
}

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw bad(`the ${what} holds a broken %-escape`);
  }
}

function parseHost(text: string): { host: string; port?: number } {
  let host: string;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0) throw bad('an IPv6 address is missing its closing ]');
    host = text.slice(1, end);
    const rest = text.slice(end + 1);
    if (rest !== '' && !rest.startsWith(':')) throw bad(`unexpected text after the IPv6 address ${text}`);
    portText = rest ? rest.slice(1) : undefined;
  } else {
    const colon = text.lastIndexOf(':');
    if (colon >= 0 && text.indexOf(':') !== colon) throw bad(`put an IPv6 address in brackets, like [${text}]`);
    host = colon >= 0 ? text.slice(0, colon) : text;
    portText = colon >= 0 ? text.slice(colon + 1) : undefined;
  }
  host = decode(host, 'host');
  if (!host) throw bad('a host is missing');
  if (portText === undefined || portText === '') return { host };
  if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
    throw bad(`the port ${JSON.stringify(portText.slice(0, 16))} is not a number from 1 to 65535`);
  }
  return { host, port: Number(portText) };
}

/** `scheme://[user[:password]@]host[:port][,host[:port]…][/path][?query][#fragment]`. */
function splitUri(uri: string): Authority {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#.*)?$/i.exec(uri);
  if (!match) throw bad('expected scheme://host, like postgres://user@host:5432/db');
  const [, scheme = '', authority = '', path = '', query = ''] = match;
  // The last @ ends the credentials: an unescaped @ in a password is common in pasted URIs.
  const at = authority.lastIndexOf('@');
  const credentials = at >= 0 ? authority.slice(0, at) : undefined;
  const hostList = at >= 0 ? authority.slice(at + 1) : authority;
  let username: string | undefined;
  let password: string | undefined;
  if (credentials !== undefined) {
    const colon = credentials.indexOf(':');
    username = decode(colon >= 0 ? credentials.slice(0, colon) : credentials, 'user name') || undefined;
    password = colon >= 0 ? decode(credentials.slice(colon + 1), 'password') : undefined;
  }
  if (!hostList) throw bad('a host is missing');
  const params = new Map<string, string>();
  for (const pair of query.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = decode((eq >= 0 ? pair.slice(0, eq) : pair).replace(/\+/g, ' '), 'query');
    const value = decode((eq >= 0 ? pair.slice(eq + 1) : '').replace(/\+/g, ' '), 'query');
    params.set(key, value);
  }
  return {
    scheme: scheme.toLowerCase(),
    username,
    password: password || undefined,
    hosts: hostList.split(',').map(parseHost),
    path: decode(path.replace(/^\/+/, ''), 'path'),
    params,
  };
}

function flag(params: Map<string, string>, name: string): boolean | undefined {
  const value = params.get(name);
  if (value === undefined) return undefined;
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  throw bad(`${name}=${JSON.stringify(value.slice(0, 32))} should be true or false`);
}

/** Runs the store's schema so the result is a valid endpoint, with its messages when it is not. */
function endpointOf<K extends StoreKind>(store: K, candidate: Record<string, unknown>): EndpointByKind[K] {
  const parsed = EndpointSchemas[store].safeParse(candidate);
  if (!parsed.success) throw bad(z.prettifyError(parsed.error).replace(/\s*\n\s*/g, '; '));
  return parsed.data as EndpointByKind[K];
}

function single(parts: Authority, label: string): { host: string; port?: number } {
  const [first, ...rest] = parts.hosts;
  if (!first || rest.length > 0) throw bad(`a ${label} workspace endpoint holds one host; keep one of ${parts.hosts.length}`);
  return first;
}

function leftover(params: Map<string, string>, used: readonly string[]): string[] {
  return [...params.keys()].filter((key) => !used.includes(key) && key !== 'password');
}

function parsePostgres(parts: Authority): ParsedConnectionUri {
  const { host, port } = single(parts, 'PostgreSQL');
  const p = parts.params;
  const username = p.get('user') || parts.username;
  if (!username) throw bad('PostgreSQL needs a user, like postgres://user@host/db');
  const sslmode = p.get('sslmode');
  const tls = { enabled: false, rejectUnauthorized: true } as Record<string, unknown>;
  if (sslmode !== undefined) {
    if (!['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'].includes(sslmode)) {
      throw bad(`sslmode=${JSON.stringify(sslmode.slice(0, 32))} is not a PostgreSQL sslmode`);
    }
    // require encrypts without checking the certificate; verify-* check it.
    tls.enabled = ['require', 'verify-ca', 'verify-full'].includes(sslmode);
    tls.rejectUnauthorized = sslmode !== 'require';
  }
  if (p.get('sslrootcert')) tls.caFile = p.get('sslrootcert');
  if (p.get('sslcert')) tls.certFile = p.get('sslcert');
  if (p.get('sslkey')) tls.keyFile = p.get('sslkey');
  const portParam = p.get('port');
  const endpoint = endpointOf('postgres', {
    host,
    port: portParam ? parseHost(`x:${portParam}`).port : port,
    database: p.get('dbname') || parts.path || username,
    username,
    tls,
  });
  const password = p.get('password') || parts.password;
  return {
    store: 'postgres',
    endpoint,
    ...(password ? { password } : {}),
    ignoredOptions: leftover(p, ['user', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'port', 'dbname']),
  };
}

function parseMongo(parts: Authority): ParsedConnectionUri {
  const srv = parts.scheme === 'mongodb+srv';
  if (srv) {
    const only = single(parts, 'mongodb+srv');
    if (only.port !== undefined) throw bad('a mongodb+srv URI names no port');
  }
  const p = parts.params;
  const tlsFlag = flag(p, 'tls') ?? flag(p, 'ssl');
  const insecure = flag(p, 'tlsInsecure') ?? flag(p, 'tlsAllowInvalidCertificates');
  const tls: Record<string, unknown> = { enabled: tlsFlag ?? srv, rejectUnauthorized: insecure === undefined ? true : !insecure };
  if (p.get('tlsCAFile')) tls.caFile = p.get('tlsCAFile');
  // The driver's certificate-key file holds both halves.
  if (p.get('tlsCertificateKeyFile')) tls.certFile = tls.keyFile = p.get('tlsCertificateKeyFile');
  const hosts = parts.hosts
    .map(({ host, port }) => `${host.includes(':') ? `[${host}]` : host}${port === undefined ? '' : `:${port}`}`)
    .join(',');
  const endpoint = endpointOf('mongo', {
    hosts,
    srv,
    username: parts.username,
    // Without authSource the driver authenticates against the database in the path.
    authSource: p.get('authSource') || parts.path || undefined,
    replicaSet: p.get('replicaSet') || undefined,
    tls,
  });
  return {
    store: 'mongo',
    endpoint,
    ...(parts.password ? { password: parts.password } : {}),
    ignoredOptions: leftover(p, ['tls', 'ssl', 'tlsInsecure', 'tlsAllowInvalidCertificates', 'tlsCAFile', 'tlsCertificateKeyFile', 'authSource', 'replicaSet']),
  };
}

function parseRedis(parts: Authority): ParsedConnectionUri {
  const { host, port } = single(parts, 'Redis');
  const p = parts.params;
  const dbText = parts.path || p.get('db') || '0';
  if (!/^\d{1,3}$/.test(dbText)) throw bad(`the Redis database ${JSON.stringify(dbText.slice(0, 32))} is not a number`);
  const endpoint = endpointOf('redis', {
    host,
    port,
    db: Number(dbText),
    username: parts.username,
    tls: { enabled: parts.scheme === 'rediss', rejectUnauthorized: true },
  });
  const password = parts.password || p.get('password');
  return { store: 'redis', endpoint, ...(password ? { password } : {}), ignoredOptions: leftover(p, ['db']) };
}

function parseElastic(parts: Authority): ParsedConnectionUri {
  const { host, port } = single(parts, 'Elasticsearch');
  if (parts.path) throw bad('an Elasticsearch node URL has no path; give the node itself, like https://host:9200');
  const bracketed = host.includes(':') ? `[${host}]` : host;
  const endpoint = endpointOf('elastic', {
    node: `${parts.scheme}://${bracketed}${port === undefined ? '' : `:${port}`}`,
    username: parts.username,
    tls: { enabled: parts.scheme === 'https', rejectUnauthorized: true },
  });
  return {
    store: 'elastic',
    endpoint,
    ...(parts.password ? { password: parts.password } : {}),
    ignoredOptions: leftover(parts.params, []),
  };
}

// A Map, so a scheme like `constructor` cannot reach Object.prototype.
const PARSERS = new Map<string, (parts: Authority) => ParsedConnectionUri>([
  ['postgres', parsePostgres],
  ['postgresql', parsePostgres],
  ['mongodb', parseMongo],
  ['mongodb+srv', parseMongo],
  ['redis', parseRedis],
  ['rediss', parseRedis],
  ['http', parseElastic],
  ['https', parseElastic],
]);

/**
 * Reads a pasted `postgres://`, `mongodb(+srv)://`, `redis(s)://` or `http(s)://` (Elasticsearch)
 * URI. The password comes back apart from the endpoint and never inside it; anything the URI says
 * that cannot be honoured is an `invalid_argument` that says what to change.
 */
export function parseConnectionUri(uri: string): ParsedConnectionUri {
  const text = uri.trim();
  if (!text) throw bad('it is empty');
  if (text.length > MAX_URI_LENGTH) throw bad(`it is longer than ${MAX_URI_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\u0000-\u001f\u007f\s]/.test(text)) throw bad('it holds spaces or control characters');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  const parser = scheme === undefined ? undefined : PARSERS.get(scheme);
  if (!parser) {
    throw bad(
      `${scheme ? `${JSON.stringify(scheme.slice(0, 32))} is not` : 'it has no'} a supported scheme ` +
        '(postgres, postgresql, mongodb, mongodb+srv, redis, rediss, http, https)',
    );
  }
  return parser(splitUri(text));
}
