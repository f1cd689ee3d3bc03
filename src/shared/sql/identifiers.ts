import { AppError } from '../errors';

/** PostgreSQL truncates longer names silently; refusing them keeps the name one meant. */
export const MAX_IDENTIFIER_BYTES = 63;

/**
 * Quotes a PostgreSQL identifier the way `quote_ident` / libpq's `PQescapeIdentifier` do: wrapped
 * in double quotes, inner double quotes doubled. NUL cannot be sent at all, and names longer than
 * 63 bytes would be truncated by the server, so both are refused.
 */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw new AppError('invalid_argument', 'An SQL identifier cannot be empty.');
  if (name.includes('\0')) throw new AppError('invalid_argument', 'An SQL identifier cannot hold a NUL character.');
  if (new TextEncoder().encode(name).length > MAX_IDENTIFIER_BYTES) {
    throw new AppError('invalid_argument', `An SQL identifier is at most ${MAX_IDENTIFIER_BYTES} bytes: ${name.slice(0, 40)}…`);
  }
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"schema"."name"` */
export function qualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}
