import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { createClient } from 'redis';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { ClusterService } from '../database/cluster/cluster.service.js';

/** How many hits a key may make per window. */
export interface LimitOptions {
  readonly limit: number;
  readonly windowMs: number;
}

/** Waits between attempts to reach Redis: 100 ms, 200 ms, … up to 5 s. */
const retryDelay = (retries: number) => Math.min(5_000, 100 * 2 ** Math.min(retries, 6));
/** A failure is logged once per this many milliseconds, not at every retry. */
const LOG_EVERY_MS = 30_000;

/** No offline queue: while Redis is away a command fails at once and the memory counts. */
function redisClient(url: string) {
  return createClient({
    url,
    socket: { reconnectStrategy: retryDelay },
    disableOfflineQueue: true,
  });
}
type RedisClient = ReturnType<typeof redisClient>;

/** Whole seconds to wait, at least 1, for `ms` milliseconds. */
function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * One family of counters (one route's budget, one kind of failed login), keyed by whatever the
 * caller counts per: a principal, an address, an e-mail. Never throws for the store's sake: when
 * Redis is away the process's own memory counts instead (rate-limiter-flexible's insurance
 * limiter), and should that fail too the hit is let through rather than turned into a 500.
 */
export class RateLimit {
  constructor(
    private readonly limiter: RateLimiterAbstract,
    private readonly failed: (error: unknown) => void,
  ) {}

  /** Counts a hit and answers the seconds to wait if it went over the limit, else 0. */
  async take(key: string): Promise<number> {
    try {
      await this.limiter.consume(key);
      return 0;
    } catch (error) {
      if (error instanceof RateLimiterRes) return seconds(error.msBeforeNext);
      this.failed(error);
      return 0;
    }
  }

  /**
   * Lets the first hit of each `ms` period through for `key` and answers the seconds to wait for
   * the others, else 0. Atomic in the store: of a burst of parallel hits, exactly one gets in.
   */
  async takeOncePer(key: string, ms: number): Promise<number> {
    try {
      await this.limiter.consume(key, 1, { customDuration: seconds(ms) });
      return 0;
    } catch (error) {
      if (error instanceof RateLimiterRes) return seconds(error.msBeforeNext);
      this.failed(error);
      return 0;
    }
  }

  /** The hits `key` made in its current window. */
  async count(key: string): Promise<number> {
    return (await this.get(key))?.count ?? 0;
  }

  /**
   * Seconds until `key` may try again, or 0 while it has made fewer than `limit` hits (or is not
   * blocked). Does not count.
   */
  async retryAfter(key: string): Promise<number> {
    const state = await this.get(key);
    return state !== null && state.count >= this.limiter.points ? seconds(state.msLeft) : 0;
  }

  /** Counts one hit without refusing it (limits on failures only); answers the count so far. */
  async hit(key: string): Promise<number> {
    try {
      return (await this.limiter.penalty(key)).consumedPoints;
    } catch (error) {
      this.failed(error);
      return 0;
    }
  }

  /** Forgets `key`'s hits. */
  async reset(key: string): Promise<void> {
    try {
      await this.limiter.delete(key);
    } catch (error) {
      this.failed(error);
    }
  }

  private async get(key: string): Promise<{ count: number; msLeft: number } | null> {
    try {
      const state = await this.limiter.get(key);
      // The memory store drops a window on a timer and may still report it just after it ended.
      if (state === null || state.msBeforeNext <= 0) return null;
      return { count: state.consumedPoints, msLeft: state.msBeforeNext };
    } catch (error) {
      this.failed(error);
      return null;
    }
  }
}

/**
 * Where rate-limit counters live: with `REDIS_URL` in Redis, shared by every process (N
 * processes do not give N times the budget); without it, in this process's memory. The key
 * prefix is derived from the database, like the socket.io rooms', so processes on one database
 * share counters and test runs on their own databases never meet.
 */
@Injectable()
export class RateLimits implements OnApplicationShutdown {
  private readonly logger = new Logger(RateLimits.name);
  private readonly client: RedisClient | null = null;
  private readonly prefix: string;
  private lastLogged = 0;
  private stopped = false;

  constructor(@Inject(APP_CONFIG) config: AppConfig, cluster: ClusterService) {
    this.prefix = `podium:${cluster.databaseIdentity()}:rate`;
    if (config.redisUrl === null) return;
    const client = redisClient(config.redisUrl);
    client.on('error', (error: unknown) => this.failed(error));
    this.client = client;
    void this.connect(client, 0);
  }

  /** A counter family named `name` (part of the store key: unique per use). */
  create(name: string, options: LimitOptions): RateLimit {
    return new RateLimit(this.limiter(name, options), (error) => this.failed(error));
  }

  /**
   * The library's limiter behind `create`, for callers that pace rather than refuse (a queue in
   * front of it): shared through Redis when there is one, with memory as its insurance.
   */
  limiter(name: string, { limit, windowMs }: LimitOptions): RateLimiterAbstract {
    const options = {
      keyPrefix: `${this.prefix}:${name}`,
      points: limit,
      duration: seconds(windowMs),
    };
    const memory = new RateLimiterMemory(options);
    const limiter =
      this.client === null
        ? memory
        : new RateLimiterRedis({
            ...options,
            storeClient: this.client,
            useRedisPackage: true,
            rejectIfRedisNotReady: true,
            insuranceLimiter: memory,
          });
    return limiter;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    if (client === null) return;
    try {
      if (client.isReady) await client.close();
      else if (client.isOpen) client.destroy();
    } catch {
      // already closed, or its pending commands failed: nothing to keep
    }
  }

  /** The first connection may fail before the reconnect strategy takes over: retry it here. */
  private async connect(client: RedisClient, attempt: number): Promise<void> {
    if (this.stopped) return;
    try {
      await client.connect();
    } catch (error) {
      this.failed(error);
      if (client.isOpen) return; // the client's own reconnect strategy goes on
      setTimeout(() => void this.connect(client, attempt + 1), retryDelay(attempt)).unref();
    }
  }

  private failed(error: unknown): void {
    if (this.stopped) return;
    const now = Date.now();
    if (now - this.lastLogged < LOG_EVERY_MS) return;
    this.lastLogged = now;
    // The message never holds the URL (which may carry a password).
    this.logger.warn(
      `rate limits: Redis unavailable, counting in memory: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
