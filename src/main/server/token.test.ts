import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { newToken, offeredToken, tokenCookie, tokenCookieName, tokensEqual } from './token';

const request = (headers: Record<string, string>): IncomingMessage => ({ headers }) as unknown as IncomingMessage;

describe('launch token', () => {
  it('is 32 random bytes in base64url, different on each launch', () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(newToken()).not.toBe(a);
  });

  it('compares equal only for the same token, whatever the lengths', () => {
    const token = newToken();
    expect(tokensEqual(token, token)).toBe(true);
    expect(tokensEqual(token, token.slice(0, -1))).toBe(false);
    expect(tokensEqual(token, token + 'x')).toBe(false);
    expect(tokensEqual(token, '')).toBe(false);
    expect(tokensEqual(token, undefined)).toBe(false);
  });

  it('is read from the query, then a bearer header, then this port’s cookie', () => {
    const url = (q = '') => new URL(`http://127.0.0.1:5000/${q}`);
    expect(offeredToken(request({}), url('?token=q'), 5000)).toBe('q');
    expect(offeredToken(request({ authorization: 'Bearer b' }), url(), 5000)).toBe('b');
    expect(offeredToken(request({ cookie: `other=1; ${tokenCookieName(5000)}=c` }), url(), 5000)).toBe('c');
    expect(offeredToken(request({ cookie: `${tokenCookieName(5001)}=c` }), url(), 5000)).toBeUndefined();
    expect(offeredToken(request({}), url(), 5000)).toBeUndefined();
  });

  it('is stored in an HttpOnly, SameSite=Strict cookie for the whole site', () => {
    const cookie = tokenCookie(5000, 'T');
    expect(cookie).toMatch(/^tenantscope_token_5000=T;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
  });
});
