import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Server } from 'socket.io';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { ClusterService } from '../database/cluster/cluster.service.js';

/** What this service needs of a node-redis client. */
interface Client {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  close(): Promise<unknown>;
  destroy(): void;
}

/** Waits between attempts to reach Redis: 100 ms, 200 ms, … up to 5 s. */
const retryDelay = (retries: number) => Math.min(5_000, 100 * 2 ** Math.min(retries, 6));
/** A failure is logged once per this many milliseconds, not at every retry. */
const LOG_EVERY_MS = 30_000;

/**
 * With `REDIS_URL`, the socket.io Redis adapter: rooms are shared by every process, so a notice
 * emitted to a room by one process reaches the sockets of all. The key prefix is derived from
 * the database (processes on one database share rooms; test runs on their own databases never
 * meet). Redis is not needed for correctness: when it is away, errors are logged and the clients
 * retry; standings keep flowing from PostgreSQL to every process.
 */
@Injectable()
export class RedisRoomsService implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisRoomsService.name);
  private clients: Client[] = [];
  private lastLogged = 0;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cluster: ClusterService,
  ) {}

  /** Attaches the adapter to the socket.io server when `REDIS_URL` is set; answers whether it did. */
  attach(server: Server): boolean {
    const url = this.config.redisUrl;
    if (url === null) return false;
    // No offline queue for the publisher: while Redis is away a publish fails at once (and is
    // dropped, see below) instead of piling up in memory.
    const pub = createClient({
      url,
      socket: { reconnectStrategy: retryDelay },
      disableOfflineQueue: true,
    });
    const sub = createClient({ url, socket: { reconnectStrategy: retryDelay } });
    this.clients = [pub, sub];
    for (const [name, client] of [
      ['publisher', pub],
      ['subscriber', sub],
    ] as const) {
      client.on('error', (error: unknown) => this.failed(name, error));
      client.on('ready', () => this.logger.log(`Redis ${name} connected`));
      void this.connect(name, client, 0);
    }
    const key = `podium:${this.cluster.databaseIdentity()}`;
    server.adapter(
      createAdapter(this.guarded('publisher', pub), this.guarded('subscriber', sub), { key }),
    );
    this.cluster.roomsShared = () => pub.isReady && sub.isReady;
    this.logger.log(`socket.io rooms shared through Redis (key ${key})`);
    return true;
  }

  /** Closes the connections: gracefully when Redis answers, at once when it is away. */
  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await Promise.all(
      this.clients.map(async (client) => {
        try {
          if (client.isReady) await client.close();
          else if (client.isOpen) client.destroy();
        } catch {
          // already closed, or its pending commands failed: nothing to keep
        }
      }),
    );
  }

  /**
   * A client as the adapter sees it: the adapter does not wait for its commands (publish,
   * subscribe), so one failing while Redis is away would be an unhandled rejection that stops the
   * process. Here a failure is logged instead; a room's local sockets get their packets anyway.
   */
  private guarded<T extends object>(name: string, client: T): T {
    const proxy: T = new Proxy(client, {
      get: (target, property) => {
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== 'function' || property === 'constructor') return value;
        return (...args: unknown[]) => {
          const result: unknown = (value as (...args: unknown[]) => unknown).apply(target, args);
          if (!(result instanceof Promise)) return result === target ? proxy : result;
          return result.catch((error: unknown) => {
            this.failed(name, error);
            return undefined;
          });
        };
      },
    });
    return proxy;
  }

  /** The first connection may fail before the reconnect strategy takes over: retry it here. */
  private async connect(name: string, client: Client, attempt: number): Promise<void> {
    if (this.stopped) return;
    try {
      await client.connect();
    } catch (error) {
      this.failed(name, error);
      if (client.isOpen) return; // the client's own reconnect strategy goes on
      setTimeout(() => void this.connect(name, client, attempt + 1), retryDelay(attempt)).unref();
    }
  }

  private failed(name: string, error: unknown): void {
    if (this.stopped) return;
    const now = Date.now();
    if (now - this.lastLogged < LOG_EVERY_MS) return;
    this.lastLogged = now;
    // The message never holds the URL (which may carry a password).
    this.logger.warn(
      `Redis ${name} unavailable, retrying: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
