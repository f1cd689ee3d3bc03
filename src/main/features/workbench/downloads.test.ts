import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DOWNLOAD_TTL_MS, Downloads, type PendingDownload } from './downloads';

const pending: PendingDownload = { fileName: 'x.csv', contentType: 'text/csv', open: async () => [Readable.from([])] };

describe('Downloads', () => {
  it('hands a download over once, at an address that names only its token', () => {
    const downloads = new Downloads();
    const { token, url } = downloads.offer(pending);
    expect(url).toBe(`/downloads/${token}`);
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(downloads.take(token)).toBe(pending);
    expect(downloads.take(token)).toBeUndefined();
    expect(downloads.take('not-a-token')).toBeUndefined();
  });

  it('forgets a download after a minute', () => {
    let now = 1_000;
    const downloads = new Downloads({ now: () => now });
    const early = downloads.offer(pending);
    const late = downloads.offer(pending);
    now += DOWNLOAD_TTL_MS - 1;
    expect(downloads.take(early.token)).toBe(pending);
    now += 1;
    expect(downloads.take(late.token)).toBeUndefined();
  });
});
