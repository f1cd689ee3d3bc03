import { describe, expect, it } from 'vitest';
import { MIN_PASSPHRASE_LENGTH, passphraseStrength } from './strength';

describe('passphrase strength', () => {
  it('calls anything under the minimum too short, whatever it is made of', () => {
    const short = 'A1!b'.padEnd(MIN_PASSPHRASE_LENGTH - 1, 'z');
    expect(passphraseStrength(short).level).toBe('too-short');
    expect(passphraseStrength(short).hint).toContain(String(MIN_PASSPHRASE_LENGTH));
  });

  it('rates repeated and sequential characters as weak even at the minimum length', () => {
    expect(passphraseStrength('aaaaaaaa').level).toBe('weak');
    expect(passphraseStrength('abcdefgh').level).toBe('weak');
    expect(passphraseStrength('12345678').level).toBe('weak');
  });

  it('rates a few random words as strong and grows with length', () => {
    expect(passphraseStrength('correct horse battery staple').level).toBe('strong');
    expect(passphraseStrength('tulip-river').level).toBe('fair');
    const levels = ['tulipriv', 'tulip-river', 'tulip-river-copper-7'].map((p) => passphraseStrength(p).score);
    expect(levels).toEqual([...levels].sort((a, b) => a - b));
    expect(new Set(levels).size).toBe(3);
  });
});
