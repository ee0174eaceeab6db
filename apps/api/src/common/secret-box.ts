import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';

/** Where the key is kept when `PODIUM_SECRET_KEY` is not set: beside the embedded database. */
export const KEY_FILE = 'secret.key';

/** `PODIUM_SECRET_KEY` as read: 32 bytes, written as 64 hex digits or base64; null if not. */
export function parseSecretKey(text: string): Buffer | null {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) return null;
  const key = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return key.length === 32 ? key : null;
}

/** A short, non-secret name of a key: tells "stored with another key" from a damaged value. */
function keyId(key: Buffer): string {
  return createHash('sha256').update('podium-secret-box').update(key).digest('hex').slice(0, 8);
}

/**
 * `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url parts): AES-256-GCM with a fresh 12-byte IV
 * per value; the tag refuses any value changed in the database.
 */
export function seal(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url'));
  return ['v1', keyId(key), ...parts].join('.');
}

/** Thrown when a stored value cannot be opened; its message never holds the value. */
export class SecretBoxError extends Error {}

export function open(key: Buffer, sealed: string): string {
  const [version, id, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || iv === undefined || tag === undefined || body === undefined) {
    throw new SecretBoxError('the stored secret is not in a format Podium knows');
  }
  if (id !== keyId(key)) {
    throw new SecretBoxError(
      'the stored secret was encrypted with another PODIUM_SECRET_KEY: set the key it was saved with, or save the secret again',
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(body, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new SecretBoxError(
      'the stored secret is damaged (its authentication tag does not match)',
    );
  }
}

/**
 * Encrypts the credentials Podium must keep in clear to call out (a CRM's access token). The key
 * is `PODIUM_SECRET_KEY`; without it, `<PODIUM_DATA_DIR>/secret.key`, created (mode 600) at the
 * first need, so `npm start` on a fresh clone works with no setup. Several processes, or a data
 * directory that is not kept, must set `PODIUM_SECRET_KEY` (the same in every process): a key
 * file of their own would not open each other's values. Read lazily: an install with no such
 * credential never needs a key.
 */
@Injectable()
export class SecretBox {
  private key: Buffer | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  seal(plaintext: string): string {
    return seal(this.currentKey(), plaintext);
  }

  open(sealed: string): string {
    return open(this.currentKey(), sealed);
  }

  /**
   * A key of its own for one purpose (`unsubscribe`: signing links), derived from the secret key,
   * so a signature made for one use is worth nothing for another and the key itself never signs.
   */
  derivedKey(purpose: string): Buffer {
    return createHmac('sha256', this.currentKey()).update(`podium:${purpose}`).digest();
  }

  private currentKey(): Buffer {
    if (this.key !== null) return this.key;
    const configured = this.config.secretKey ?? null;
    if (configured !== null) {
      const parsed = parseSecretKey(configured);
      if (parsed === null) throw new SecretBoxError('PODIUM_SECRET_KEY is not a 32-byte key');
      return (this.key = parsed);
    }
    const file = path.join(this.config.dataDir, KEY_FILE);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
      mkdirSync(this.config.dataDir, { recursive: true });
      // `wx`: of two processes creating it at once, the second reads the first one's key.
      try {
        writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
      } catch (raced) {
        if ((raced as { code?: string }).code !== 'EEXIST') throw raced;
      }
      text = readFileSync(file, 'utf8');
    }
    const parsed = parseSecretKey(text);
    if (parsed === null) throw new SecretBoxError(`${file} does not hold a 32-byte key`);
    return (this.key = parsed);
  }
}
