import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import {
  LIVE_NEIGHBORS,
  LiveStandings,
  parseContestFile,
  type FundingResult,
  type LiveFocus,
  type StandingRow,
  type ContestEvent,
  type ContestFile,
  type EvaluationResult,
} from '@podium/contest-model';
import { ContestsRepository } from '../contests/contests.repository.js';
import { EventsRepository } from '../events/events.repository.js';

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

const PAGE = 5_000;

function focusOf(standings: LiveStandings, participantId: string): LiveFocus | null {
  const row = standings.row(participantId);
  const rank = standings.rank(participantId);
  if (row === null || rank === null) return null;
  const whatItTakes = standings.whatItTakes(participantId);
  const neighbors = standings
    .page(Math.max(0, rank - 1 - LIVE_NEIGHBORS), 2 * LIVE_NEIGHBORS + 1)
    .map((neighbor) =>
      neighbor.participantId === participantId
        ? { ...row, ...(whatItTakes ? { whatItTakes } : {}) }
        : neighbor,
    );
  return { participantId, row: { ...row, ...(whatItTakes ? { whatItTakes } : {}) }, neighbors };
}

/** Parses a stored contest file (validated when it was written) back into the library's type. */
export function parseStoredFile(file: Omit<ContestFile, 'events'>): ContestFile {
  const parsed = parseContestFile({ ...file, events: [] });
  if (!parsed.success) {
    throw new Error(
      `a stored contest file no longer validates: ${parsed.issues[0]?.path} ${parsed.issues[0]?.message}`,
    );
  }
  return parsed.data;
}

/**
 * The live standings of every counting contest, kept in memory and fed from the event log in
 * sequence order with the library's incremental API. An event is applied only when every event
 * before it in its contest's sequence has been applied, so a slow concurrent commit is never
 * skipped; after a restart the log is replayed from the start.
 */
@Injectable()
export class StandingsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(StandingsService.name);
  private readonly projections = new Map<string, Promise<Projection | null>>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly listeners = new Set<(update: StandingsUpdate) => void>();

  constructor(
    private readonly contests: ContestsRepository,
    private readonly events: EventsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const counting = await this.contests.list({ states: ['live', 'closing'] });
    for (const contest of counting) await this.catchUp(contest.id);
    if (counting.length > 0)
      this.logger.log(`rebuilt the standings of ${counting.length} contest(s) from the log`);
  }

  /** Called after a commit that linked events to the contest: applies them soon, in order. */
  notify(contestId: string): void {
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
    const previous = this.queues.get(contestId) ?? Promise.resolve();
    const next = previous.then(() => this.applyPending(contestId));
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
  }

  private projection(contestId: string): Promise<Projection | null> {
    let projection = this.projections.get(contestId);
    if (!projection) {
      projection = this.contests
        .find(contestId)
        .then((contest) =>
          contest?.frozenFile && (contest.state === 'live' || contest.state === 'closing')
            ? { standings: LiveStandings.fromFile(parseStoredFile(contest.frozenFile)), seq: 0 }
            : null,
        );
      this.projections.set(contestId, projection);
      // A contest that is not counting yet may be launched later: do not remember the miss.
      void projection.then((loaded) => {
        if (loaded === null) this.projections.delete(contestId);
      });
    }
    return projection;
  }

  private async applyPending(contestId: string): Promise<void> {
    const projection = await this.projection(contestId);
    if (!projection) return;
    for (;;) {
      const page = await this.events.contestEventsAfter(contestId, projection.seq, PAGE);
      if (page.length === 0) return;
      for (const { seq, event } of page) {
        if (seq !== projection.seq + 1) {
          throw new Error(`contest ${contestId}: expected seq ${projection.seq + 1}, read ${seq}`);
        }
        projection.standings.applyEvent(event);
        projection.seq = seq;
      }
      const update: StandingsUpdate = { contestId, seq: projection.seq, events: page };
      for (const listener of this.listeners) listener(update);
      if (page.length < PAGE) return;
    }
  }
}
