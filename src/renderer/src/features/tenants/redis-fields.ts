import { maskRecordDetailed } from '@shared/masking';
import { presets } from '@shared/tenancy';

/** What the main process calls a key that matches none of the preset's families. */
const OTHER_FAMILY = 'other';

function globMatches(glob: string, text: string): boolean {
  const source = glob
    .split('')
    .map((c) => (c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`).test(text);
}

/**
 * The key family of a tenant's key, named as the main process masks it (`session` for
 * `<tenant>:session:…`): the preset's glob with the most literal characters wins, so
 * `case:*:viewers` is not taken for `case:*`. Only names the field an unmask asks for; the main
 * process decides what is masked.
 */
export function keyFamilyOf(presetName: string | undefined, tenantId: string, key: string): string {
  const preset = presetName && Object.hasOwn(presets, presetName) ? presets[presetName] : undefined;
  const separator = preset?.layout.redis?.separator;
  if (!preset || !separator || !key.startsWith(tenantId + separator)) return OTHER_FAMILY;
  const rest = key.slice(tenantId.length + separator.length);
  const literal = (glob: string) => glob.replace(/[*?]/g, '').length;
  const families = [...(preset.blueprint.redis?.families ?? [])].sort((a, b) => literal(b.glob) - literal(a.glob));
  return families.find((family) => globMatches(family.glob, rest))?.name ?? OTHER_FAMILY;
}

/**
 * Whether the masking rules hide a field of a Redis family (a hash field, or `value` for the other
 * types) until a platform admin unmasks it: such a value shown in clear was unmasked.
 */
export function isMaskedRedisField(family: string, path: string): boolean {
  return maskRecordDetailed(`redis:${family}`, { [path]: 'probe' }, 'support').masked.length > 0;
}
