/**
 * One connection attempt in flight: its answer, and how to tear its socket down early. Each
 * engine's probe returns one; `probeEndpoint` races it against the deadline.
 */
export interface ProbeAttempt {
  /** Resolves with the server version and the round trip of the version request. */
  result: Promise<{ serverVersion: string; latencyMs: number }>;
  /** Destroys the connection at once; the attempt's promise may then reject or never settle. */
  abort(): void;
}
