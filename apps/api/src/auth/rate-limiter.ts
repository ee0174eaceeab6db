/**
 * Counts hits per key in a fixed window (in memory, per process: with several replicas each
 * enforces its own share, which is fine for a brake on guessing and floods). Memory stays bounded:
 * expired windows are swept as new keys arrive.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private nextSweep = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until `key` may try again, or 0 when it is under its limit. Does not count. */
  retryAfter(key: string): number {
    const window = this.windows.get(key);
    const now = this.now();
    if (window === undefined || window.resetAt <= now || window.count < this.limit) return 0;
    return Math.max(1, Math.ceil((window.resetAt - now) / 1000));
  }

  /** Counts one hit for `key`. */
  hit(key: string): void {
    const now = this.now();
    this.sweep(now);
    const window = this.windows.get(key);
    if (window === undefined || window.resetAt <= now) {
      this.windows.set(key, { count: 1, resetAt: now + this.windowMs });
    } else {
      window.count += 1;
    }
  }

  /** Counts a hit and answers the seconds to wait if it went over the limit, else 0. */
  take(key: string): number {
    const wait = this.retryAfter(key);
    if (wait > 0) return wait;
    this.hit(key);
    return 0;
  }

  private sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + this.windowMs;
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}
