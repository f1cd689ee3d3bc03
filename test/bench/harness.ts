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
  /** Anything else worth keeping: payload sizes, rows per second… */
  extra?: Record<string, number | string>;
}

export interface BenchOptions {
  iterations: number;
  /** Runs first and is not counted: lets the JIT and caches settle. */
  warmup?: number;
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

function quantile(sorted: number[], q: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** Times `run` sequentially, one await at a time, and summarises the wall-clock durations. */
export async function measure(
  name: string,
  run: () => Promise<unknown>,
  options: BenchOptions,
  extra?: Record<string, number | string>,
): Promise<CaseResult> {
  for (let i = 0; i < (options.warmup ?? 0); i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < options.iterations; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted.length % 2 ? quantile(sorted, 0.5) : ((sorted[sorted.length / 2 - 1] ?? 0) + (sorted[sorted.length / 2] ?? 0)) / 2;
  return {
    name,
    iterations: samples.length,
    minMs: round(sorted[0] ?? Number.NaN),
    medianMs: round(median),
    p95Ms: round(quantile(sorted, 0.95)),
    maxMs: round(sorted[sorted.length - 1] ?? Number.NaN),
    meanMs: round(samples.reduce((sum, s) => sum + s, 0) / samples.length),
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
