import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { resolveDataDir } from './launch';

const userData = () => '/home/op/.config/Tenantscope';

describe('data directory', () => {
  it('prefers --data-dir in either form, made absolute', () => {
    expect(resolveDataDir(['electron', '.', '--data-dir', '/srv/ts'], { TENANTSCOPE_DATA_DIR: '/env' }, userData)).toBe('/srv/ts');
    expect(resolveDataDir(['app', '--data-dir=rel/dir'], {}, userData)).toBe(resolve('rel/dir'));
  });

  it('falls back to TENANTSCOPE_DATA_DIR, then the user data folder', () => {
    expect(resolveDataDir(['app'], { TENANTSCOPE_DATA_DIR: '/env/dir' }, userData)).toBe('/env/dir');
    expect(resolveDataDir(['app'], { TENANTSCOPE_DATA_DIR: '  ' }, userData)).toBe('/home/op/.config/Tenantscope');
    expect(resolveDataDir(['app', '--data-dir'], {}, userData)).toBe('/home/op/.config/Tenantscope');
    expect(resolveDataDir(['app', '--data-dir', '--other'], {}, userData)).toBe('/home/op/.config/Tenantscope');
  });
});
