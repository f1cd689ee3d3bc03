#!/usr/bin/env node
// `npm start`: builds when needed, then runs the desktop app where Electron can launch, and web mode
// otherwise. `npm run web -- --port P --data-dir D` goes straight to web mode.
// TENANTSCOPE_SKIP_BUILD=1 runs whatever is in out/ (tests run it right after `npm run build`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

const args = process.argv.slice(2);
const webOnly = args.includes('--web');
const forwarded = args.filter((arg) => arg !== '--web');

const OUTPUTS = ['out/main/index.js', 'out/main/web.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
const INPUTS = ['src', 'electron.vite.config.ts', 'package.json', 'tsconfig.base.json'];
/** The first run of `require('electron')` may download the binary (about 100 MB). */
const RESOLVE_TIMEOUT_MS = 180_000;
const VERSION_TIMEOUT_MS = 5_000;

function newestChange(path) {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return /\.test\.tsx?$/.test(path) ? 0 : info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

function buildReason() {
  const missing = OUTPUTS.find((output) => !existsSync(join(root, output)));
  if (missing) return `${missing} is missing`;
  const built = Math.min(...OUTPUTS.map((output) => statSync(join(root, output)).mtimeMs));
  const changed = Math.max(...INPUTS.map((input) => newestChange(join(root, input))));
  return changed > built ? 'the sources changed since the last build' : undefined;
}

function build() {
  if (process.env.TENANTSCOPE_SKIP_BUILD === '1') return;
  const reason = buildReason();
  if (!reason) return;
  console.log(`Building Tenantscope (${reason})…`);
  const packageDir = dirname(require.resolve('electron-vite/package.json'));
  const { bin } = require('electron-vite/package.json');
  const cli = join(packageDir, typeof bin === 'string' ? bin : bin['electron-vite']);
  const result = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('The build failed; see the messages above.');
    process.exit(result.status ?? 1);
  }
}

/** The Electron binary's path and version, or why it cannot launch here. */
function findElectron() {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  }
  // require('electron') downloads the binary on first use; run it apart so a hang cannot stall us.
  const resolved = spawnSync(process.execPath, ['-e', "process.stdout.write('\\nELECTRON_PATH=' + require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: RESOLVE_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const path = /\nELECTRON_PATH=(.+)$/.exec(resolved.stdout ?? '')?.[1];
  if (resolved.status !== 0 || !path) {
    const why = /Electron failed to install correctly|fetch failed|ENOTFOUND|ETIMEDOUT/.exec(`${resolved.stderr}`)?.[0];
    return { reason: `the electron package has no binary and it could not be downloaded${why ? ` (${why})` : ''}` };
  }
  if (!existsSync(path)) return { reason: `the Electron binary is missing at ${path}` };
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const version = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: VERSION_TIMEOUT_MS, env });
  if (version.status !== 0) {
    const why = version.error?.message ?? (version.stderr || '').trim().split('\n')[0] ?? `exit code ${version.status}`;
    return { reason: `${path} --version did not run (${why})` };
  }
  return { path, version: version.stdout.trim(), env };
}

function run(command, commandArgs, env = process.env) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', env });
  // Ctrl+C reaches the child from the terminal too; a SIGTERM sent to this process alone must not orphan it.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  // A program that cannot be run at all says so in one line, not as an unhandled 'error' event.
  child.on('error', (error) => {
    console.error(`Tenantscope could not start ${command} (${error.code ?? 'error'}): ${error.message}`);
    process.exit(1);
  });
}

function startWeb() {
  run(process.execPath, [join(root, 'out/main/web.js'), ...forwarded]);
}

build();
if (webOnly) {
  console.log('Starting Tenantscope in web mode…');
  startWeb();
} else {
  const electron = findElectron();
  if (electron.path) {
    console.log(`Starting Tenantscope as the desktop app (Electron ${electron.version}). The app opens in its own window.`);
    run(electron.path, [root, ...forwarded], electron.env);
  } else {
    console.log(`The Electron binary is not available on this machine: ${electron.reason}.`);
    console.log('Starting Tenantscope in web mode instead; open the address below in a browser.');
    startWeb();
  }
}
