import type { MaskCategory } from './rules';

/** The character masked forms are made of, so a reader (and the UI) can tell a masked value at a glance. */
export const MASK = '••••';

const lastChars = (text: string, count: number): string => text.slice(-count);

function maskEmail(text: string): string {
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return MASK;
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${local[0]}***@${domain[0]}***${tld}`;
}

function maskDigitsKeepingLast(text: string, keep: number, minimum: number): string {
  const digits = text.replace(/[^0-9A-Za-z]/g, '');
  return digits.length >= minimum ? `${MASK}${lastChars(digits, keep)}` : MASK;
}

/** Keeps the algorithm and cost of a password hash (how it was made), never the salt or digest. */
function maskPasswordHash(text: string): string {
  const modular = /^(\$[a-z0-9-]+\$(?:v=\d+\$)?(?:[0-9]{2}\$|[a-z]=\d+(?:,[a-z]=\d+)*\$)?)/i.exec(text);
  if (modular?.[1] && text.startsWith('$')) return `${modular[1]}${MASK}`;
  const scheme = /^([a-z0-9_]+)\$/i.exec(text);
  if (scheme?.[1]) return `${scheme[1]}$${MASK}`;
  return MASK;
}

/**
 * The masked form of one value: replaced entirely, keeping only a hint of its shape that says
 * nothing usable (`j***@e***.com`, `••••1234`, `$2b$12$••••`). `null` and `undefined` stay as they
 * are: that a field is empty is not a secret.
 */
export function maskValue(category: MaskCategory, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value !== 'string') {
    if (category === 'date_of_birth' && value instanceof Date) return '••••-••-••';
    return MASK;
  }
  if (value.length === 0) return value;
  switch (category) {
    case 'personal_email':
      return maskEmail(value);
    case 'phone':
      return maskDigitsKeepingLast(value, 4, 7);
    case 'tax_id':
      return maskDigitsKeepingLast(value, 4, 8);
    case 'date_of_birth':
      return value.replace(/[0-9]/g, '•');
    case 'password_hash':
      return maskPasswordHash(value);
    case 'token':
    case 'secret':
      return value.length >= 16 ? `${MASK}${lastChars(value, 4)}` : MASK;
    case 'session':
      return MASK;
  }
}
