import { AppError } from '@shared/errors';
import type { StoreKind } from '@shared/model/workspace';

/**
 * Field errors keyed the way the editor names its fields: `name`, `preset`, `postgres.host`,
 * `mongo.databases.customer`, `redis.tls.caFile`.
 */
export type FieldErrors = Record<string, string>;

interface Issue {
  path: PropertyKey[];
  message: string;
}

function isIssue(value: unknown): value is Issue {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return Array.isArray(v.path) && typeof v.message === 'string';
}

/** The zod issues an `invalid_argument` error carries, or none. */
export function issuesOf(error: unknown): Issue[] {
  if (!AppError.is(error, 'invalid_argument')) return [];
  const details = error.details as { issues?: unknown } | undefined;
  return Array.isArray(details?.issues) ? details.issues.filter(isIssue) : [];
}

function fieldKey(path: PropertyKey[]): string {
  return path.map(String).join('.');
}

/**
 * Issues of `workspaces.create` / `update` (`workspace.endpoints.postgres.host`) or of
 * `testConnection` for one store (`target.endpoint.host`), mapped to the editor's field names.
 * The first issue of a field wins: it is the one to fix first.
 */
export function fieldErrorsFromError(error: unknown, store?: StoreKind): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issuesOf(error)) {
    const path = [...issue.path];
    let key: string | undefined;
    if (path[0] === 'workspace') {
      key = path[1] === 'endpoints' ? fieldKey(path.slice(2)) : fieldKey(path.slice(1));
    } else if (path[0] === 'target' && store) {
      key = path[1] === 'endpoint' ? `${store}.${fieldKey(path.slice(2))}` : store;
    }
    if (key && errors[key] === undefined) errors[key] = issue.message;
  }
  return errors;
}

/** Errors for one store's fields, with the store prefix removed. */
export function storeFieldErrors(errors: FieldErrors, store: StoreKind): FieldErrors {
  const prefix = `${store}.`;
  return Object.fromEntries(
    Object.entries(errors)
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, message]) => [key.slice(prefix.length), message]),
  );
}
