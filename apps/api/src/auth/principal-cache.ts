import type { Principal } from './principal.js';

type Resolved = Exclude<Principal, { kind: 'anonymous' }>;

interface Entry {
  readonly principal: Resolved;
  /** Date.now() after which the entry is not used: the TTL or the credential's own expiry. */
  readonly until: number;
}

/** How long a resolved credential is reused without asking PostgreSQL: the safety net. */
export const PRINCIPAL_CACHE_TTL_MS = 5_000;
/** Most credentials remembered; the oldest go first. */
export const PRINCIPAL_CACHE_SIZE = 10_000;

/**
 * Resolved credentials of this process, keyed by the token's sha256 (never the token), so that a
 * client sending many requests is not looked up in PostgreSQL on each. Only successes are kept:
 * an unknown or revoked token is asked again every time, so the cache says nothing to a guesser.
 *
 * Revocation: `clear()` is called on every `principals` cluster notice (each process hears every
 * revoke, logout and user change) and when the notice connection came back; the short TTL bounds
 * what a missed notice can cost, and an entry never outlives the credential's own `expiresAt`.
 * A lookup that started before a `clear()` does not store its (possibly stale) answer.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;

  constructor(
    private readonly ttlMs = PRINCIPAL_CACHE_TTL_MS,
    private readonly maxSize = PRINCIPAL_CACHE_SIZE,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): Resolved | null {
    const entry = this.entries.get(key);
    if (entry === undefined) return null;
    if (entry.until <= this.now()) {
      this.entries.delete(key);
      return null;
    }
    return entry.principal;
  }

  /** What `store` needs to know whether a `clear()` happened during the lookup. */
  ticket(): number {
    return this.generation;
  }

  store(key: string, principal: Resolved, ticket: number): void {
    if (ticket !== this.generation) return;
    const now = this.now();
    const expiresAt = 'expiresAt' in principal ? principal.expiresAt : undefined;
    const until = Math.min(
      now + this.ttlMs,
      expiresAt instanceof Date ? expiresAt.getTime() : Infinity,
    );
    if (until <= now) return;
    this.entries.delete(key);
    this.entries.set(key, { principal, until });
    while (this.entries.size > this.maxSize) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }
}
