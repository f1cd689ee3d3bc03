import { AppError } from '@shared/errors';
import type { RedisKeyFamily } from '@shared/tenancy';

/** A blueprint glob (`*`, `?`, `\x`) as a whole-string regular expression. */
function globRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '\\' && i + 1 < glob.length) source += (glob[++i] as string).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else if (c === '*') source += '[\\s\\S]*';
    else if (c === '?') source += '[\\s\\S]';
    else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

const literalLength = (glob: string): number => glob.replace(/[*?]/g, '').length;

/**
 * Whether the part of a key after its tenant prefix belongs to `family` and to no more specific
 * family of the blueprint: `case:*` takes `case:42` but leaves `case:42:viewers` to `case_viewers`,
 * as the namespace map counts them. A key SCAN's MATCH let through is checked again here.
 */
export function familyTest(families: readonly RedisKeyFamily[], family: string): (rest: string) => boolean {
  const target = families.find((f) => f.name === family);
  if (!target) throw new AppError('not_found', `The blueprint has no Redis key family ${JSON.stringify(family)}; it has ${families.map((f) => f.name).join(', ')}.`);
  const own = globRegExp(target.glob);
  const weight = literalLength(target.glob);
  const closer = families.filter((f) => f !== target && literalLength(f.glob) > weight).map((f) => globRegExp(f.glob));
  return (rest) => own.test(rest) && !closer.some((regex) => regex.test(rest));
}
