import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { AppError } from '@shared/errors';

/** Marks the format, so a ref of another scheme is told apart from a damaged one. */
const VERSION = 'k1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Bound on what is decoded at all: a key name is at most 4096 characters (up to 4 bytes each in UTF-8). */
const MAX_REF_CHARS = 24_000;

/** What a key ref looks like on the wire: `k1.` and base64url. */
export const KEY_REF_PATTERN = /^k1\.[A-Za-z0-9_-]+$/;

function invalid(): AppError {
  return new AppError(
    'invalid_argument',
    'This key reference was not issued by this console for this workspace, or it was altered. List the tenant’s keys again and open the key from the list.',
  );
}

/**
 * Opaque, unforgeable references to Redis key names whose names are credentials (a session id),
 * so the key list can hand the renderer something to open a key by without the name itself.
 *
 * Stateless: the ref is the key name sealed with AES-256-GCM under a secret drawn at random when
 * the console starts and never leaving the main process; the workspace id is bound in as
 * additional data, so a ref of one workspace does not open a key of another. The nonce is derived
 * from the name (HMAC-SHA256 under a second secret, the SIV construction), so one name always gets
 * the same ref in this process: rows keep their identity across pages and reloads, and a nonce is
 * only ever reused for the very same plaintext, which reveals nothing but that equality.
 * Refs die with the process; the list is read again after a restart.
 */
export class KeyRefs {
  readonly #encryptionKey: Buffer;
  readonly #nonceKey: Buffer;

  /** `secret` (64 bytes) is for tests; the console draws its own. */
  constructor(secret: Buffer = randomBytes(64)) {
    if (secret.length !== 64) throw new AppError('internal', 'A key ref secret is 64 random bytes.');
    this.#encryptionKey = Buffer.from(secret.subarray(0, 32));
    this.#nonceKey = Buffer.from(secret.subarray(32));
  }

  /** The ref for a key name of a workspace. */
  seal(workspaceId: string, key: string): string {
    const aad = additionalData(workspaceId);
    const plaintext = Buffer.from(key, 'utf8');
    const nonce = createHmac('sha256', this.#nonceKey).update(aad).update(plaintext).digest().subarray(0, NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#encryptionKey, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad);
    const sealed = Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return `${VERSION}.${sealed.toString('base64url')}`;
  }

  /** The key name behind a ref this process sealed for this workspace; `invalid_argument` for anything else. */
  open(workspaceId: string, ref: string): string {
    if (ref.length > MAX_REF_CHARS || !KEY_REF_PATTERN.test(ref)) throw invalid();
    const sealed = Buffer.from(ref.slice(VERSION.length + 1), 'base64url');
    if (sealed.length < NONCE_BYTES + TAG_BYTES + 1) throw invalid();
    const nonce = sealed.subarray(0, NONCE_BYTES);
    const tag = sealed.subarray(sealed.length - TAG_BYTES);
    const body = sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#encryptionKey, nonce, { authTagLength: TAG_BYTES });
      decipher.setAAD(additionalData(workspaceId));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      throw invalid();
    }
  }
}

function additionalData(workspaceId: string): Buffer {
  return Buffer.from(JSON.stringify(['tenantscope.redis-key-ref', VERSION, workspaceId]), 'utf8');
}
