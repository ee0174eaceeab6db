import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  countsEvents,
  COUNTING_STATES,
  LiveStandings,
  type CountedFigures,
  type FundingResult,
  type LiveFocus,
  type StandingRow,
  type ContestEvent,
  type EvaluationResult,
} from '@podium/contest-model';
import { ContestRecordsService } from '../contests/contest-records.service.js';
import { parseStoredFile } from '../contests/stored-file.js';
import { EventLogService } from '../events/event-log.service.js';
import { ClusterService, type ClusterMessage } from '../database/cluster/cluster.service.js';
import { collectGarbage } from './collect-garbage.js';
import { focusOf } from './focus.js';
import { StandingsRepository } from './standings.repository.js';

/** Standings as served: the library's evaluation plus the sequence number it includes. */
export type StandingsSnapshot = EvaluationResult & { contestId: string; seq: number };

export interface StandingsUpdate {
  readonly contestId: string;
  readonly seq: number;
  /** The events applied since the previous update, in sequence order. */
  readonly events: readonly { seq: number; event: ContestEvent }[];
}

interface Projection {
  readonly standings: LiveStandings;
  seq: number;
}

/** Events read from the log per query: a rebuild streams the log in pages of this size. */
const PAGE = 5_000;

/** A catch-up that applied this many events (a rebuild) ends with a full collection. */
const COLLECT_AFTER_EVENTS = 100_000;

/**
 * How often a process compares its projections with the contests' `last_seq` in PostgreSQL: the
 * bound on how long a missed cross-process notice (or a crash between commit and notice) can
 * leave this process's screens behind.
 */
export const FOLLOW_INTERVAL_MS = 2_000;

/**
 * The live standings of every counting contest, kept in memory and fed from the event log in
 * sequence order with the library's incremental API. An event is applied only when every event
 * before it in its contest's sequence has been applied, so a slow concurrent commit is never
 * skipped; after a restart the log is replayed from the start.
 *
 * Several processes on one database each keep their own projection and follow the same log: a
 * commit here is announced to the others (LISTEN/NOTIFY), who read the new events from
 * PostgreSQL themselves; every {@link FOLLOW_INTERVAL_MS} each process also compares its
 * projections with the contests' `last_seq`, so a lost notice only delays, never diverges.
 */
@Injectable()
export class StandingsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StandingsService.name);
  private readonly projections = new Map<string, Promise<Projection | null>>();
  private readonly queues = new Map<string, Promise<void>>();
  /**
   * Events this process committed and has not applied yet, by contest and sequence number: applied
   * from here when they continue the projection, so a commit is not read back from PostgreSQL.
   */
  private readonly committed = new Map<string, Map<number, ContestEvent>>();
  private readonly listeners = new Set<(update: StandingsUpdate) => void>();
  private followTimer: NodeJS.Timeout | null = null;
  private following: Promise<void> | null = null;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly contests: ContestRecordsService,
    private readonly events: EventLogService,
    private readonly repository: StandingsRepository,
    private readonly cluster: ClusterService,
  ) {
    this.unsubscribe = cluster.subscribe((message, origin) => {
      if (origin === 'remote') this.onRemote(message);
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const counting = await this.contests.list({ states: COUNTING_STATES });
    for (const contest of counting) await this.catchUp(contest.id);
    if (counting.length > 0)
      this.logger.log(`rebuilt the standings of ${counting.length} contest(s) from the log`);
    this.followTimer = setInterval(() => void this.follow(), FOLLOW_INTERVAL_MS);
    this.followTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe();
    if (this.followTimer) clearInterval(this.followTimer);
    await this.following;
  }

  /**
   * Called after a commit that linked events to the contest (or changed its state): applies them
   * soon, in order, and tells the other processes to do the same. `events`: what the commit
   * linked, as stored, with their sequence numbers; when they continue the projection (no commit
   * of another process or path between), they are applied without reading the log.
   */
  notify(contestId: string, events: readonly { seq: number; event: ContestEvent }[] = []): void {
    this.cluster.announceSeq(contestId);
    if (events.length === 0) {
      this.follow1(contestId);
      return;
    }
    let known = this.committed.get(contestId);
    if (known === undefined) this.committed.set(contestId, (known = new Map()));
    for (const { seq, event } of events) known.set(seq, event);
    void this.enqueue(contestId, () => this.applyCommitted(contestId)).catch((error: unknown) =>
      this.logger.error(`catching up contest ${contestId} failed: ${String(error)}`),
    );
  }

  /**
   * Compares every projection with PostgreSQL: catches up the contests that moved on, loads the
   * ones that started counting, drops the ones that stopped. Never overlaps itself.
   */
  follow(): Promise<void> {
    this.following ??= this.compare()
      .catch((error: unknown) => this.logger.warn(`following the log failed: ${String(error)}`))
      .finally(() => {
        this.following = null;
      });
    return this.following;
  }

  private async compare(): Promise<void> {
    const counting = await this.repository.counting();
    const ids = new Set(counting.map((contest) => contest.id));
    for (const contestId of [...this.projections.keys()])
      if (!ids.has(contestId)) this.forget(contestId);
    for (const { id, lastSeq } of counting) {
      const projection = await this.projections.get(id);
      if (!projection || projection.seq < lastSeq) {
        if (projection) this.logger.log(`contest ${id}: catching up a missed notice`);
        this.follow1(id);
      }
    }
  }

  private onRemote(message: ClusterMessage): void {
    if (message.kind === 'seq') {
      for (const contestId of message.contestIds) this.follow1(contestId);
    } else if (message.kind === 'bus' && message.event.kind === 'state') {
      if (message.event.state === 'closed') this.forget(message.event.contestId);
      else this.follow1(message.event.contestId);
    } else if (message.kind === 'reconnected') {
      void this.follow();
    }
  }

  private follow1(contestId: string): void {
    void this.catchUp(contestId).catch((error: unknown) =>
      this.logger.error(`catching up contest ${contestId} failed: ${String(error)}`),
    );
  }

  /** Subscribes to applied updates (the realtime gateway); answers the unsubscribe function. */
  onUpdate(listener: (update: StandingsUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies every committed event of the contest not applied yet. Serialised per contest. */
  catchUp(contestId: string): Promise<void> {
    return this.enqueue(contestId, () => this.applyPending(contestId));
  }

  /** Runs `work` after every earlier catch-up of the contest: one at a time, in call order. */
  private enqueue(contestId: string, work: () => Promise<void>): Promise<void> {
    const previous = this.queues.get(contestId) ?? Promise.resolve();
    const next = previous.then(work);
    const settled = next.catch(() => undefined);
    this.queues.set(contestId, settled);
    void settled.then(() => {
      if (this.queues.get(contestId) === settled) this.queues.delete(contestId);
    });
    return next;
  }

  /** The current standings of a counting contest, including every event committed before the call. */
  async snapshot(
    contestId: string,
    { whatItTakes = true } = {},
  ): Promise<StandingsSnapshot | null> {
    await this.catchUp(contestId);
    const projection = await this.projections.get(contestId);
    if (!projection) return null;
    return { contestId, seq: projection.seq, ...projection.standings.snapshot({ whatItTakes }) };
  }

  /**
   * What a live forecast conditions on: each participant's counted figures, including every event
   * committed before the call, with the seq they stand at; O(participants), no replay. Null when
   * the contest is not counting.
   */
  async counted(contestId: string): Promise<{ seq: number; counted: CountedFigures } | null> {
    await this.catchUp(contestId);
    const projection = await this.projections.get(contestId);
    if (!projection) return null;
    return { seq: projection.seq, counted: projection.standings.counted() };
  }

  /**
   * The parts of a live view, read from the projection without an O(n) snapshot: the top rows,
   * the fund, and optionally one participant's place with what it takes. Null when the contest is
   * not counting (draft, scheduled, closed).
   */
  async liveParts(
    contestId: string,
    { top, focus }: { top: number; focus?: string | null },
  ): Promise<{
    seq: number;
    participants: number;
    fund: FundingResult;
    top: StandingRow[];
    focus: LiveFocus | null;
  } | null> {
    const projection = await this.projections.get(contestId);
    if (!projection) return null;
    const { standings } = projection;
    return {
      seq: projection.seq,
      participants: standings.size,
      fund: standings.funding(),
      top: standings.top(top),
      focus: focus ? focusOf(standings, focus) : null,
    };
  }

  /** Drops a contest that stopped counting (closed); its results are read from the database. */
  forget(contestId: string): void {
    this.projections.delete(contestId);
    this.committed.delete(contestId);
  }

  private projection(contestId: string): Promise<Projection | null> {
    let projection = this.projections.get(contestId);
    if (!projection) {
      projection = this.contests.find(contestId).then((contest) =>
        contest?.frozenFile && countsEvents(contest.state)
          ? {
              // Sized for the log as it stands, so the rebuild reallocates nothing.
              standings: LiveStandings.fromFile(parseStoredFile(contest.frozenFile), {
                expectedEvents: contest.lastSeq,
              }),
              seq: 0,
            }
          : null,
      );
      this.projections.set(contestId, projection);
      // A contest that is not counting yet may be launched later: do not remember the miss. Nor
      // a read that failed (the database away for a moment): the next call reads again, instead
      // of every later one failing with it.
      const forget = () => {
        if (this.projections.get(contestId) === projection) this.projections.delete(contestId);
      };
      void projection.then((loaded) => loaded === null && forget(), forget);
    }
    return projection;
  }

  private async applyPending(contestId: string): Promise<void> {
    const projection = await this.projection(contestId);
    if (!projection) return;
    const from = projection.seq;
    try {
      await this.applyPages(contestId, projection);
    } finally {
      if (projection.seq - from >= COLLECT_AFTER_EVENTS) collectGarbage();
    }
  }

  /**
   * Applies the events committed here that continue the projection. Reads the log instead when
   * one is missing before them (committed by another process, or by a path that does not hand
   * its events over), so nothing is ever skipped.
   */
  private async applyCommitted(contestId: string): Promise<void> {
    const projection = await this.projection(contestId);
    const known = this.committed.get(contestId);
    if (!projection || known === undefined) {
      this.committed.delete(contestId);
      return;
    }
    const page: { seq: number; event: ContestEvent }[] = [];
    for (let event = known.get(projection.seq + 1); event !== undefined;) {
      const seq = projection.seq + 1;
      known.delete(seq);
      projection.standings.applyEvent(event);
      projection.seq = seq;
      page.push({ seq, event });
      event = known.get(seq + 1);
    }
    if (page.length > 0) this.announceApplied(contestId, projection, page);
    // Already read from the log by an earlier catch-up: nothing to apply.
    for (const seq of known.keys()) if (seq <= projection.seq) known.delete(seq);
    if (known.size > 0) await this.applyPending(contestId);
    else this.committed.delete(contestId);
  }

  private async applyPages(contestId: string, projection: Projection): Promise<void> {
    try {
      for (;;) {
        const page = await this.events.contestEventsAfter(contestId, projection.seq, PAGE);
        if (page.length === 0) return;
        for (const { seq, event } of page) {
          if (seq !== projection.seq + 1) {
            throw new Error(
              `contest ${contestId}: expected seq ${projection.seq + 1}, read ${seq}`,
            );
          }
          projection.standings.applyEvent(event);
          projection.seq = seq;
        }
        this.announceApplied(contestId, projection, page);
        if (page.length < PAGE) return;
      }
    } finally {
      // What was read from the log needs no copy kept here.
      const known = this.committed.get(contestId);
      if (known !== undefined) {
        for (const seq of known.keys()) if (seq <= projection.seq) known.delete(seq);
        if (known.size === 0) this.committed.delete(contestId);
      }
    }
  }

  private announceApplied(
    contestId: string,
    projection: Projection,
    events: readonly { seq: number; event: ContestEvent }[],
  ): void {
    const update: StandingsUpdate = { contestId, seq: projection.seq, events };
    for (const listener of this.listeners) listener(update);
  }
}
