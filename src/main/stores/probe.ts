import { AppError } from '@shared/errors';
import type {
  ConnectionCheck,
  ElasticEndpoint,
  MongoEndpoint,
  PostgresEndpoint,
  RedisEndpoint,
  StoreEndpoint,
  StoreKind,
} from '@shared/model/workspace';
import { STORE_LABELS } from '@shared/model/workspace';
import { probeElastic } from './elastic/probe';
import { probeMongo } from './mongo/probe';
import { probePostgres } from './postgres/probe';
import { probeRedis } from './redis/probe';
import type { ProbeAttempt } from './probe-attempt';

export type { ProbeAttempt } from './probe-attempt';

export const DEFAULT_PROBE_TIMEOUT_MS = 5000;


export interface ProbeOptions {
  /** How long the whole attempt (connect, version, close) may take. Default 5000 ms. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

type CheckCode = Extract<ConnectionCheck, { ok: false }>['code'];
const CHECK_CODES: readonly CheckCode[] = ['unreachable', 'auth_failed', 'tls', 'timeout', 'invalid_argument', 'internal'];

function startAttempt(kind: StoreKind, endpoint: StoreEndpoint, password: string | undefined, timeoutMs: number): ProbeAttempt {
  switch (kind) {
    case 'postgres':
      return probePostgres(endpoint as PostgresEndpoint, password, timeoutMs);
    case 'redis':
      return probeRedis(endpoint as RedisEndpoint, password, timeoutMs);
    case 'mongo':
      return probeMongo(endpoint as MongoEndpoint, password, timeoutMs);
    case 'elastic':
      return probeElastic(endpoint as ElasticEndpoint, password, timeoutMs);
  }
}

function failure(code: CheckCode, message: string): ConnectionCheck {
  return { ok: false, code, message };
}

/**
 * "Test connection": connects once, reads the server version, measures the round trip of that
 * request and closes. Connection failures are answers, never exceptions: refused or unknown host
 * → `unreachable`, rejected credentials → `auth_failed`, certificate or handshake → `tls`, no
 * answer within `timeoutMs` → `timeout` (the socket is torn down). Only the caller's own signal
 * makes it throw, with an AppError `cancelled`.
 */
export async function probeEndpoint(
  kind: StoreKind,
  endpoint: StoreEndpoint,
  secret: { password?: string },
  options: ProbeOptions = {},
): Promise<ConnectionCheck> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const label = STORE_LABELS[kind];
  if (options.signal?.aborted) throw new AppError('cancelled', `The ${label} connection test was cancelled.`);
  let attempt: ProbeAttempt;
  try {
    attempt = startAttempt(kind, endpoint, secret.password, timeoutMs);
  } catch (error) {
    return asCheck(error, label);
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<'timeout' | 'cancelled'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
    onAbort = () => resolve('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const outcome = await Promise.race([attempt.result, stopped]);
    if (outcome === 'timeout') {
      attempt.abort();
      return failure('timeout', `${label} did not answer within ${timeoutMs} ms. Check the host, the port and any firewall in between.`);
    }
    if (outcome === 'cancelled') {
      attempt.abort();
      throw new AppError('cancelled', `The ${label} connection test was cancelled.`);
    }
    return { ok: true, serverVersion: outcome.serverVersion, latencyMs: outcome.latencyMs };
  } catch (error) {
    if (AppError.is(error, 'cancelled')) throw error;
    attempt.abort();
    return asCheck(error, label);
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
    attempt.result.catch(() => undefined);
  }
}

function asCheck(error: unknown, label: string): ConnectionCheck {
  if (error instanceof AppError) {
    const code = (CHECK_CODES as readonly string[]).includes(error.code) ? (error.code as CheckCode) : error.code === 'cancelled' ? 'timeout' : 'internal';
    return failure(code, error.message);
  }
  return failure('internal', `${label}: ${error instanceof Error ? error.message : String(error)}`);
}
