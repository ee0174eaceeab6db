import { Logger } from '@nestjs/common';
import { parseContestEvent } from '@podium/contest-model';
import type { DataSource, QueryRunner } from 'typeorm';
import { isDatabaseUnavailable } from '../common/database-errors.js';
import { validationError } from '../common/validation/zod-validation.pipe.js';
import { identify, type IdentifiedEvent } from './event-identity.js';
import type { IngestAnswer } from './dto/ingest.dto.js';
import { answerOf, conflictOf, type EventStore, type StoreOutcome } from './event-store.js';

/** One validated event: its canonical hash and key, as `EventsService`'s. */
export type GroupItem = IdentifiedEvent;

interface Pending {
  readonly item: GroupItem;
  readonly author: string | null;
  resolve(answer: IngestAnswer): void;
  reject(error: unknown): void;
}

/** Most requests stored by one commit (as many as the largest batch). */
export const MAX_GROUP = 1_000;

/**
 * Groups in flight at most. Normally one: the next group is formed when the previous commit
 * returns, from every request that arrived meanwhile. A second starts only beside a group in
 * flight for {@link SECOND_GROUP_AFTER_MS} or more — one waiting for a lock (a launch's backfill
 * holds the contest row), so that the requests behind it, a repeat needing no lock or an event
 * of another contest, are not held up by it.
 *
 * Two groups at once at all times made the lock never idle, but a request arriving during a
 * commit started a group of its own at once (a third of the commits held one event), and every
 * commit costs the API and PostgreSQL a fixed amount of CPU (a round trip, a WAL flush, a notice
 * to the other processes): on the 2 cores the API shares with PostgreSQL that cost is what bounds
 * the rate. One at a time gave groups of 13–15 events instead of 8–9 under the ingest-single
 * bench, and 15–45 % less CPU per event in the API and in PostgreSQL.
 */
export const GROUPS_IN_FLIGHT = 2;

/** How long a group is in flight before the requests queued behind it start another. */
export const SECOND_GROUP_AFTER_MS = 10;

/** How long the commit connections stay held without a request. */
const IDLE_RELEASE_MS = 1_000;

/**
 * Group commit for single-event requests: requests that arrive while a commit is in flight wait
 * and are stored together by the next one — one transaction, one contest lock, one WAL flush for
 * all of them — instead of queueing one by one behind the contest's row lock. Each request still
 * gets its own answer after the commit that stored it: 201 with its sequence numbers, 200 when its
 * key was already stored with the same payload, 409 when with another (that one fails alone). Two
 * requests of one group with the same key and different payloads are not decided together: the
 * later waits for the next commit, where it is an ordinary repeat or conflict. Sequence numbers
 * stay gap-free: the group links its new events exactly as one batch does.
 */
export class GroupCommit {
  private readonly logger = new Logger('GroupCommit');
  private queue: Pending[] = [];
  /** Groups being stored right now (at most {@link GROUPS_IN_FLIGHT}). */
  private flushing = 0;
  /** Connections commits run on, held between them so a group never queues for the pool. */
  private readonly connections: QueryRunner[] = [];
  private idleTimer: NodeJS.Timeout | null = null;
  /** The drain that stores queued groups one after another is running. */
  private draining = false;
  /** When the group that drain stores now was started (`performance.now()`). */
  private flushStartedAt = 0;
  private secondGroupTimer: NodeJS.Timeout | null = null;
  /** Requests accepted and not answered yet: queued, or in a group being stored. */
  unanswered = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly committed: (outcome: StoreOutcome) => void,
  ) {}

  /**
   * Validates one event (a 400 naming the field, as `EventsService.ingest` does), then stores it
   * with whatever else is waiting; answers after the commit.
   */
  submit(body: unknown, author: string | null): Promise<IngestAnswer> {
    const parsed = parseContestEvent(body);
    if (!parsed.success) {
      return Promise.reject(
        validationError(
          parsed.issues.map((issue) => ({
            path: issue.path && issue.path !== '(root)' ? issue.path : '',
            message: issue.message,
            code: issue.code,
          })),
        ),
      );
    }
    const event = parsed.data;
    const item: GroupItem = identify(event);
    return new Promise<IngestAnswer>((resolve, reject) => {
      this.unanswered += 1;
      this.queue.push({
        item,
        author,
        resolve: (answer) => {
          this.unanswered -= 1;
          resolve(answer);
        },
        reject: (error) => {
          this.unanswered -= 1;
          reject(error);
        },
      });
      if (!this.draining) void this.drain(false);
      else this.secondGroupSoon();
    });
  }

  /**
   * Starts a group beside the one in flight once that one has been stored for
   * {@link SECOND_GROUP_AFTER_MS}, if requests still wait then.
   */
  private secondGroupSoon(): void {
    if (this.secondGroupTimer !== null || this.flushing >= GROUPS_IN_FLIGHT) return;
    const wait = this.flushStartedAt + SECOND_GROUP_AFTER_MS - performance.now();
    this.secondGroupTimer = setTimeout(
      () => {
        this.secondGroupTimer = null;
        if (this.queue.length === 0 || !this.draining) return;
        if (performance.now() - this.flushStartedAt < SECOND_GROUP_AFTER_MS) {
          // The group in flight is a newer one: wait for it in turn.
          this.secondGroupSoon();
        } else if (this.flushing < GROUPS_IN_FLIGHT) {
          void this.drain(true);
        }
      },
      Math.max(0, wait),
    );
    // The main drain stores whatever is queued anyway; this timer only hurries it.
    this.secondGroupTimer.unref();
  }

  /**
   * Stores queued groups one after another until none is left (the one such drain), or a single
   * group beside it (`once`).
   */
  private async drain(once: boolean): Promise<void> {
    this.flushing += 1;
    if (!once) this.draining = true;
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, MAX_GROUP);
        if (once) {
          await this.flush(group);
          break;
        }
        this.flushStartedAt = performance.now();
        await this.flush(group);
      }
    } finally {
      this.flushing -= 1;
      if (!once) this.draining = false;
      // What a group put back (a repeated key), or what arrived while only a single group ran.
      if (!this.draining && this.queue.length > 0) void this.drain(false);
      else if (this.flushing === 0) {
        // Idle for a second: the connections go back to the pool (and shutdown need not wait).
        this.idleTimer = setTimeout(() => {
          this.idleTimer = null;
          if (this.flushing > 0) return;
          for (const runner of this.connections.splice(0)) {
            void runner.release().catch(() => undefined);
          }
        }, IDLE_RELEASE_MS);
        this.idleTimer.unref();
      }
    }
  }

  private async flush(group: Pending[]): Promise<void> {
    // The first of each key goes now; a later one with another payload waits for the next commit.
    const firsts = new Map<string, Pending>();
    const now: Pending[] = [];
    for (const pending of group) {
      const first = firsts.get(pending.item.key);
      if (first === undefined) firsts.set(pending.item.key, pending);
      else if (first.item.hash !== pending.item.hash) {
        this.queue.push(pending);
        continue;
      }
      now.push(pending);
    }
    try {
      const outcome = await this.commit([...firsts.values()]);
      if (outcome.contestIds.size > 0) this.committed(outcome);
      for (const pending of now) {
        const participantId = pending.item.event.participantId;
        if (outcome.unknownParticipants.has(participantId)) {
          pending.reject(
            validationError([
              {
                path: 'participantId',
                message: `unknown participant "${participantId}"`,
                code: 'unknownParticipant',
              },
            ]),
          );
          continue;
        }
        const key = outcome.keys.get(pending.item.key);
        if (key === undefined || key.payloadHash !== pending.item.hash) {
          pending.reject(conflictOf([{ item: pending.item, index: null }]));
          continue;
        }
        const created = outcome.created.has(key.id) && firsts.get(pending.item.key) === pending;
        pending.resolve({ status: created ? 201 : 200, body: answerOf(key, outcome) });
      }
    } catch (error) {
      if (now.length === 1 || isDatabaseUnavailable(error)) {
        for (const pending of now) pending.reject(error);
        return;
      }
      // Something in the group broke the transaction: store each alone, so only it fails.
      this.logger.warn(`a group of ${now.length} failed (${String(error)}): storing one by one`);
      for (const pending of now) await this.flush([pending]);
    }
  }

  /**
   * Stores the group's distinct keys with one statement on a held connection and outside any
   * transaction, so that statement is also the group's commit. A connection PostgreSQL dropped
   * is let go, so a later group opens a fresh one.
   */
  private async commit(unique: readonly Pending[]): Promise<StoreOutcome> {
    const runner = this.heldConnection() ?? this.dataSource.createQueryRunner();
    let keep = true;
    try {
      return await this.store.store(
        runner.manager,
        unique.map(({ item, author }) => ({ item, author })),
        { allOrNothing: false },
      );
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        keep = false;
        await runner.release().catch(() => undefined);
      }
      throw error;
    } finally {
      if (keep && !runner.isReleased) this.connections.push(runner);
    }
  }

  /**
   * A held connection still usable. PostgreSQL may cut one while it waits between groups (a
   * restart): TypeORM then releases its runner on the client's 'error' event, and a group run
   * on it would fail (QueryRunnerAlreadyReleasedError) even when PostgreSQL is back.
   */
  private heldConnection(): QueryRunner | undefined {
    for (
      let runner = this.connections.pop();
      runner !== undefined;
      runner = this.connections.pop()
    ) {
      if (!runner.isReleased) return runner;
    }
    return undefined;
  }
}
