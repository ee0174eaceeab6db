import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { AppConfig } from '../config/config.js';
import { KEY_FILE, open, parseSecretKey, seal, SecretBox, SecretBoxError } from './secret-box.js';

const key = randomBytes(32);
const config = (overrides: Partial<AppConfig>) =>
  ({ dataDir: '/nonexistent', ...overrides }) as AppConfig;

describe('secret box', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('opens what it sealed, with a fresh IV each time and no trace of the plaintext', () => {
    const first = seal(key, 'long-lived-token');
    const second = seal(key, 'long-lived-token');
    expect(first).not.toBe(second);
    expect(first).not.toContain('long-lived-token');
    expect(first).toMatch(/^v1\.[0-9a-f]{8}\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(open(key, first)).toBe('long-lived-token');
    expect(open(key, second)).toBe('long-lived-token');
  });

  it('refuses a changed value, and names another key as the cause', () => {
    const sealed = seal(key, 'long-lived-token');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[4] as string, 'base64url');
    body[0] = (body[0] as number) ^ 1;
    const tampered = [...parts.slice(0, 4), body.toString('base64url')].join('.');
    expect(() => open(key, tampered)).toThrow(
      new SecretBoxError('the stored secret is damaged (its authentication tag does not match)'),
    );
    expect(() => open(randomBytes(32), sealed)).toThrow(/another PODIUM_SECRET_KEY/);
    expect(() => open(key, 'plain text')).toThrow(SecretBoxError);
  });

  it('reads a key as 64 hex digits or base64 of 32 bytes, nothing else', () => {
    expect(parseSecretKey(key.toString('hex'))).toEqual(key);
    expect(parseSecretKey(key.toString('base64'))).toEqual(key);
    expect(parseSecretKey(key.toString('base64url'))).toEqual(key);
    expect(parseSecretKey('short')).toBeNull();
    expect(parseSecretKey(randomBytes(16).toString('hex'))).toBeNull();
    expect(parseSecretKey(randomBytes(31).toString('base64'))).toBeNull();
  });

  it('uses PODIUM_SECRET_KEY when set', () => {
    const box = new SecretBox(config({ secretKey: key.toString('hex') }));
    expect(open(key, box.seal('token'))).toBe('token');
  });

  it('without a key, creates one in the data directory (mode 600) and keeps using it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'podium-key-'));
    dirs.push(dir);
    const dataDir = path.join(dir, 'data');
    const sealed = new SecretBox(config({ dataDir, secretKey: null })).seal('token');
    const file = path.join(dataDir, KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = parseSecretKey(readFileSync(file, 'utf8'));
    expect(stored).not.toBeNull();
    expect(open(stored as Buffer, sealed)).toBe('token');
    // Another process on the same data directory opens it.
    expect(new SecretBox(config({ dataDir })).open(sealed)).toBe('token');
  });
});
