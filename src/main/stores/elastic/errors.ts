import type { errors } from '@elastic/elasticsearch';
import { AppError, type ErrorCode } from '@shared/errors';
import { classifyNetworkError } from '../network-errors';

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'auth_failed';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 429 || status === 502 || status === 503) return 'unreachable';
  if (status >= 400 && status < 500) return 'invalid_argument';
  return 'internal';
}

/** The `error.type` and `error.reason` Elasticsearch puts in a failed response body. */
function reasonOf(body: unknown): { type?: string; reason?: string } {
  if (typeof body !== 'object' || body === null || !('error' in body)) return {};
  const inner = (body as { error: unknown }).error;
  if (typeof inner === 'string') return { reason: inner };
  if (typeof inner !== 'object' || inner === null) return {};
  const { type, reason } = inner as { type?: unknown; reason?: unknown };
  return { type: typeof type === 'string' ? type : undefined, reason: typeof reason === 'string' ? reason : undefined };
}

/**
 * The transport's error classes, recognised by name: the client ships CommonJS and ESM builds,
 * and an error thrown by one is not an `instanceof` the other's class.
 */
function isKind<K extends keyof typeof errors>(error: unknown, kind: K): error is InstanceType<(typeof errors)[K]> {
  return error instanceof Error && error.name === kind;
}

/** Turns anything the Elasticsearch client throws into an AppError, by HTTP status or transport error kind. */
export function toElasticError(error: unknown, server = 'Elasticsearch'): AppError {
  if (error instanceof AppError) return error;
  if (isKind(error, 'ResponseError')) {
    const status = error.meta.statusCode ?? 0;
    const { type, reason } = reasonOf(error.meta.body);
    const code = codeForStatus(status);
    const text = reason ?? error.message;
    const prefix = code === 'auth_failed' ? `${server} refused the credentials: ` : '';
    return new AppError(code, `${prefix}${text}`, { status, ...(type ? { type } : {}) });
  }
  if (isKind(error, 'RequestAbortedError')) return new AppError('cancelled', `The ${server} request was cancelled.`);
  if (isKind(error, 'TimeoutError')) return new AppError('timeout', `${server} did not answer in time: ${error.message}`);
  const network = classifyNetworkError(error, server);
  if (network) return network;
  const message = error instanceof Error ? error.message : String(error);
  if (isKind(error, 'ConnectionError') || isKind(error, 'NoLivingConnectionsError')) {
    if (/ssl|tls|certificate/i.test(message)) {
      return new AppError('tls', `The TLS connection to ${server} failed: ${message}. Check the endpoint's TLS settings.`);
    }
    return new AppError('unreachable', `${server} is not reachable: ${message}`);
  }
  if (isKind(error, 'ProductNotSupportedError')) {
    return new AppError('version_mismatch', `The server is not an Elasticsearch this version of the client supports: ${message}`);
  }
  if (isKind(error, 'ConfigurationError')) return new AppError('invalid_argument', `${server}: ${message}`);
  return new AppError('internal', `${server}: ${message}`);
}
