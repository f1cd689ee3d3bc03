/** A round trip as people read it: sub-millisecond times keep a decimal instead of showing "0 ms". */
export function formatLatency(ms: number): string {
  if (ms < 10) return `${(Math.round(ms * 10) / 10).toFixed(1)} ms`;
  return `${Math.round(ms)} ms`;
}

/** The version number alone ("15.18" of "15.18 (Debian 15.18-0+deb12u1)"), for tight places. */
export function shortVersion(version: string): string {
  return version.trim().split(/\s+/)[0] ?? version;
}
