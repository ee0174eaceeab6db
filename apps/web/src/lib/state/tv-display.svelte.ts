/* eslint-disable svelte/prefer-svelte-reactivity -- the Maps here are either plain caches the
   screen never reads directly, or replaced whole inside `$state.raw`; Dates are never mutated. */
import type { LiveDeal, LiveSnapshot, StandingRow } from '@podium/contest-model';
import { ApiError } from '../api.js';
import { bearer, client, ok, type Schemas } from '../api/client.js';
import { LiveContest } from './live-contest.svelte.js';

/** A contest as `GET /api/contests` lists it. */
export type ContestSummary = Schemas['ContestSummary'];

export interface TickerDeal {
  readonly key: number;
  readonly name: string;
  readonly team: string | null;
  readonly at: Date;
  readonly isNewClient: boolean;
  readonly amountMinor: number | null;
}

export interface Celebration {
  readonly key: number;
  readonly name: string;
  readonly isNewClient: boolean;
}

export interface CheckpointSummary {
  readonly number: number;
  readonly top: readonly Pick<StandingRow, 'participantId' | 'name' | 'rank'>[];
}

/** How the display's timing works (the TV page takes the rotation from `?rotate=seconds`). */
export interface TvTiming {
  /** Time on each contest when the display has several. */
  rotateMs: number;
  /** How often the display's contest list is fetched again. */
  refreshListMs: number;
  /** At most one celebration per this. */
  celebrateEveryMs: number;
  /** How long a celebration stays. */
  celebrationMs: number;
}

export const TICKER_SIZE = 20;
const RETRY_MS = 10_000;
const NAMES_EVERY_MS = 60_000;

/**
 * The office TV: the display's contests (rotating when there are several), the shown contest
 * followed live, its ticker of deals, the latest published checkpoint and the celebration of a
 * new deal. Built to run for days: one live subscription at a time (closed on rotation), arrays
 * bounded, caches keyed by the display's contests and pruned when the list changes, and every
 * timer cleared by `stop`.
 */
export class TvDisplay {
  #contests = $state.raw<readonly ContestSummary[]>([]);
  #current = $state.raw<ContestSummary | null>(null);
  #live = $state.raw<LiveContest | null>(null);
  #status = $state<'loading' | 'ready' | 'empty' | 'unknown'>('loading');
  #listOfflineSince = $state.raw<Date | null>(null);
  #ticker = $state.raw<readonly TickerDeal[]>([]);
  #celebration = $state.raw<Celebration | null>(null);
  #checkpoint = $state.raw<CheckpointSummary | null>(null);
  #names = $state.raw<ReadonlyMap<string, ReadonlyMap<string, string>>>(new Map());
  #now = $state(Date.now());

  // Per contest of the display, pruned with the list: no growth over days.
  readonly #tickers = new Map<string, readonly TickerDeal[]>();
  readonly #views = new Map<string, LiveSnapshot>();
  readonly #checkpoints = new Map<string, CheckpointSummary | null>();
  readonly #namesFetchedAt = new Map<string, number>();
  #dealKey = 0;
  #lastCelebration = 0;
  #timers: ReturnType<typeof setInterval>[] = [];
  #celebrationTimer: ReturnType<typeof setTimeout> | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #stopped = true;

  private readonly timing: TvTiming;

  constructor(
    readonly token: string,
    timing: Partial<TvTiming> = {},
  ) {
    this.timing = {
      rotateMs: 30_000,
      refreshListMs: 180_000,
      celebrateEveryMs: 4_000,
      celebrationMs: 3_500,
      ...timing,
    };
  }

  get status(): 'loading' | 'ready' | 'empty' | 'unknown' {
    return this.#status;
  }

  get contests(): readonly ContestSummary[] {
    return this.#contests;
  }

  get current(): ContestSummary | null {
    return this.#current;
  }

  /** The shown contest's view: live, or the last one seen while the new snapshot is on its way. */
  get view(): LiveSnapshot | null {
    const current = this.#current;
    if (current === null) return null;
    return this.#live?.view ?? this.#views.get(current.id) ?? null;
  }

  get offlineSince(): Date | null {
    return this.#live?.offlineSince ?? this.#listOfflineSince;
  }

  /** Why the shown contest's live view was refused, if it was. */
  get liveError(): string | null {
    return this.#live?.error ?? null;
  }

  get ticker(): readonly TickerDeal[] {
    return this.#ticker;
  }

  get celebration(): Celebration | null {
    return this.#celebration;
  }

  get checkpoint(): CheckpointSummary | null {
    return this.#checkpoint;
  }

  get now(): number {
    return this.#now;
  }

  /** A participant's name: from the view's top rows, or from the full standings fetched. */
  nameOf(participantId: string): string | null {
    const row = this.view?.top.find((candidate) => candidate.participantId === participantId);
    if (row !== undefined) return row.name;
    const contestId = this.#current?.id;
    if (contestId === undefined) return null;
    return this.#names.get(contestId)?.get(participantId) ?? null;
  }

  start(): () => void {
    this.#stopped = false;
    void this.#loadContests();
    this.#timers.push(
      setInterval(() => (this.#now = Date.now()), 1000),
      setInterval(() => this.#rotate(), this.timing.rotateMs),
      setInterval(() => void this.#loadContests(), this.timing.refreshListMs),
    );
    return () => this.stop();
  }

  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    if (this.#celebrationTimer !== null) clearTimeout(this.#celebrationTimer);
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#live?.stop();
    this.#live = null;
  }

  async #loadContests(): Promise<void> {
    let list: ContestSummary[];
    try {
      list = await ok(client.GET('/api/contests', { headers: bearer(this.token) }));
    } catch (error) {
      if (this.#stopped) return;
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
        this.#status = 'unknown';
        return;
      }
      // The network or the server is down: say so, and try again soon.
      this.#listOfflineSince ??= new Date();
      if (this.#retryTimer === null) {
        this.#retryTimer = setTimeout(() => {
          this.#retryTimer = null;
          void this.#loadContests();
        }, RETRY_MS);
      }
      return;
    }
    if (this.#stopped) return;
    this.#listOfflineSince = null;
    const shown = list.filter((contest) => contest.state !== 'draft');
    this.#contests = shown;
    const ids = new Set(shown.map((contest) => contest.id));
    for (const cache of [this.#tickers, this.#views, this.#checkpoints, this.#namesFetchedAt]) {
      for (const id of cache.keys()) if (!ids.has(id)) cache.delete(id);
    }
    if ([...this.#names.keys()].some((id) => !ids.has(id))) {
      this.#names = new Map([...this.#names].filter(([id]) => ids.has(id)));
    }
    // A published checkpoint may have appeared while the display was not watching that contest.
    this.#checkpoints.clear();
    if (shown.length === 0) {
      this.#status = 'empty';
      this.#show(null);
      return;
    }
    this.#status = 'ready';
    const same = shown.find((contest) => contest.id === this.#current?.id);
    if (same !== undefined) {
      this.#current = same;
      void this.#loadCheckpoint(same.id);
    } else this.#show(shown[0] ?? null);
  }

  #rotate(): void {
    const contests = this.#contests;
    // Offline, a new contest could not load: keep the one whose figures are on the screen.
    if (contests.length < 2 || this.offlineSince !== null) return;
    const index = contests.findIndex((contest) => contest.id === this.#current?.id);
    this.#show(contests[(index + 1) % contests.length] ?? null);
  }

  #show(contest: ContestSummary | null): void {
    const previous = this.#live;
    if (previous !== null) {
      if (previous.view !== null) this.#views.set(previous.contestId, previous.view);
      previous.stop();
    }
    this.#live = null;
    this.#current = contest;
    this.#celebration = null;
    if (contest === null) {
      this.#ticker = [];
      this.#checkpoint = null;
      return;
    }
    this.#ticker = this.#tickers.get(contest.id) ?? [];
    this.#checkpoint = this.#checkpoints.get(contest.id) ?? null;
    const live = new LiveContest(contest.id, {
      token: this.token,
      onDeal: (deal) => this.#onDeal(contest.id, deal),
      onCheckpoint: () => {
        this.#checkpoints.delete(contest.id);
        void this.#loadCheckpoint(contest.id);
      },
    });
    this.#live = live;
    live.start();
    // Read again on every showing: one published while another contest was shown sends its
    // event to nobody here.
    void this.#loadCheckpoint(contest.id);
  }

  #onDeal(contestId: string, deal: LiveDeal): void {
    const entry: TickerDeal = {
      key: ++this.#dealKey,
      name: deal.name,
      team: deal.team,
      at: new Date(deal.occurredAt),
      // Unknown (hidden amounts) shows as a plain deal, not as a new client.
      isNewClient: deal.isNewClient === true,
      amountMinor: deal.amountMinor,
    };
    const ticker = [entry, ...(this.#tickers.get(contestId) ?? [])].slice(0, TICKER_SIZE);
    this.#tickers.set(contestId, ticker);
    if (this.#current?.id !== contestId) return;
    this.#ticker = ticker;
    const now = Date.now();
    if (now - this.#lastCelebration < this.timing.celebrateEveryMs) return;
    this.#lastCelebration = now;
    this.#celebration = { key: entry.key, name: entry.name, isNewClient: entry.isNewClient };
    if (this.#celebrationTimer !== null) clearTimeout(this.#celebrationTimer);
    this.#celebrationTimer = setTimeout(() => {
      this.#celebrationTimer = null;
      this.#celebration = null;
    }, this.timing.celebrationMs);
  }

  async #loadCheckpoint(contestId: string): Promise<void> {
    let records: Schemas['Checkpoint'][];
    try {
      records = await ok(
        client.GET('/api/contests/{id}/checkpoints', {
          params: { path: { id: contestId } },
          headers: bearer(this.token),
        }),
      );
    } catch {
      return; // Shown again on the next list refresh; the screen keeps what it had.
    }
    const latest = records
      .filter((record) => record.publishedAt !== null)
      .sort((a, b) => b.number - a.number)[0];
    const summary: CheckpointSummary | null =
      latest === undefined
        ? null
        : {
            number: latest.number,
            top: latest.standings.standings
              .slice(0, 3)
              .map(({ participantId, name, rank }) => ({ participantId, name, rank })),
          };
    if (this.#stopped || !this.#contests.some((contest) => contest.id === contestId)) return;
    this.#checkpoints.set(contestId, summary);
    if (this.#current?.id === contestId) this.#checkpoint = summary;
  }

  /**
   * Prize holders outside the top rows need names: the full standings are read at most once a
   * minute per contest, only while a holder's name is missing.
   */
  async ensureNames(participantIds: readonly string[]): Promise<void> {
    const contest = this.#current;
    if (contest === null) return;
    if (participantIds.every((id) => this.nameOf(id) !== null)) return;
    const last = this.#namesFetchedAt.get(contest.id) ?? 0;
    if (Date.now() - last < NAMES_EVERY_MS) return;
    this.#namesFetchedAt.set(contest.id, Date.now());
    try {
      const result = await ok(
        client.GET('/api/contests/{id}/standings', {
          params: { path: { id: contest.id } },
          headers: bearer(this.token),
        }),
      );
      if (this.#stopped || !this.#contests.some((known) => known.id === contest.id)) return;
      const names = new Map(result.standings.map((row) => [row.participantId, row.name]));
      this.#names = new Map([...this.#names, [contest.id, names]]);
    } catch {
      // Names of holders outside the top wait for the next try; the prize still shows.
    }
  }
}
