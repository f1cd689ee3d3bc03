import { describe, expect, it } from 'vitest';
import { maskValue } from './mask-value';

describe('maskValue', () => {
  it.each([
    ['personal_email', 'john.doe@example.com', 'j***@e***.com'],
    ['personal_email', 'ana@mail.example.co.uk', 'a***@m***.uk'],
    ['personal_email', 'not-an-email', '••••'],
    ['phone', '+1 (555) 010-1234', '••••1234'],
    ['phone', '112', '••••'],
    ['tax_id', '12-3456789', '••••6789'],
    ['tax_id', 'AB12', '••••'],
    ['date_of_birth', '1985-03-12', '••••-••-••'],
    ['date_of_birth', '12/03/1985', '••/••/••••'],
    ['password_hash', '$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW', '$2b$12$••••'],
    ['password_hash', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g', '$argon2id$v=19$m=65536,t=3,p=4$••••'],
    ['password_hash', 'pbkdf2_sha256$600000$salt$digest', 'pbkdf2_sha256$••••'],
    ['password_hash', 'plaintext-oops', '••••'],
    ['token', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-abcd', '••••abcd'],
    ['secret', 'short', '••••'],
    ['session', 'anything at all', '••••'],
  ] as const)('masks a %s like %s as %s', (category, value, expected) => {
    expect(maskValue(category, value)).toBe(expected);
  });

  it('replaces non-string values whole and leaves empty ones as they are', () => {
    expect(maskValue('session', { user_id: 'u1', role: 'agent' })).toBe('••••');
    expect(maskValue('tax_id', 123456789)).toBe('••••');
    expect(maskValue('date_of_birth', new Date('1985-03-12'))).toBe('••••-••-••');
    expect(maskValue('token', null)).toBeNull();
    expect(maskValue('token', undefined)).toBeUndefined();
    expect(maskValue('secret', '')).toBe('');
  });
});
