import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { KEY_REF_PATTERN, KeyRefs } from './key-ref';

const KEY = '4b0f6c1e-2d7a-4c38-9a51-0e6f1d2c3b4a:session:8f14e45fceea167a5a36dedd4bea2543';

const refused = (open: () => unknown): void => {
  expect(open).toThrow(AppError);
  try {
    open();
  } catch (error) {
    expect(AppError.is(error, 'invalid_argument')).toBe(true);
  }
};

/** Flips one bit of the sealed bytes at `index` (0 = first nonce byte, -1 = last tag byte). */
function flip(ref: string, index: number): string {
  const bytes = Buffer.from(ref.slice(3), 'base64url');
  const at = index < 0 ? bytes.length + index : index;
  bytes[at] = (bytes[at] as number) ^ 0x01;
  return `k1.${bytes.toString('base64url')}`;
}

describe('KeyRefs', () => {
  const refs = new KeyRefs();

  it('opens what it sealed: the same key name, for the same workspace', () => {
    const ref = refs.seal('murima-dev', KEY);
    expect(ref).toMatch(KEY_REF_PATTERN);
    expect(refs.open('murima-dev', ref)).toBe(KEY);
    const odd = 'tenant:other:ключ:\u{1F511}';
    expect(refs.open('murima-dev', refs.seal('murima-dev', odd))).toBe(odd);
  });

  it('hides the name: neither the session id nor the tenant shows in the ref', () => {
    const ref = refs.seal('murima-dev', KEY);
    expect(ref).not.toContain('8f14e45f');
    expect(Buffer.from(ref.slice(3), 'base64url').toString('latin1')).not.toContain('session');
  });

  it('gives one name the same ref every time in a process, and different names different refs', () => {
    expect(refs.seal('murima-dev', KEY)).toBe(refs.seal('murima-dev', KEY));
    expect(refs.seal('murima-dev', KEY)).not.toBe(refs.seal('murima-dev', `${KEY}0`));
    expect(refs.seal('murima-dev', KEY)).not.toBe(refs.seal('murima-prod', KEY));
  });

  it('refuses a ref with any byte changed: nonce, ciphertext or tag', () => {
    const ref = refs.seal('murima-dev', KEY);
    const length = Buffer.from(ref.slice(3), 'base64url').length;
    for (const index of [0, 11, 12, 20, length - 17, length - 16, -1]) refused(() => refs.open('murima-dev', flip(ref, index)));
  });

  it('refuses a ref cut short, lengthened, or not a ref at all', () => {
    const ref = refs.seal('murima-dev', KEY);
    refused(() => refs.open('murima-dev', ref.slice(0, -4)));
    refused(() => refs.open('murima-dev', `${ref}AAAA`));
    refused(() => refs.open('murima-dev', 'k1.'));
    refused(() => refs.open('murima-dev', 'k1.AAAA'));
    refused(() => refs.open('murima-dev', KEY));
    refused(() => refs.open('murima-dev', `k2.${ref.slice(3)}`));
    refused(() => refs.open('murima-dev', `k1.${'A'.repeat(30_000)}`));
  });

  it('refuses a ref of another workspace', () => {
    refused(() => refs.open('murima-prod', refs.seal('murima-dev', KEY)));
  });

  it('refuses a ref sealed by another process, whose secret it never saw', () => {
    const other = new KeyRefs();
    refused(() => refs.open('murima-dev', other.seal('murima-dev', KEY)));
    // The same secret is the same process, as far as refs go.
    const secret = randomBytes(64);
    expect(new KeyRefs(secret).open('murima-dev', new KeyRefs(Buffer.from(secret)).seal('murima-dev', KEY))).toBe(KEY);
  });

  it('will not start with a secret of the wrong size', () => {
    expect(() => new KeyRefs(randomBytes(32))).toThrow(/64 random bytes/);
  });
});
