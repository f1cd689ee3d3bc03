// The vault's own bound, from the contract: the screen and the main process cannot drift apart.
import { MIN_PASSPHRASE_LENGTH } from '@shared/contract/vault';

export { MIN_PASSPHRASE_LENGTH };

export type StrengthLevel = 'too-short' | 'weak' | 'fair' | 'strong';

export interface PassphraseStrength {
  level: StrengthLevel;
  /** 0–100, for a meter. */
  score: number;
  /** One sentence on what would make it stronger, or why it is fine. */
  hint: string;
}

// Guessing cost in bits is estimated from length and the kinds of characters used; a repeated or
// sequential run counts once, since guessers try those first. A rough guide, not a promise.
function estimatedBits(passphrase: string): number {
  let pool = 0;
  if (/[a-z]/.test(passphrase)) pool += 26;
  if (/[A-Z]/.test(passphrase)) pool += 26;
  if (/[0-9]/.test(passphrase)) pool += 10;
  if (/[^a-zA-Z0-9]/.test(passphrase)) pool += 33;
  let effective = 0;
  for (let i = 0; i < passphrase.length; i += 1) {
    const previous = passphrase.charCodeAt(i - 1);
    const current = passphrase.charCodeAt(i);
    const repeatsOrFollows = i > 0 && Math.abs(current - previous) <= 1;
    effective += repeatsOrFollows ? 0.25 : 1;
  }
  return effective * Math.log2(Math.max(pool, 1));
}

/** How hard a passphrase looks to guess, with a hint; shown while the person chooses one. */
export function passphraseStrength(passphrase: string): PassphraseStrength {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    return {
      level: 'too-short',
      score: Math.round((passphrase.length / MIN_PASSPHRASE_LENGTH) * 25),
      hint: `At least ${MIN_PASSPHRASE_LENGTH} characters.`,
    };
  }
  const bits = estimatedBits(passphrase);
  if (bits < 45) return { level: 'weak', score: 40, hint: 'Easy to guess: add words, or mix in digits and symbols.' };
  if (bits < 70) return { level: 'fair', score: 70, hint: 'Fair: another word or two would make it strong.' };
  return { level: 'strong', score: 100, hint: 'Strong.' };
}
