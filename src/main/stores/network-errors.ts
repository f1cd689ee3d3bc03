import { AppError } from '@shared/errors';

/** Node socket error codes that mean the server could not be reached at all. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ECONNRESET',
  'EPIPE',
  'ENETDOWN',
  'ECONNABORTED',
]);

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/** OpenSSL / Node TLS codes: a certificate or handshake problem, not a network one. */
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

function codeOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Walks `cause` (and AggregateError members) so a wrapped socket error is still recognised. */
export function* errorChain(error: unknown): Generator<unknown> {
  const seen = new Set<unknown>();
  const stack: unknown[] = [error];
  while (stack.length > 0) {
    const current = stack.shift();
    if (current === undefined || current === null || seen.has(current)) continue;
    seen.add(current);
    yield current;
    if (current instanceof AggregateError) stack.push(...current.errors);
    if (typeof current === 'object' && 'cause' in current) stack.push((current as { cause: unknown }).cause);
  }
}

/**
 * Recognises the failures every driver shares because they come from the socket: refused, DNS,
 * TLS, timed out. Returns undefined for anything else, so each engine can classify its own.
 */
export function classifyNetworkError(error: unknown, server: string): AppError | undefined {
  for (const link of errorChain(error)) {
    const code = codeOf(link);
    const message = messageOf(link);
    if (code && TLS_CODES.has(code)) {
      return new AppError('tls', `The TLS connection to ${server} failed (${code}): ${message}. Check the certificate settings of the endpoint.`);
    }
    if (code?.startsWith('ERR_SSL_') || code?.startsWith('ERR_TLS_') || /\b(ssl|tls)\b.*\b(not support|handshake|alert|certificate)/i.test(message)) {
      return new AppError('tls', `The TLS connection to ${server} failed: ${message}. Check the certificate settings of the endpoint.`);
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
      return new AppError('unreachable', `The host of ${server} could not be found (${code}). Check the host name.`);
    }
    if (code && UNREACHABLE_CODES.has(code)) {
      return new AppError('unreachable', `${server} could not be reached (${code}). Check that the server runs and the host and port are right.`);
    }
    if (code && TIMEOUT_CODES.has(code)) {
      return new AppError('timeout', `${server} did not answer in time (${code}).`);
    }
  }
  return undefined;
}
