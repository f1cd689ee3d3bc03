#!/usr/bin/env node
// `npm run bench`: runs every test/bench/*.bench.ts one after another (never in parallel, so they
// do not compete for the CPU), each writing test/bench/results/<name>.json, then prints a table.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'test', 'bench');
const resultsDir = join(benchDir, 'results');
const only = process.argv.slice(2);

const benches = readdirSync(benchDir)
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => basename(file, '.bench.ts'))
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();
if (benches.length === 0) {
  console.error(`No benchmark found in ${benchDir}${only.length ? ` named ${only.join(', ')}` : ''}.`);
  process.exit(1);
}

const failed = [];
for (const name of benches) {
  const resultFile = join(resultsDir, `${name}.json`);
  rmSync(resultFile, { force: true });
  console.log(`\n▶ ${name}`);
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(benchDir, `${name}.bench.ts`)], {
    cwd: root,
    stdio: 'inherit',
    // The node tsconfig carries the @shared path alias the sources use.
    env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.node.json') },
  });
  if (run.status !== 0 || !existsSync(resultFile)) {
    failed.push(name);
    console.error(`✗ ${name} failed${run.status !== 0 ? ` (exit code ${run.status})` : ': it wrote no results'}`);
    continue;
  }
  printTable(JSON.parse(readFileSync(resultFile, 'utf8')));
}
if (failed.length > 0) {
  console.error(`\n${failed.length} benchmark(s) failed: ${failed.join(', ')}`);
  process.exit(1);
}

function printTable(report) {
  const header = ['case', 'n', 'min ms', 'median ms', 'p95 ms', 'max ms', 'cpu median ms'];
  const rows = report.cases.map((c) => [
    c.name,
    String(c.iterations),
    fixed(c.minMs),
    fixed(c.medianMs),
    fixed(c.p95Ms),
    fixed(c.maxMs),
    c.cpuMedianMs === undefined ? '-' : fixed(c.cpuMedianMs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  console.log(`\n${report.bench} (${report.machine.node}, ${report.machine.cpus} CPUs)`);
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  for (const [key, value] of Object.entries(report.summary ?? {})) console.log(`  ${key}: ${value}`);
}

function fixed(ms) {
  return ms.toFixed(ms < 10 ? 3 : 1);
}
