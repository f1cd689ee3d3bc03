import { maskRecordDetailed } from '@shared/masking';

/**
 * Whether the masking rules hide a field of a Redis family (a hash field, or `value` for the other
 * types) until a platform admin unmasks it: such a value shown in clear was unmasked. The family is
 * the one the main process classified the key in, carried by the key list's row.
 */
export function isMaskedRedisField(family: string, path: string): boolean {
  return maskRecordDetailed(`redis:${family}`, { [path]: 'probe' }, 'support').masked.length > 0;
}

/** How an unmask names the credential inside a family's key names (`redis:session#<key>`). */
export function keyNameField(family: string): string {
  return `redis:${family}#<key>`;
}
