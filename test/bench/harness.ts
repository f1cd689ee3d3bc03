import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface CaseResult {
  name: string;
  iterations: number;
  minMs: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  meanMs: number;
  /**
   * Median CPU time (user + system) of this process per run. Client and server of the benchmarks
   * live in one process, so this is the work done on both ends, and it is far less disturbed than
   * wall time when other programs compete for the CPU.
   */
  cpuMedianMs?: number;
  /** Anything else worth keeping: payload sizes, rows per second… */
  extra?: Record<string, number | string>;
}

export interface BenchOptions {
  iterations: number;
  /** Runs first and is not counted: lets the JIT and caches settle. */
  warmup?: number;
  /**
   * Forces a collection before each sample (needs node --expose-gc), so the previous sample's
   * garbage is not collected inside this one. Worth it for big results; too slow for tiny calls.
   */
  collectGarbage?: boolean;
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

function quantile(sorted: number[], q: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export interface BenchCase {
  name: string;
  run: () => Promise<unknown>;
  extra?: Record<string, number | string>;
}

/**
 * Times several cases round-robin — one run of each per iteration, awaited one at a time — so a
 * burst of load from elsewhere on the machine hits every case alike and their ratios stay honest.
 */
export async function measureInterleaved(cases: BenchCase[], options: BenchOptions): Promise<CaseResult[]> {
  for (let i = 0; i < (options.warmup ?? 0); i++) for (const c of cases) await c.run();
  const collect = options.collectGarbage ? (globalThis as { gc?: () => void }).gc : undefined;
  const samples = cases.map((): number[] => []);
  const cpuSamples = cases.map((): number[] => []);
  for (let i = 0; i < options.iterations; i++) {
    for (const [index, c] of cases.entries()) {
      collect?.();
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      await c.run();
      samples[index]?.push(performance.now() - start);
      const cpu = process.cpuUsage(cpuStart);
      cpuSamples[index]?.push((cpu.user + cpu.system) / 1000);
    }
  }
  return cases.map((c, index) => summarize(c.name, samples[index] ?? [], c.extra, cpuSamples[index] ?? []));
}

/** Times one case on its own. */
export async function measure(
  name: string,
  run: () => Promise<unknown>,
  options: BenchOptions,
  extra?: Record<string, number | string>,
): Promise<CaseResult> {
  const [result] = await measureInterleaved([{ name, run, extra }], options);
  return result as CaseResult;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return sorted.length % 2 ? quantile(sorted, 0.5) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** min/median/p95/max/mean of wall-time samples (and the CPU median when CPU times were taken). */
export function summarize(name: string, samples: number[], extra?: Record<string, number | string>, cpuSamples: number[] = []): CaseResult {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    name,
    iterations: samples.length,
    minMs: round(sorted[0] ?? Number.NaN),
    medianMs: round(median(samples)),
    p95Ms: round(quantile(sorted, 0.95)),
    maxMs: round(sorted[sorted.length - 1] ?? Number.NaN),
    meanMs: round(samples.reduce((sum, s) => sum + s, 0) / samples.length),
    ...(cpuSamples.length > 0 ? { cpuMedianMs: round(median(cpuSamples)) } : {}),
    ...(extra ? { extra } : {}),
  };
}

export interface BenchReport {
  bench: string;
  at: string;
  machine: { node: string; platform: string; cpus: number };
  cases: CaseResult[];
  /** Derived figures, such as the ratio of two medians. */
  summary?: Record<string, number | string>;
}

export const RESULTS_DIR = join(import.meta.dirname, 'results');

/** Writes test/bench/results/<bench>.json, which scripts/bench.mjs reads back for its table. */
export async function writeReport(report: BenchReport): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${report.bench}.json`);
  await writeFile(path, JSON.stringify(report, null, 2) + '\n');
  return path;
}
