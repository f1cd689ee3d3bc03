import { AppError, type ErrorCode } from '@shared/errors';
import { classifyNetworkError, errorChain } from '../network-errors';

/** MongoDB server error codes (src/mongo/base/error_codes.yml) mapped to the stable codes. */
const BY_SERVER_CODE: Record<number, ErrorCode> = {
  18: 'auth_failed', // AuthenticationFailed
  13: 'forbidden', // Unauthorized
  50: 'timeout', // MaxTimeMSExpired
  11601: 'cancelled', // Interrupted (killOp)
  11600: 'unreachable', // InterruptedAtShutdown
  262: 'timeout', // ExceededTimeLimit
  11000: 'conflict', // DuplicateKey
  11001: 'conflict', // DuplicateKey (legacy)
  48: 'conflict', // NamespaceExists
  85: 'conflict', // IndexOptionsConflict
  86: 'conflict', // IndexKeySpecsConflict
  112: 'conflict', // WriteConflict
  26: 'not_found', // NamespaceNotFound
  27: 'not_found', // IndexNotFound
  59: 'not_found', // CommandNotFound
  2: 'invalid_argument', // BadValue
  9: 'invalid_argument', // FailedToParse
  14: 'invalid_argument', // TypeMismatch
  40324: 'invalid_argument', // unrecognised pipeline stage
  17124: 'invalid_argument',
  10107: 'read_only', // NotWritablePrimary
  13435: 'read_only', // NotPrimaryNoSecondaryOk
};

interface MongoLikeError {
  name: string;
  message: string;
  code?: number | string;
  codeName?: string;
}

function isMongoLike(error: unknown): error is MongoLikeError {
  return error instanceof Error && error.name.startsWith('Mongo');
}

/**
 * Turns anything the MongoDB driver throws into an AppError. Server selection failures wrap the
 * real reason (refused, auth, TLS) in their cause or topology description, so the chain is searched.
 */
export function toMongoError(error: unknown, server = 'MongoDB'): AppError {
  if (error instanceof AppError) return error;
  for (const link of errorChain(error)) {
    if (!isMongoLike(link)) continue;
    if (typeof link.code === 'number' && BY_SERVER_CODE[link.code]) {
      const code = BY_SERVER_CODE[link.code] ?? 'internal';
      const prefix = code === 'auth_failed' ? `${server} refused the credentials: ` : '';
      return new AppError(code, `${prefix}${link.message}`, { serverCode: link.code, codeName: link.codeName });
    }
    if (/Authentication failed|auth mechanism|SCRAM/i.test(link.message)) {
      return new AppError('auth_failed', `${server} refused the credentials: ${link.message}`);
    }
  }
  const network = classifyNetworkError(error, server);
  if (network) return network;
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (/ssl|tls|certificate/i.test(message)) {
    return new AppError('tls', `The TLS connection to ${server} failed: ${message}. Check the endpoint's TLS settings.`);
  }
  if (name === 'MongoNetworkTimeoutError' || name === 'MongoOperationTimeoutError') {
    return new AppError('timeout', `${server} did not answer in time: ${message}`);
  }
  if (name === 'MongoServerSelectionError' || name === 'MongoNetworkError' || name === 'MongoTopologyClosedError' || name === 'MongoNotConnectedError') {
    return new AppError('unreachable', `${server} is not reachable: ${message}`);
  }
  if (name === 'MongoParseError' || name === 'MongoInvalidArgumentError') {
    return new AppError('invalid_argument', `${server}: ${message}`);
  }
  return new AppError('internal', `${server}: ${message}`);
}
