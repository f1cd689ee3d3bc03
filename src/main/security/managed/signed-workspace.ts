import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '@shared/errors';
import { canonicalJson } from '@shared/model/audit';
import { Role } from '@shared/model/session';
import { WorkspaceInput, WorkspaceId } from '@shared/model/workspace';
import type { ManagedInfo } from '@shared/model/operator';

export const MANAGED_FORMAT = 'tenantscope.managed-workspace';

/**
 * What a platform admin signs: the workspace's settings (never a password), the role its operator
 * works in, and the restrictions the console enforces. `id` is the admin's stable name for the
 * workspace, so importing a newer signed file replaces the older one.
 */
export const ManagedPayload = z
  .object({
    format: z.literal(MANAGED_FORMAT),
    version: z.literal(1),
    id: WorkspaceId,
    workspace: WorkspaceInput,
    operator: z.object({ role: Role, name: z.string().trim().min(1).max(200).optional(), email: z.string().trim().max(320).optional() }).strict(),
    restrictions: z
      .object({
        /** The workspace's settings (name, environment, endpoints) cannot be changed, only its passwords entered. */
        settingsLocked: z.boolean().default(true),
      })
      .strict()
      .default({ settingsLocked: true }),
    issuedBy: z.string().trim().min(1).max(200),
    issuedAt: z.string().datetime({ offset: true }),
  })
  .strict()
  .superRefine((payload, ctx) => {
    for (const [store, endpoint] of Object.entries(payload.workspace.endpoints)) {
      if (endpoint && endpoint.password !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['workspace', 'endpoints', store, 'password'], message: 'a signed workspace file never holds a password' });
      }
    }
  });
export type ManagedPayload = z.infer<typeof ManagedPayload>;

export const SignedWorkspaceFile = z
  .object({
    payload: z.unknown(),
    signature: z
      .object({
        algorithm: z.literal('ed25519'),
        /** SHA-256 of the signer's public key (SPKI DER), hex. */
        keyId: z.string().regex(/^[0-9a-f]{64}$/),
        /** Ed25519 over the UTF-8 canonical JSON of `payload`, base64. */
        value: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/),
      })
      .strict(),
  })
  .strict();
export type SignedWorkspaceFile = z.infer<typeof SignedWorkspaceFile>;

export interface TrustedKey {
  name: string;
  key: KeyObject;
  fingerprint: string;
}

export function keyFingerprint(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

export function generateSigningKeys(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function ed25519Public(pem: string, what: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new AppError('invalid_argument', `${what} is not a PEM public key.`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new AppError('invalid_argument', `${what} is a ${key.asymmetricKeyType ?? 'unknown'} key, not Ed25519.`);
  return key;
}

/** Signs a workspace payload (validated first) with a platform admin's Ed25519 private key. */
export function signWorkspace(payload: unknown, privatePem: string): SignedWorkspaceFile {
  const parsed = ManagedPayload.safeParse(payload);
  if (!parsed.success) throw new AppError('invalid_argument', `The workspace file is not valid: ${z.prettifyError(parsed.error)}`);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(privatePem);
  } catch {
    throw new AppError('invalid_argument', 'The signing key is not a PEM private key.');
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new AppError('invalid_argument', 'The signing key is not an Ed25519 key.');
  // The payload is signed as given (not with defaults filled in), so the file verifies byte for byte.
  const text = canonicalJson(payload);
  return {
    payload,
    signature: {
      algorithm: 'ed25519',
      keyId: keyFingerprint(createPublicKey(privateKey)),
      value: sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64'),
    },
  };
}

/** The trusted public keys: every `*.pem` in the directory. A key that cannot be read is named. */
export async function loadTrustedKeys(directory: string): Promise<TrustedKey[]> {
  let names: string[];
  try {
    names = (await readdir(directory)).filter((name) => name.endsWith('.pem')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const keys: TrustedKey[] = [];
  for (const name of names) {
    const key = ed25519Public(await readFile(join(directory, name), 'utf8'), `Trusted key ${name}`);
    keys.push({ name, key, fingerprint: keyFingerprint(key) });
  }
  return keys;
}

export function publicKeyFromPem(pem: string, name: string): TrustedKey {
  const key = ed25519Public(pem, name);
  return { name, key, fingerprint: keyFingerprint(key) };
}

export interface VerifiedWorkspace {
  payload: ManagedPayload;
  info: ManagedInfo;
}

/**
 * Checks a signed workspace file against trusted keys. Not JSON or not a workspace file:
 * `invalid_argument`. Unsigned, signed by a key not trusted here, or altered after signing: `forbidden`.
 */
export function verifyWorkspaceFile(fileText: string, trusted: readonly TrustedKey[]): VerifiedWorkspace {
  let raw: unknown;
  try {
    raw = JSON.parse(fileText);
  } catch {
    throw new AppError('invalid_argument', 'The workspace file is not JSON.');
  }
  if (typeof raw === 'object' && raw !== null && !('signature' in raw)) {
    throw new AppError('forbidden', 'The workspace file is not signed: a managed workspace must be signed by a platform admin (npm run workspace -- sign).');
  }
  const file = SignedWorkspaceFile.safeParse(raw);
  if (!file.success) throw new AppError('invalid_argument', `The file is not a signed workspace file: ${z.prettifyError(file.error)}`);
  const { payload, signature } = file.data;
  const signer = trusted.find((key) => key.fingerprint === signature.keyId);
  if (!signer) {
    throw new AppError(
      'forbidden',
      trusted.length === 0
        ? 'No trusted keys are installed: put the platform admin’s public key (.pem) in the trusted-keys folder of the data directory.'
        : `The file is signed by key ${signature.keyId.slice(0, 16)}…, which is not among the trusted keys.`,
    );
  }
  let text: string;
  try {
    text = canonicalJson(payload);
  } catch {
    throw new AppError('invalid_argument', 'The workspace file holds values JSON cannot sign.');
  }
  if (!verify(null, Buffer.from(text, 'utf8'), signer.key, Buffer.from(signature.value, 'base64'))) {
    throw new AppError('forbidden', `The workspace file was changed after it was signed (the signature of key ${signer.name} does not match); ask the platform admin for a fresh file.`);
  }
  const parsed = ManagedPayload.safeParse(payload);
  if (!parsed.success) throw new AppError('invalid_argument', `The signed workspace is not valid: ${z.prettifyError(parsed.error)}`);
  return {
    payload: parsed.data,
    info: { keyFingerprint: signer.fingerprint, keyName: signer.name, issuedBy: parsed.data.issuedBy, issuedAt: parsed.data.issuedAt },
  };
}
