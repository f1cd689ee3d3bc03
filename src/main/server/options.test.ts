import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { parseWebModeArgs } from './options';

describe('web mode command line', () => {
  it('defaults to loopback, a free port, ~/.tenantscope and the demo platform', () => {
    expect(parseWebModeArgs([], {})).toEqual({
      host: '127.0.0.1',
      port: 0,
      dataDir: join(homedir(), '.tenantscope'),
      allowRemote: false,
      demo: true,
    });
  });

  it('starts without the demo platform with --no-demo', () => {
    expect(parseWebModeArgs(['--no-demo'], {}).demo).toBe(false);
  });

  it('takes the data dir from --data-dir before TENANTSCOPE_DATA_DIR', () => {
    expect(parseWebModeArgs([], { TENANTSCOPE_DATA_DIR: '/srv/ts' }).dataDir).toBe('/srv/ts');
    expect(parseWebModeArgs(['--data-dir', 'rel/dir'], { TENANTSCOPE_DATA_DIR: '/srv/ts' }).dataDir).toBe(resolve('rel/dir'));
  });

  it('reads --port, --host and --allow-remote', () => {
    expect(parseWebModeArgs(['--port', '8123', '--host', '0.0.0.0', '--allow-remote'], {})).toMatchObject({
      port: 8123,
      host: '0.0.0.0',
      allowRemote: true,
    });
    expect(parseWebModeArgs(['--port=9000'], {}).port).toBe(9000);
  });

  it.each([['abc'], ['-1'], ['70000'], ['1.5'], ['']])('refuses --port %j with invalid_argument', (port) => {
    expect(() => parseWebModeArgs(['--port', port], {})).toThrow(AppError);
    try {
      parseWebModeArgs(['--port', port], {});
    } catch (error) {
      expect(AppError.is(error, 'invalid_argument')).toBe(true);
      expect((error as Error).message).toContain('--port');
    }
  });

  it('refuses unknown options and stray words, showing the usage', () => {
    expect(() => parseWebModeArgs(['--prot', '80'], {})).toThrow(/Usage: npm run web/);
    expect(() => parseWebModeArgs(['serve'], {})).toThrow(/Usage: npm run web/);
  });
});
