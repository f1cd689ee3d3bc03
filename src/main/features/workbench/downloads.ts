import { randomBytes } from 'node:crypto';
import type { Readable, Transform } from 'node:stream';

/** How long a download address works after the export call answered. */
export const DOWNLOAD_TTL_MS = 60_000;
export const DOWNLOADS_PATH = '/downloads/';

/** An export waiting for the browser to fetch it: the run starts only when it is fetched. */
export interface PendingDownload {
  fileName: string;
  contentType: string;
  /** Opens the run and returns the stages that stream it; the signal fires when the response is gone. */
  open(signal: AbortSignal): Promise<[Readable, ...Transform[]]>;
}

/**
 * Web-mode exports: each is a one-time address `/downloads/<token>`, good for a minute, that the
 * web server streams behind the same token cookie, Host and Origin checks as everything else.
 * Taking a download forgets it, so an address cannot be fetched twice.
 */
export class Downloads {
  readonly #pending = new Map<string, { download: PendingDownload; expiresAt: number }>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { ttlMs?: number; now?: () => number } = {}) {
    this.#ttlMs = options.ttlMs ?? DOWNLOAD_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  offer(download: PendingDownload): { token: string; url: string } {
    this.#sweep();
    const token = randomBytes(24).toString('base64url');
    this.#pending.set(token, { download, expiresAt: this.#now() + this.#ttlMs });
    return { token, url: `${DOWNLOADS_PATH}${token}` };
  }

  /** The download for a token once; undefined when it is unknown, used or expired. */
  take(token: string): PendingDownload | undefined {
    this.#sweep();
    const found = this.#pending.get(token);
    this.#pending.delete(token);
    return found && found.expiresAt > this.#now() ? found.download : undefined;
  }

  #sweep(): void {
    const now = this.#now();
    for (const [token, { expiresAt }] of this.#pending) if (expiresAt <= now) this.#pending.delete(token);
  }
}
