import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { AppConfig } from '../config/config.js';
import type { ClusterService } from '../database/cluster/cluster.service.js';
import { RateLimits } from './rate-limiter.js';
import { loginWaitMs } from './auth.service.js';

const cluster = { databaseIdentity: () => 'unit' } as unknown as ClusterService;

function limits(redisUrl: string | null = null): RateLimits {
  return new RateLimits({ redisUrl } as AppConfig, cluster);
}

describe(RateLimits.name, () => {
  beforeEach(() => {
    // Only Date moves by hand: the limiter's clock.
    jest.useFakeTimers({
      now: 1_000_000,
      doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'setTimeout', 'clearTimeout'],
    });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('lets `limit` hits through per window and says how long to wait after', async () => {
    const sut = limits().create('test', { limit: 3, windowMs: 60_000 });
    expect([await sut.take('a'), await sut.take('a'), await sut.take('a')]).toEqual([0, 0, 0]);
    expect(await sut.take('a')).toBe(60);
    expect(await sut.take('b')).toBe(0);
    jest.setSystemTime(1_000_000 + 59_500);
    expect(await sut.take('a')).toBe(1);
    jest.setSystemTime(1_000_000 + 60_000);
    expect(await sut.take('a')).toBe(0);
  });

  it('counts hits without refusing them, for limits on failures only', async () => {
    const sut = limits().create('failures', { limit: 2, windowMs: 1_000 });
    expect(await sut.hit('k')).toBe(1);
    expect(await sut.retryAfter('k')).toBe(0);
    expect(await sut.hit('k')).toBe(2);
    expect(await sut.count('k')).toBe(2);
    expect(await sut.retryAfter('k')).toBe(1);
    await sut.reset('k');
    expect(await sut.retryAfter('k')).toBe(0);
  });

  it('lets one of a burst through per period, the period given by the caller', async () => {
    const sut = limits().create('once', { limit: 1, windowMs: 60_000 });
    const burst = await Promise.all(Array.from({ length: 20 }, () => sut.takeOncePer('k', 8_000)));
    expect(burst.filter((wait) => wait === 0)).toHaveLength(1);
    expect(new Set(burst.filter((wait) => wait > 0))).toEqual(new Set([8]));
    jest.setSystemTime(1_000_000 + 8_000);
    expect(await sut.takeOncePer('k', 16_000)).toBe(0);
    expect(await sut.takeOncePer('k', 16_000)).toBe(16);
  });

  it('keeps counting in memory when Redis cannot be reached, never failing a request', async () => {
    // Nothing listens on port 1: every Redis command fails and the insurance limiter counts.
    const owner = limits('redis://127.0.0.1:1');
    try {
      const sut = owner.create('away', { limit: 2, windowMs: 60_000 });
      expect([await sut.take('a'), await sut.take('a'), await sut.take('a')]).toEqual([0, 0, 60]);
    } finally {
      await owner.onApplicationShutdown();
    }
  });
});

describe(loginWaitMs.name, () => {
  it('lets ten failures go, then doubles the wait up to a minute', () => {
    expect([1, 10, 11, 12, 13, 15, 16, 17, 1_000].map(loginWaitMs)).toEqual([
      0, 0, 2_000, 4_000, 8_000, 32_000, 60_000, 60_000, 60_000,
    ]);
  });
});
