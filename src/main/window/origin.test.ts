import { describe, expect, it } from 'vitest';
import { appOriginCheck, devServerUrlFrom } from './origin';

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

describe('dev server URL', () => {
  it('is taken from ELECTRON_RENDERER_URL in an unpackaged app, for a loopback http(s) server', () => {
    expect(devServerUrlFrom({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, false)).toBe('http://localhost:5173/');
    expect(devServerUrlFrom({ ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173/' }, false)).toBe('http://127.0.0.1:5173/');
  });

  it('is ignored in a packaged app, for remote hosts and other schemes', () => {
    expect(devServerUrlFrom({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, true)).toBeUndefined();
    expect(devServerUrlFrom({ ELECTRON_RENDERER_URL: 'https://evil.example/' }, false)).toBeUndefined();
    expect(devServerUrlFrom({ ELECTRON_RENDERER_URL: 'http://localhost.evil.example/' }, false)).toBeUndefined();
    expect(devServerUrlFrom({ ELECTRON_RENDERER_URL: 'file:///tmp/index.html' }, false)).toBeUndefined();
    expect(devServerUrlFrom({}, false)).toBeUndefined();
  });
});
