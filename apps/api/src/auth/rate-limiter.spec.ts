import { describe, expect, it } from '@jest/globals';
import { RateLimiter } from './rate-limiter.js';

describe(RateLimiter.name, () => {
  it('lets `limit` hits through per window and says how long to wait after', () => {
    let now = 1_000_000;
    const sut = new RateLimiter(3, 60_000, () => now);
    expect([sut.take('a'), sut.take('a'), sut.take('a')]).toEqual([0, 0, 0]);
    expect(sut.take('a')).toBe(60);
    expect(sut.take('b')).toBe(0);
    now += 59_500;
    expect(sut.retryAfter('a')).toBe(1);
    now += 500;
    expect(sut.take('a')).toBe(0);
  });

  it('counts hits without refusing them, for limits on failures only', () => {
    const sut = new RateLimiter(2, 1_000, () => 0);
    sut.hit('k');
    expect(sut.retryAfter('k')).toBe(0);
    sut.hit('k');
    expect(sut.retryAfter('k')).toBe(1);
  });
});
