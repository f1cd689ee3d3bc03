import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '@shared/errors';
import { version } from '../../../package.json';
import { createConsole } from '../core/console';
import { guardProcess } from '../core/process-guard';
import { parseWebModeArgs, WEB_MODE_USAGE } from './options';
import { assertBindable, startWebServer } from './web-server';

/**
 * `node out/main/web.js`: Tenantscope without Electron. The built renderer sits next to this file
 * in out/renderer. Never imports electron, so it runs wherever Node does.
 */
async function main(): Promise<void> {
  guardProcess((line) => console.error(line));
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(WEB_MODE_USAGE);
    return;
  }
  const options = parseWebModeArgs(argv);
  // Before the core starts (and perhaps seeds the demo platform), so a refusal is immediate.
  assertBindable(options.host, options.allowRemote);
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const core = await createConsole({
    dataDir: options.dataDir,
    mode: 'web',
    version,
    demo: options.demo,
    log: (line) => console.log(line),
    env: { MONGO_URL: process.env.MONGO_URL, ES_URL: process.env.ES_URL },
  });
  // Each store's state has been logged above, in the words the status bar uses.
  if (core.demo) console.log(`Demo platform open as workspace "Demo" (${core.demo.workspaceId}).`);
  let server;
  try {
    server = await startWebServer({
      core,
      staticDir: join(dirname(fileURLToPath(import.meta.url)), '..', 'renderer'),
      host: options.host,
      port: options.port,
      allowRemote: options.allowRemote,
    });
  } catch (error) {
    await core.close();
    throw error;
  }
  console.log(`Tenantscope (web mode) is running at ${server.url}`);
  console.log(`Data directory: ${options.dataDir}. Press Ctrl+C to stop.`);

  // Libraries may listen for these signals too (an exit hook that stops what they started and
  // exits). Their handlers run only after the server and the core have closed, so shutdown happens
  // in order instead of racing.
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const deferred = new Map(signals.map((signal) => [signal, process.listeners(signal)]));
  for (const signal of signals) process.removeAllListeners(signal);

  let stopping = false;
  const stop = (signal: (typeof signals)[number]): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Tenantscope…`);
    server
      .close()
      .then(() => core.close())
      .then(
        () => {
          const others = deferred.get(signal) ?? [];
          if (others.length === 0) process.exit(128 + SIGNAL_NUMBERS[signal]);
          for (const listener of others) listener(signal);
        },
        (error: unknown) => {
          console.error('Tenantscope did not stop cleanly:', error);
          process.exit(1);
        },
      );
  };
  for (const signal of signals) process.on(signal, stop);
}

/** Exit codes follow the shell's convention for a signal: 128 + its number. */
const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15 } as const;

main().catch((error: unknown) => {
  if (error instanceof AppError) console.error(`Tenantscope could not start (${error.code}): ${error.message}`);
  else if (isAddressInUse(error)) console.error(`Tenantscope could not start: ${error.message} (choose another --port)`);
  else console.error('Tenantscope could not start:', error);
  process.exit(1);
});

function isAddressInUse(error: unknown): error is Error {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
}
