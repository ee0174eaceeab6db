/* eslint-disable svelte/prefer-svelte-reactivity -- the Maps here are either plain caches the
   screen never reads directly, or replaced whole inside `$state.raw`; Dates are never mutated. */
import {
  DISPLAY_DEFAULTS,
  type DisplaySlide,
  type LiveContestState,
  type LiveDeal,
  type LiveSnapshot,
  type StandingRow,
} from '@podium/contest-model';
import { ApiError } from '../api.js';
import { bearer, client, ok, type Schemas } from '../api/client.js';
import { ContestForecast, type Forecast } from './contest-forecast.svelte.js';
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

/** How the display shows its contests, as an administrator configured it. */
export interface TvSettings {
  readonly language: Schemas['Display']['language'];
  readonly slides: readonly DisplaySlide[];
  readonly slideSeconds: number;
  readonly sound: boolean;
}

/** What the TV can show: a configured slide, or the winners of a closed contest. */
export type TvSlide = DisplaySlide | 'winners';

/** One step of the rotation: a slide of a contest. */
export interface TvStep {
  readonly contest: ContestSummary;
  readonly slide: TvSlide;
}

/** How the display's timing works; the seconds per slide come from the display's settings. */
export interface TvTiming {
  /** How often the display's settings and contest list are fetched again (besides the notices). */
  refreshListMs: number;
  /** At most one celebration per this. */
  celebrateEveryMs: number;
  /** How long a celebration stays. */
  celebrationMs: number;
}

export const TICKER_SIZE = 20;

/** Whether a contest has a newcomers' league (a prize of its own for newcomers). */
export function hasNewcomerLeague(contest: ContestSummary): boolean {
  return contest.prizes.some((prize) => prize.league === 'newcomer');
}

/**
 * The rotation: for each contest in the display's order, each configured slide it can show
 * (`shows` says which; the winners first once a contest is closed). A display whose slides none
 * of its contests can show still shows their leaderboards.
 */
export function rotationOf(
  contests: readonly ContestSummary[],
  slides: readonly DisplaySlide[],
  shows: (slide: DisplaySlide, contest: ContestSummary) => boolean,
): TvStep[] {
  const steps: TvStep[] = [];
  for (const contest of contests) {
    if (contest.state === 'closed') steps.push({ contest, slide: 'winners' });
    for (const slide of slides) if (shows(slide, contest)) steps.push({ contest, slide });
  }
  if (steps.every((step) => step.slide === 'winners')) {
    return contests.flatMap((contest) => [
      ...(contest.state === 'closed' ? [{ contest, slide: 'winners' as const }] : []),
      { contest, slide: 'leaderboard' as const },
    ]);
  }
  return steps;
}
const RETRY_MS = 10_000;
const NAMES_EVERY_MS = 60_000;

/**
 * The office TV: the display's settings (language, slides, seconds, sound) and contests, the
 * rotation through each contest's slides, the shown contest followed live, its ticker of deals,
 * the latest published checkpoint, the celebration of a new deal, and the winners when a contest
 * closes. Built to run for days: one live subscription at a time (closed on rotation), arrays
 * bounded, caches keyed by the display's contests and pruned when the list changes, and every
 * timer cleared by `stop`. A change of the display reaches it without a reload: the server tells
 * its socket, and it reads its settings and contests again.
 */
export class TvDisplay {
  #contests = $state.raw<readonly ContestSummary[]>([]);
  #current = $state.raw<ContestSummary | null>(null);
  #settings = $state.raw<TvSettings>(DISPLAY_DEFAULTS);
  #step = $state.raw<TvStep | null>(null);
  #standings = $state.raw<readonly StandingRow[]>([]);
  #live = $state.raw<LiveContest | null>(null);
  #forecast = $state.raw<ContestForecast | null>(null);
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
  #slideTimer: ReturnType<typeof setTimeout> | null = null;
  #stopped = true;
  /** A load of the settings and contests running now; another waits for it, then runs again. */
  #loading: Promise<void> | null = null;
  #loadAgain = false;

  private readonly timing: TvTiming;

  /**
   * `shows`: whether the page can draw a configured slide for a contest (the newcomers' league
   * only where there is one; slides drawn by a component only once it is registered).
   * `onCelebrate`: called with each celebration shown (the page plays the sound).
   */
  constructor(
    readonly token: string,
    private readonly shows: (slide: DisplaySlide, contest: ContestSummary) => boolean,
    timing: Partial<TvTiming> = {},
    private readonly onCelebrate: (settings: TvSettings) => void = () => undefined,
  ) {
    this.timing = {
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

  get settings(): TvSettings {
    return this.#settings;
  }

  /** The slide on the screen now (null before the contests are known). */
  get slide(): TvSlide | null {
    return this.#step?.slide ?? null;
  }

  /** The rotation as it stands: every contest's slides, in order. */
  get steps(): TvStep[] {
    return rotationOf(this.#contests, this.#settings.slides, this.shows);
  }

  /** The newcomers' league of the shown contest, best first (read when its slide comes up). */
  get newcomers(): readonly StandingRow[] {
    return this.#standings.filter((row) => row.league === 'newcomer').slice(0, 10);
  }

  /**
   * The shown contest's full standings, read each time a slide that needs rows beyond the live
   * top comes up (the newcomers' league, the contenders); empty before.
   */
  get standings(): readonly StandingRow[] {
    return this.#standings;
  }

  /** The shown contest's view: live, or the last one seen while the new snapshot is on its way. */
  get view(): LiveSnapshot | null {
    const current = this.#current;
    if (current === null) return null;
    return this.#live?.view ?? this.#views.get(current.id) ?? null;
  }

  /** The shown contest's live forecast; null before it is read, or while it has none. */
  get forecast(): Forecast | null {
    return this.#forecast?.current ?? null;
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
    void this.#load();
    this.#timers.push(
      setInterval(() => (this.#now = Date.now()), 1000),
      setInterval(() => void this.#load(), this.timing.refreshListMs),
    );
    return () => this.stop();
  }

  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    if (this.#celebrationTimer !== null) clearTimeout(this.#celebrationTimer);
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    if (this.#slideTimer !== null) clearTimeout(this.#slideTimer);
    this.#slideTimer = null;
    this.#live?.stop();
    this.#live = null;
    this.#forecast?.stop();
    this.#forecast = null;
  }

  /** Reads the settings and the contests; one read at a time, the last request always served. */
  #load(): Promise<void> {
    if (this.#loading !== null) {
      this.#loadAgain = true;
      return this.#loading;
    }
    this.#loading = (async () => {
      do {
        this.#loadAgain = false;
        await this.#loadContests();
      } while (this.#loadAgain && !this.#stopped);
    })().finally(() => (this.#loading = null));
    return this.#loading;
  }

  async #loadContests(): Promise<void> {
    let list: ContestSummary[];
    let settings: TvSettings;
    try {
      const [me, contests] = await Promise.all([
        ok(client.GET('/api/auth/me', { headers: bearer(this.token) })),
        ok(client.GET('/api/contests', { headers: bearer(this.token) })),
      ]);
      if (me.kind !== 'display') {
        this.#status = 'unknown';
        return;
      }
      const { language, slides, slideSeconds, sound } = me.display;
      settings = { language, slides, slideSeconds, sound };
      list = contests;
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
          void this.#load();
        }, RETRY_MS);
      }
      return;
    }
    if (this.#stopped) return;
    this.#listOfflineSince = null;
    const timingChanged = settings.slideSeconds !== this.#settings.slideSeconds;
    if (JSON.stringify(settings) !== JSON.stringify(this.#settings)) this.#settings = settings;
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
      this.#step = null;
      this.#show(null);
      return;
    }
    this.#status = 'ready';
    const steps = this.steps;
    const step = this.#step;
    // The slide on the screen stays if the rotation still has it; else the rotation restarts.
    const same =
      step === null
        ? undefined
        : steps.find(
            (candidate) =>
              candidate.contest.id === step.contest.id && candidate.slide === step.slide,
          );
    if (same !== undefined) {
      this.#step = same;
      if (this.#current?.id === same.contest.id) {
        this.#current = same.contest;
        void this.#loadCheckpoint(same.contest.id);
      } else this.#show(same.contest);
      if (timingChanged || this.#slideTimer === null) this.#schedule();
    } else this.#go(steps[0] ?? null);
  }

  /** The next slide after `slideSeconds`. */
  #schedule(ms = this.#settings.slideSeconds * 1000): void {
    if (this.#slideTimer !== null) clearTimeout(this.#slideTimer);
    this.#slideTimer = setTimeout(() => {
      this.#slideTimer = null;
      this.#advance();
    }, ms);
  }

  #advance(): void {
    if (this.#stopped) return;
    const steps = this.steps;
    const step = this.#step;
    const index =
      step === null
        ? -1
        : steps.findIndex(
            (candidate) =>
              candidate.contest.id === step.contest.id && candidate.slide === step.slide,
          );
    let next = steps[(index + 1) % Math.max(steps.length, 1)] ?? null;
    // Offline, another contest could not load: stay with the one whose figures are shown.
    if (this.offlineSince !== null && next !== null && next.contest.id !== this.#current?.id) {
      next = steps.find((candidate) => candidate.contest.id === this.#current?.id) ?? step;
    }
    this.#go(next);
  }

  #go(step: TvStep | null, holdMs?: number): void {
    this.#step = step;
    if (step === null) {
      this.#show(null);
      return;
    }
    if (step.contest.id !== this.#current?.id) this.#show(step.contest);
    else this.#current = step.contest;
    if (step.slide === 'newcomers' || step.slide === 'contenders') {
      void this.#loadStandings(step.contest.id);
    }
    this.#schedule(holdMs);
  }

  /**
   * The shown contest closed: its winners take the screen at once and stay for a whole turn of
   * the rotation (at least one slide's time), then the rotation goes on.
   */
  #onContestState(contestId: string, state: LiveContestState): void {
    const contest = this.#contests.find((known) => known.id === contestId);
    if (contest === undefined || contest.state === state) return;
    const changed = { ...contest, state };
    this.#contests = this.#contests.map((known) => (known.id === contestId ? changed : known));
    if (state !== 'closed' || this.#current?.id !== contestId) return;
    const turn = Math.max(this.steps.length, 1) * this.#settings.slideSeconds * 1000;
    this.#go({ contest: changed, slide: 'winners' }, turn);
  }

  async #loadStandings(contestId: string): Promise<void> {
    try {
      const result = await ok(
        client.GET('/api/contests/{id}/standings', {
          params: { path: { id: contestId } },
          headers: bearer(this.token),
        }),
      );
      if (this.#stopped || this.#current?.id !== contestId) return;
      this.#standings = result.standings;
    } catch {
      // The slide shows what it had; the next showing reads again.
    }
  }

  #show(contest: ContestSummary | null): void {
    const previous = this.#live;
    if (previous !== null) {
      if (previous.view !== null) this.#views.set(previous.contestId, previous.view);
      previous.stop();
    }
    this.#live = null;
    this.#forecast?.stop();
    this.#forecast = null;
    this.#current = contest;
    this.#celebration = null;
    this.#standings = [];
    if (contest === null) {
      this.#ticker = [];
      this.#checkpoint = null;
      return;
    }
    this.#ticker = this.#tickers.get(contest.id) ?? [];
    this.#checkpoint = this.#checkpoints.get(contest.id) ?? null;
    const forecast = new ContestForecast(contest.id, { token: this.token });
    this.#forecast = forecast;
    forecast.start();
    const live = new LiveContest(contest.id, {
      token: this.token,
      onForecast: (next) => forecast.accept(next),
      onDeal: (deal) => this.#onDeal(contest.id, deal),
      onCheckpoint: () => {
        this.#checkpoints.delete(contest.id);
        void this.#loadCheckpoint(contest.id);
      },
      onContest: (state) => this.#onContestState(contest.id, state),
      onDisplay: () => void this.#load(),
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
    this.onCelebrate(this.#settings);
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
