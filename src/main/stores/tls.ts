import { readFile } from 'node:fs/promises';
import type { ConnectionOptions } from 'node:tls';
import { AppError } from '@shared/errors';
import type { TlsOptions } from '@shared/model/workspace';

async function readPem(path: string | undefined, what: string): Promise<Buffer | undefined> {
  if (!path) return undefined;
  try {
    return await readFile(path);
  } catch (error) {
    throw new AppError('invalid_argument', `The ${what} file ${path} could not be read: ${error instanceof Error ? error.message : String(error)}.`);
  }
}

/** Node TLS options for an endpoint, or undefined when TLS is off. Certificate files are read here. */
export async function tlsConnectionOptions(tls: TlsOptions | undefined): Promise<ConnectionOptions | undefined> {
  if (!tls?.enabled) return undefined;
  const [ca, cert, key] = await Promise.all([
    readPem(tls.caFile, 'CA certificate'),
    readPem(tls.certFile, 'client certificate'),
    readPem(tls.keyFile, 'client key'),
  ]);
  return {
    rejectUnauthorized: tls.rejectUnauthorized,
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(tls.servername ? { servername: tls.servername } : {}),
  };
}
