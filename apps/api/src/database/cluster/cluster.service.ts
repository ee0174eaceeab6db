import { createHash, randomUUID } from 'node:crypto';
import {
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { SimulationProgress, SimulationState } from '@podium/contest-model';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { LiveBus, type LiveBusEvent } from '../../common/live-bus.js';

/** The PostgreSQL channel every Podium process on one database LISTENs to. */
export const CLUSTER_CHANNEL = 'podium_cluster';
/** After a lost LISTEN connection, the next attempt waits this long. */
const RECONNECT_MS = 1_000;

/**
 * What one process tells the others. Never trusted as data: a `seq` notice only says "read the
 * log", and every process then reads the events from PostgreSQL in sequence order.
 */
export type ClusterMessage =
  /** Events were committed for these contests: catch up from the log. */
  | { readonly kind: 'seq'; readonly contestIds: readonly string[] }
  /** A contest changed state or a checkpoint was frozen or published. */
  | { readonly kind: 'bus'; readonly event: LiveBusEvent }
  /**
   * A contest's name, texts or amounts rule changed (not its state: that is a `bus` notice):
   * screens' cached headers and redaction are read again.
   */
  | { readonly kind: 'contest'; readonly contestId: string }
  /** A new forecast of a contest was stored: each process pushes it to its own sockets. */
  | { readonly kind: 'forecast'; readonly contestId: string }
  /** A simulation changed state or progressed. */
  | {
      readonly kind: 'simulation';
      readonly update: {
        readonly id: string;
        readonly state: SimulationState;
        readonly progress: SimulationProgress;
      };
    }
  /** A simulation was queued (or requeued): idle pools may claim it. */
  | { readonly kind: 'simulation-queued' }
  /** A simulation was cancelled: the process running it stops its workers. */
  | { readonly kind: 'simulation-cancel'; readonly id: string }
  /** Credentials changed in PostgreSQL: each process re-checks its sockets that use them. */
  | { readonly kind: 'principals'; readonly of: PrincipalRef }
  /** This process lost its LISTEN connection and got it back: notices may have been missed. */
  | { readonly kind: 'reconnected' };

/**
 * Whose credentials to re-check (never what they now allow: each process reads that from
 * PostgreSQL). `null` ids mean every principal of that kind.
 */
export type PrincipalRef =
  /** A display revoked, or its contests changed. */
  | { readonly kind: 'display'; readonly id: string | null }
  /** The personal link of a participant revoked or replaced. */
  | { readonly kind: 'personalLink'; readonly participantId: string | null }
  /** A user deleted, or changed (role, participant, password). */
  | { readonly kind: 'user'; readonly id: string }
  /** One session ended (signed out). */
  | { readonly kind: 'session'; readonly id: string };

export type ClusterOrigin = 'local' | 'remote';
export type ClusterListener = (message: ClusterMessage, origin: ClusterOrigin) => void;

interface Envelope {
  readonly from: string;
  readonly message: ClusterMessage;
}

/**
 * How the API processes on one database learn what the others did (DESIGN §6, docs/architecture.md):
 * PostgreSQL LISTEN/NOTIFY on {@link CLUSTER_CHANNEL}. It needs nothing but the database every
 * process already shares, so it works with or without Redis. A notice is a hint; a missed one is
 * healed by the periodic checks of the standings and the simulation queue.
 *
 * Local bus events (state changes, checkpoints) are forwarded to the other processes here, and
 * listeners hear both kinds with their origin. {@link sharedRooms} is true while the socket.io
 * Redis adapter is attached and connected: then a notice emitted to a room by the process where it
 * happened reaches every process's sockets, and the others must not emit it again; while Redis is
 * away, every process emits what it hears to its own sockets.
 */
/** How long the other processes may hear of new events late, for fewer notices (see announceSeq). */
export const SEQ_NOTICE_WINDOW_MS = 25;

@Injectable()
export class ClusterService implements OnModuleInit, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger(ClusterService.name);
  /** This process, as long as it runs: tells its own notices from the others'. */
  readonly instanceId = randomUUID();
  /** Set by the Redis rooms: whether they are shared right now (Redis connected). */
  roomsShared: () => boolean = () => false;
  private readonly listeners = new Set<ClusterListener>();
  private client: pg.Client | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private everConnected = false;
  private readonly pendingSeq = new Set<string>();
  private seqFlush: NodeJS.Timeout | null = null;
  private readonly unsubscribeBus: () => void;

  constructor(
    private readonly dataSource: DataSource,
    bus: LiveBus,
  ) {
    this.unsubscribeBus = bus.subscribe((event) => {
      this.dispatch({ kind: 'bus', event }, 'local');
      this.publish({ kind: 'bus', event });
    });
  }

  get sharedRooms(): boolean {
    return this.roomsShared();
  }

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  onModuleDestroy(): void {
    this.unsubscribeBus();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.seqFlush) clearTimeout(this.seqFlush);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  /** The database URL, reduced to an identity the processes on one database share. */
  databaseIdentity(): string {
    const url = new URL(this.databaseUrl());
    const identity = `${url.hostname}:${url.port || '5432'}${url.pathname}`;
    return createHash('sha256').update(identity).digest('hex').slice(0, 16);
  }

  subscribe(listener: ClusterListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Tells the other processes that events were committed for a contest, gathering what is
   * committed within {@link SEQ_NOTICE_WINDOW_MS} into one notice: a notice is a transaction of
   * its own whose commit waits for a WAL flush like an event's, and under a stream of single
   * events one per commit made a third of the server's commits.
   */
  announceSeq(contestId: string): void {
    this.pendingSeq.add(contestId);
    this.seqFlush ??= setTimeout(() => {
      this.seqFlush = null;
      const contestIds = [...this.pendingSeq];
      this.pendingSeq.clear();
      // A NOTIFY payload holds at most 8,000 bytes: 150 contest ids per notice.
      for (let start = 0; start < contestIds.length; start += 150)
        this.publish({ kind: 'seq', contestIds: contestIds.slice(start, start + 150) });
    }, SEQ_NOTICE_WINDOW_MS);
  }

  /**
   * Credentials changed (call it once their change is committed): the listeners of this process
   * hear it at once, the other processes through the notice.
   */
  principalsChanged(of: PrincipalRef): void {
    this.dispatch({ kind: 'principals', of }, 'local');
    this.publish({ kind: 'principals', of });
  }

  /**
   * A contest's name, texts or amounts rule changed (call it once the change is committed): the
   * listeners of this process hear it at once, the other processes through the notice.
   */
  contestChanged(contestId: string): void {
    this.dispatch({ kind: 'contest', contestId }, 'local');
    this.publish({ kind: 'contest', contestId });
  }

  /** A contest's forecast was stored here: told to this process's listeners and the others'. */
  forecastStored(contestId: string): void {
    this.dispatch({ kind: 'forecast', contestId }, 'local');
    this.publish({ kind: 'forecast', contestId });
  }

  /** Sends a notice to the other processes. Failing is logged: the periodic checks heal it. */
  publish(message: ClusterMessage): void {
    if (this.stopped) return;
    const envelope: Envelope = { from: this.instanceId, message };
    this.dataSource
      .query('SELECT pg_notify($1, $2)', [CLUSTER_CHANNEL, JSON.stringify(envelope)])
      .catch((error: unknown) => {
        if (!this.stopped) this.logger.warn(`cluster notice not sent: ${String(error)}`);
      });
  }

  private databaseUrl(): string {
    const url = (this.dataSource.options as { url?: string }).url;
    if (!url) throw new Error('the data source has no URL');
    return url;
  }

  private dispatch(message: ClusterMessage, origin: ClusterOrigin): void {
    for (const listener of this.listeners) {
      try {
        listener(message, origin);
      } catch (error) {
        this.logger.error(`a cluster listener failed: ${String(error)}`);
      }
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.databaseUrl() });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    client.on('notification', (notice) => {
      if (notice.channel !== CLUSTER_CHANNEL || !notice.payload) return;
      let envelope: Envelope;
      try {
        envelope = JSON.parse(notice.payload) as Envelope;
      } catch {
        this.logger.warn('an unreadable cluster notice was ignored');
        return;
      }
      if (envelope.from === this.instanceId) return;
      this.dispatch(envelope.message, 'remote');
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CLUSTER_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      this.logger.warn(`cluster LISTEN failed, retrying: ${String(error)}`);
      this.scheduleReconnect();
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    if (this.everConnected) {
      this.logger.log('cluster LISTEN connection restored');
      this.dispatch({ kind: 'reconnected' }, 'remote');
    }
    this.everConnected = true;
  }

  private lost(client: pg.Client, error: Error): void {
    if (this.client !== client) return;
    this.client = null;
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    this.logger.warn(`cluster LISTEN connection lost: ${error.message}`);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      // Nothing thrown on the way (a client that cannot even be built) may end the process from a
      // timer: it is logged and tried again, like a failed LISTEN.
      this.connect().catch((error: unknown) => {
        if (this.stopped) return;
        this.logger.warn(`cluster LISTEN failed, retrying: ${String(error)}`);
        this.scheduleReconnect();
      });
    }, RECONNECT_MS);
    this.reconnectTimer.unref();
  }
}
