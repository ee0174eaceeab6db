import type { ContestEvent, LiveSnapshot } from '@podium/contest-model';
import { messageOf } from '../api.js';
import { client, ok, type Schemas } from '../api/client.js';
import { subscribeLive, type LiveSubscription } from '../socket.js';
import { ContestForecast } from './contest-forecast.svelte.js';
import { session } from './session.svelte.js';
import { replayHistory, type ContestHistory } from './manager-history.js';

type Standings = Schemas['Standings'];
type Checkpoint = Schemas['Checkpoint'];
type AuditEntry = Schemas['AuditEntry'];
type FeedEvent = Schemas['FeedEvent'];
type ContestDefinition = Schemas['ContestDefinition'];

const PAGE = 500;
/** Feed pages asked for at once while loading the history. */
const PARALLEL = 4;
/** The full table is refetched at most this often while the seq moves. */
const TABLE_INTERVAL_MS = 1_000;
/** The day-by-day history is replayed at most this often. */
const HISTORY_INTERVAL_MS = 30_000;

/**
 * Everything the manager dashboard shows of one contest: the live top over the socket, the full
 * table over REST (refetched when the seq moves, at most once a second), the contest replayed
 * day by day for the charts, the live forecast, the checkpoints and the audit trail.
 */
export class ManagerContest {
  readonly contestId: string;
  /** The live forecast and its history (the forecast over time, the pace against plan). */
  readonly forecast: ContestForecast;
  #live = $state.raw<LiveSnapshot | null>(null);
  #table = $state.raw<Standings | null>(null);
  #file = $state.raw<ContestDefinition | null>(null);
  #history = $state.raw<ContestHistory | null>(null);
  #checkpoints = $state.raw<Checkpoint[]>([]);
  #audit = $state.raw<AuditEntry[]>([]);
  #connected = $state(false);
  /** When the connection last changed (ISO). */
  #since = $state('');
  #error = $state<string | null>(null);

  #subscription: LiveSubscription | null = null;
  #tableTimer: ReturnType<typeof setTimeout> | null = null;
  #tableLoading = false;
  #tableFetchedAt = 0;
  #historyTimer: ReturnType<typeof setTimeout> | null = null;
  #historyFetchedAt = 0;
  #events: FeedEvent[] = [];
  #filePromise: Promise<ContestDefinition> | null = null;
  #stopped = false;

  constructor(contestId: string) {
    this.contestId = contestId;
    this.forecast = new ContestForecast(contestId, { history: true });
  }

  get live(): LiveSnapshot | null {
    return this.#live;
  }
  get table(): Standings | null {
    return this.#table;
  }
  get file(): ContestDefinition | null {
    return this.#file;
  }
  get history(): ContestHistory | null {
    return this.#history;
  }
  get checkpoints(): Checkpoint[] {
    return this.#checkpoints;
  }
  get audit(): AuditEntry[] {
    return this.#audit;
  }
  get connected(): boolean {
    return this.#connected;
  }
  get since(): string {
    return this.#since;
  }
  get error(): string | null {
    return this.#error;
  }
  /** The newest seq known, from the socket or the table. */
  get seq(): number {
    return Math.max(this.#live?.seq ?? 0, this.#table?.seq ?? 0);
  }

  /** Starts loading and listening; returns the stop (for `$effect`). */
  start(): () => void {
    const token = session.token;
    if (token) {
      this.#subscription = subscribeLive({
        contestId: this.contestId,
        token,
        handlers: {
          view: (view) => {
            this.#live = view;
            if (view.seq > (this.#table?.seq ?? -1)) this.refreshTable();
            if (view.seq > this.#lastEventSeq()) this.#scheduleHistory();
          },
          checkpoint: () => void this.loadCheckpoints(),
          contest: () => void this.loadAudit(),
          forecast: (forecast) => this.forecast.accept(forecast),
          connection: (connected, since) => {
            this.#connected = connected;
            this.#since = since.toISOString();
          },
          error: (message) => (this.#error = message),
        },
      });
    }
    this.refreshTable();
    // The criteria's titles come from the file: ask for it at once, not after the history.
    this.#loadFile().catch((error: unknown) => (this.#error = messageOf(error)));
    void this.loadCheckpoints();
    void this.loadAudit();
    void this.#loadHistory();
    this.forecast.start();
    return () => this.stop();
  }

  stop(): void {
    this.#stopped = true;
    this.#subscription?.close();
    this.forecast.stop();
    if (this.#tableTimer) clearTimeout(this.#tableTimer);
    if (this.#historyTimer) clearTimeout(this.#historyTimer);
  }

  /** Refetches the full table now, or as soon as the once-a-second budget allows. */
  refreshTable(): void {
    if (this.#stopped || this.#tableTimer) return;
    const wait = this.#tableLoading
      ? TABLE_INTERVAL_MS
      : this.#tableFetchedAt + TABLE_INTERVAL_MS - Date.now();
    if (wait > 0) {
      this.#tableTimer = setTimeout(() => {
        this.#tableTimer = null;
        this.refreshTable();
      }, wait);
      return;
    }
    this.#tableLoading = true;
    this.#tableFetchedAt = Date.now();
    ok(client.GET('/api/contests/{id}/standings', this.#params()))
      .then((table) => {
        if (!this.#table || table.seq >= this.#table.seq) this.#table = table;
        this.#error = null;
      })
      .catch((error: unknown) => (this.#error = messageOf(error)))
      .finally(() => (this.#tableLoading = false));
  }

  async loadCheckpoints(): Promise<void> {
    this.#checkpoints = await ok(client.GET('/api/contests/{id}/checkpoints', this.#params()));
  }

  async loadAudit(): Promise<void> {
    const audit = await ok(client.GET('/api/contests/{id}/audit', this.#params()));
    this.#audit = [...audit].reverse();
  }

  async publish(number: number): Promise<void> {
    await ok(
      client.POST('/api/contests/{id}/checkpoints/{number}/publish', {
        params: { path: { id: this.contestId, number } },
      }),
    );
    await Promise.all([this.loadCheckpoints(), this.loadAudit()]);
  }

  /** After a correction: the table at once (no throttle wait for the next seq) and the audit. */
  corrected(): void {
    this.refreshTable();
    void this.loadAudit();
    this.#scheduleHistory();
  }

  #params(): { params: { path: { id: string } } } {
    return { params: { path: { id: this.contestId } } };
  }

  #loadFile(): Promise<ContestDefinition> {
    this.#filePromise ??= ok(client.GET('/api/contests/{id}/file', this.#params()))
      .then((file) => (this.#file = file))
      .catch((error: unknown) => {
        this.#filePromise = null; // asked again by the next history load
        throw error;
      });
    return this.#filePromise;
  }

  #lastEventSeq(): number {
    return this.#events[0]?.seq ?? 0;
  }

  #scheduleHistory(): void {
    if (this.#historyTimer || this.#stopped) return;
    const wait = Math.max(0, this.#historyFetchedAt + HISTORY_INTERVAL_MS - Date.now());
    this.#historyTimer = setTimeout(() => {
      this.#historyTimer = null;
      void this.#loadHistory();
    }, wait);
  }

  /** Fetches the events newer than those already held (newest first, pages of 500), replays all. */
  async #loadHistory(): Promise<void> {
    this.#historyFetchedAt = Date.now();
    try {
      const known = this.#lastEventSeq();
      const [file, fresh] = await Promise.all([this.#loadFile(), this.#eventsAfter(known)]);
      if (this.#stopped) return;
      this.#events = [...fresh, ...this.#events];
      const events: ContestEvent[] = this.#events.map((item) => item.event).reverse();
      this.#history = replayHistory({ file, events, now: Date.now() });
    } catch (error) {
      this.#error = messageOf(error);
    }
  }

  /**
   * Every event with a seq above `known`, newest first. The sequence is gap-free, so after the
   * first page the rest can be asked for a few at a time (ranges that overlap are deduplicated).
   */
  async #eventsAfter(known: number): Promise<FeedEvent[]> {
    const page = (beforeSeq?: number) =>
      ok(
        client.GET('/api/contests/{id}/events', {
          params: { path: { id: this.contestId }, query: { limit: PAGE, beforeSeq } },
        }),
      );
    const first = await page();
    const head = first[0]?.seq ?? 0;
    const all = [...first];
    const bounds: number[] = [];
    if (first.length === PAGE) {
      for (let before = head + 1 - PAGE; before > known + 1; before -= PAGE) bounds.push(before);
    }
    for (let start = 0; start < bounds.length; start += PARALLEL) {
      const pages = await Promise.all(
        bounds.slice(start, start + PARALLEL).map((before) => page(before)),
      );
      all.push(...pages.flat());
    }
    return all
      .filter((item) => item.seq > known)
      .sort((a, b) => b.seq - a.seq)
      .filter((item, index, sorted) => sorted[index - 1]?.seq !== item.seq);
  }
}
