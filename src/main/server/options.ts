import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '@shared/errors';

export interface WebModeOptions {
  host: string;
  port: number;
  dataDir: string;
  allowRemote: boolean;
  /** Run the embedded demo platform when no workspace is configured. */
  demo: boolean;
}

export const WEB_MODE_USAGE = `Usage: npm run web -- [--port P] [--host H] [--allow-remote] [--data-dir D]

  --port P         port to listen on (default: a free port)
  --host H         address to listen on (default: 127.0.0.1)
  --allow-remote   allow a non-loopback --host (anyone with the token can use the console)
  --data-dir D     where workspaces and the vault live
                   (default: $TENANTSCOPE_DATA_DIR, else ~/.tenantscope)
  --no-demo        with no workspace configured, start empty instead of
                   running the embedded demo platform`;

/** Reads web mode's command line; a mistake is an `invalid_argument` naming the option. */
export function parseWebModeArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): WebModeOptions {
  let values: { port?: string; host?: string; 'data-dir'?: string; 'allow-remote'?: boolean; 'no-demo'?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        'allow-remote': { type: 'boolean' },
        'no-demo': { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new AppError('invalid_argument', `${(error as Error).message}\n\n${WEB_MODE_USAGE}`);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535 || values.port?.trim() === '') {
    throw new AppError('invalid_argument', `--port must be a whole number from 0 to 65535, not ${JSON.stringify(values.port)}`);
  }
  const dataDir = values['data-dir'] || env.TENANTSCOPE_DATA_DIR || join(homedir(), '.tenantscope');
  return {
    host: values.host || '127.0.0.1',
    port,
    dataDir: resolve(dataDir),
    allowRemote: values['allow-remote'] ?? false,
    demo: !values['no-demo'],
  };
}
