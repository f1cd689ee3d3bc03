import { describe, expect, it } from 'vitest';
import { localMongoFailure } from './mongo';

describe('why the demo’s own mongod is not there, in one line', () => {
  it('a failed download names the URL and the network error', () => {
    // The message mongodb-memory-server gives when it cannot reach the download host (recorded).
    const error = new Error('Download failed for url "https://fastdl.mongodb.org/linux/mongodb-linux-x86_64-debian12-8.2.6.tgz", Details:\ngetaddrinfo ENOTFOUND fastdl.mongodb.org');
    expect(localMongoFailure(error)).toBe(
      'mongod could not be downloaded from https://fastdl.mongodb.org/linux/mongodb-linux-x86_64-debian12-8.2.6.tgz (getaddrinfo ENOTFOUND fastdl.mongodb.org)',
    );
  });

  it('any other failure gives its first line, cut short', () => {
    expect(localMongoFailure(new Error('\n  Instance failed to start because a library is missing\n    at stack'))).toBe(
      'mongod could not be started: Instance failed to start because a library is missing',
    );
    const long = localMongoFailure(new Error('x'.repeat(1000)));
    expect(long.length).toBeLessThan(340);
    expect(long.endsWith('…')).toBe(true);
    expect(localMongoFailure('plain')).toBe('mongod could not be started: plain');
  });
});
