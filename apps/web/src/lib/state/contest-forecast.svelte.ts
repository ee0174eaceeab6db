import type { LiveForecastView } from '@podium/contest-model';
import { ApiError } from '../api.js';
import { bearer, client, ok, type Schemas } from '../api/client.js';

/**
 * What the live forecast says of a contest now: `GET /api/contests/:id/forecast` and the socket's
 * `forecast` event answer the same.
 */
export type Forecast = LiveForecastView;
/** One point of the forecast's history: the day's latest, or a published checkpoint's. */
export type ForecastPoint = Schemas['ForecastHistory']['points'][number];

/** The history is read again at most this often while forecasts arrive. */
const HISTORY_EVERY_MS = 60_000;

/**
 * The live forecast of one contest for a screen: the latest forecast (read on start, then
 * replaced by each `forecast` event the screen's live socket hands to {@link accept}) and,
 * when asked for, its history (read on start and again, at most once a minute, as forecasts
 * arrive: a new day or a checkpoint adds a point). A contest without a forecast (not live yet)
 * leaves both null; an error leaves what was shown.
 */
export class ContestForecast {
  #current = $state.raw<Forecast | null>(null);
  #history = $state.raw<readonly ForecastPoint[] | null>(null);
  #historyAt = 0;
  #historyTimer: ReturnType<typeof setTimeout> | null = null;
  #stopped = false;

  constructor(
    readonly contestId: string,
    private readonly options: {
      /** A display's or a personal link's token; the session's when absent. */
      token?: string | null;
      /** Whether the screen shows the history (trends, charts). */
      history?: boolean;
    } = {},
  ) {}

  /** The latest forecast; null before the first, or when the contest has none. */
  get current(): Forecast | null {
    return this.#current;
  }

  /** The forecast's points over time, oldest first; null until read (or when not asked for). */
  get history(): readonly ForecastPoint[] | null {
    return this.#history;
  }

  /** Reads the forecast (and the history); returns what stops it (for `$effect`). */
  start(): () => void {
    this.#stopped = false;
    void this.#loadCurrent();
    if (this.options.history === true) void this.#loadHistory();
    return () => this.stop();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#historyTimer !== null) clearTimeout(this.#historyTimer);
    this.#historyTimer = null;
  }

  /** A forecast from the socket: newer than the one shown replaces it. */
  accept(forecast: Forecast): void {
    if (this.#stopped || forecast.contestId !== this.contestId) return;
    if (this.#current !== null && newer(this.#current, forecast)) return;
    this.#current = forecast;
    if (this.options.history === true) this.#scheduleHistory();
  }

  #headers(): { authorization: string } | Record<string, never> {
    const token = this.options.token ?? null;
    return token === null ? {} : bearer(token);
  }

  async #loadCurrent(): Promise<void> {
    try {
      const forecast = await ok(
        client.GET('/api/contests/{id}/forecast', {
          params: { path: { id: this.contestId } },
          headers: this.#headers(),
        }),
      );
      if (this.#stopped) return;
      if (this.#current === null || !newer(this.#current, forecast)) this.#current = forecast;
    } catch (error) {
      // Not live (409) or not found: no forecast to show. Offline: the next event brings one.
      if (error instanceof ApiError && (error.status === 404 || error.status === 409)) {
        if (!this.#stopped) this.#current = null;
      }
    }
  }

  #scheduleHistory(): void {
    if (this.#historyTimer !== null || this.#stopped) return;
    const wait = Math.max(0, this.#historyAt + HISTORY_EVERY_MS - Date.now());
    this.#historyTimer = setTimeout(() => {
      this.#historyTimer = null;
      void this.#loadHistory();
    }, wait);
  }

  async #loadHistory(): Promise<void> {
    this.#historyAt = Date.now();
    try {
      const { points } = await ok(
        client.GET('/api/contests/{id}/forecast/history', {
          params: { path: { id: this.contestId } },
          headers: this.#headers(),
        }),
      );
      if (!this.#stopped) this.#history = points;
    } catch {
      // The screen keeps the history it had; the next forecast reads again.
    }
  }
}

/** Whether `shown` is newer than `incoming` (a late answer must not replace a fresher event). */
function newer(shown: Forecast, incoming: Forecast): boolean {
  if (incoming.seq !== shown.seq) return shown.seq > incoming.seq;
  return Date.parse(shown.computedAt) > Date.parse(incoming.computedAt);
}

/**
 * The history points a trend compares with: the latest point of a day before the current
 * forecast's (yesterday, or the last day with one), and the latest point of a published
 * checkpoint. `day` is the day the history names its points by.
 */
export function trendPoints(
  history: readonly ForecastPoint[],
  today: string,
): { yesterday: ForecastPoint | null; checkpoint: ForecastPoint | null } {
  let yesterday: ForecastPoint | null = null;
  let checkpoint: ForecastPoint | null = null;
  for (const point of history) {
    if (point.day < today && (yesterday === null || point.asOf >= yesterday.asOf)) {
      yesterday = point;
    }
    if (point.checkpoint !== null && (checkpoint === null || point.asOf >= checkpoint.asOf)) {
      checkpoint = point;
    }
  }
  return { yesterday, checkpoint };
}
