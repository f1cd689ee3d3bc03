/**
 * Stable error codes. Every failure that crosses the contract carries one of these, so the
 * renderer (and scripts) can react to the kind of failure without parsing messages.
 */
export const ERROR_CODES = [
  'unreachable',
  'auth_failed',
  'tls',
  'timeout',
  'cancelled',
  'forbidden',
  'read_only',
  'not_found',
  'invalid_argument',
  'conflict',
  'tool_missing',
  'version_mismatch',
  'locked',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The wire form of an error: what the renderer receives. */
export interface SerializedError {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** An error with a stable code and a message a person can act on. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toJSON(): SerializedError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static is(value: unknown, code?: ErrorCode): value is AppError {
    return value instanceof AppError && (code === undefined || value.code === code);
  }

  /** Rebuilds an AppError on the receiving side of a transport. */
  static fromJSON(error: SerializedError): AppError {
    return new AppError(error.code, error.message, error.details);
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
