import { AppError } from '@shared/errors';
import { classifyNetworkError } from '../network-errors';

/**
 * Turns anything ioredis throws into an AppError. Redis replies carry their kind as the first
 * word (`WRONGPASS`, `NOAUTH`, `READONLY`…); ioredis's own errors are recognised by message.
 */
export function toRedisError(error: unknown, server = 'Redis'): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const kind = /^([A-Z]+)\b/.exec(message)?.[1];
  switch (kind) {
    case 'WRONGPASS':
    case 'NOAUTH':
      return new AppError('auth_failed', `${server} refused the credentials: ${message}`);
    case 'NOPERM':
      return new AppError('forbidden', `${server} refused the command for this user: ${message}`);
    case 'READONLY':
      return new AppError('read_only', `${server} is a read-only replica: ${message}`);
    case 'WRONGTYPE':
      return new AppError('invalid_argument', `${server}: ${message}`);
    case 'LOADING':
    case 'MASTERDOWN':
    case 'CLUSTERDOWN':
      return new AppError('unreachable', `${server} is not ready: ${message}`);
    case 'BUSY':
      return new AppError('locked', `${server} is busy running a script: ${message}`);
    case 'OOM':
      return new AppError('conflict', `${server} is out of memory: ${message}`);
    default:
      break;
  }
  if (/^ERR (unknown command|wrong number of arguments|syntax error|invalid)/i.test(message)) {
    return new AppError('invalid_argument', `${server}: ${message}`);
  }
  if (/AUTH.*(without any password configured|invalid (username|password))/i.test(message)) {
    return new AppError('auth_failed', `${server} refused the credentials: ${message}`);
  }
  const network = classifyNetworkError(error, server);
  if (network) return network;
  if (/Connection is closed|Stream isn't writeable|Reached the max retries|enableOfflineQueue|connect ETIMEDOUT|Socket closed/i.test(message)) {
    return new AppError('unreachable', `${server} is not reachable: ${message}`);
  }
  if (/Command timed out/i.test(message)) {
    return new AppError('timeout', `${server} did not answer in time: ${message}`);
  }
  return new AppError('internal', `${server}: ${message}`);
}
