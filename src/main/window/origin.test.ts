import { describe, expect, it } from 'vitest';
import { appOriginCheck } from './origin';

describe('app origin check', () => {
  const packaged = appOriginCheck();

  it('accepts the app scheme and host only', () => {
    expect(packaged('app://tenantscope/index.html')).toBe(true);
    expect(packaged('app://tenantscope/assets/x.js?v=1#a')).toBe(true);
    for (const url of [
      'app://tenantscope.evil/index.html',
      'app://evil/index.html',
      'app://user@tenantscope/',
      'app://tenantscope:81/',
      'https://tenantscope/',
      'file:///tenantscope/index.html',
      'http://localhost:5173/',
      'about:blank',
      '',
      'garbage',
    ]) {
      expect(packaged(url), url).toBe(false);
    }
  });

  it('adds the dev server origin when given, and only http(s) dev servers', () => {
    const dev = appOriginCheck('http://localhost:5173/');
    expect(dev('http://localhost:5173/src/main.tsx')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(dev('app://tenantscope/index.html')).toBe(true);
    expect(appOriginCheck('javascript:alert(1)')('javascript:alert(1)')).toBe(false);
  });
});
