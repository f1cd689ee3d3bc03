import { describe, expect, it } from 'vitest';
import { cspDirectives, expectHardenedCsp } from '../../../test/support/csp';
import { contentSecurityPolicy } from './csp';

describe('the renderer CSP', () => {
  it('pins the directives that keep script injection out, with or without extra connect origins', () => {
    expectHardenedCsp(contentSecurityPolicy());
    expectHardenedCsp(contentSecurityPolicy({ connectOrigins: ['ws://127.0.0.1:4100'] }));
  });

  it('adds connect origins to connect-src only', () => {
    const plain = cspDirectives(contentSecurityPolicy());
    const withSocket = cspDirectives(contentSecurityPolicy({ connectOrigins: ['ws://127.0.0.1:4100'] }));
    expect(withSocket.find((d) => d.name === 'connect-src')?.sources).toEqual(["'self'", 'ws://127.0.0.1:4100']);
    expect(withSocket.filter((d) => d.name !== 'connect-src')).toEqual(plain.filter((d) => d.name !== 'connect-src'));
  });

  it('catches a weakened policy', () => {
    const weakened = [
      "default-src 'none'; script-src 'self' 'unsafe-eval'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'",
      "default-src 'none'; script-src 'self' 'unsafe-inline'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'",
      "default-src 'none'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'",
      "default-src 'none'; script-src 'self'; object-src 'none'; base-uri 'none'",
      "default-src 'none'; script-src 'self'; object-src 'none'; frame-ancestors 'none'",
      "default-src 'none'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri *",
    ];
    for (const header of weakened) expect(() => expectHardenedCsp(header), header).toThrow();
  });
});
