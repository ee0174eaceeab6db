import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { hash, verify, type Algorithm } from '@node-rs/argon2';

/**
 * Argon2id at OWASP's first recommended setting (19 MiB, 2 passes, 1 lane): memory-hard, and about
 * 30 ms per hash on this kind of machine, off the event loop (the binding uses libuv's pool).
 */
const OPTIONS = {
  // Algorithm.Argon2id: the enum is an ambient const enum, which isolated modules cannot read.
  algorithm: 2 as Algorithm,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

@Injectable()
export class PasswordHasher {
  /** A hash of nothing anyone knows, verified against when the e-mail is unknown. */
  private readonly decoy: Promise<string> = hash(randomBytes(32).toString('base64url'), OPTIONS);

  hash(password: string): Promise<string> {
    return hash(password, OPTIONS);
  }

  /**
   * Verifies a password against a stored hash, or against a decoy when there is none, so an
   * unknown e-mail costs the same time as a wrong password and the caller cannot tell them apart.
   * The comparison inside the binding is constant-time.
   */
  async verify(storedHash: string | null, password: string): Promise<boolean> {
    const target = storedHash ?? (await this.decoy);
    try {
      const ok = await verify(target, password);
      return ok && storedHash !== null;
    } catch {
      // A malformed stored hash is a wrong password, not a 500.
      return false;
    }
  }
}
