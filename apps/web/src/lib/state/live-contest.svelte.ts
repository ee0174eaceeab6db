import type {
  LiveCheckpoint,
  LiveContestState,
  LiveDeal,
  LiveForecastView,
  LiveSnapshot,
} from '@podium/contest-model';
import { subscribeLive, type LiveSubscription } from '../socket.js';

/**
 * One contest followed live for a screen: the latest view, whether the socket is up (and since
 * when it is not), and callbacks for deals and checkpoints. The view is kept as a raw state (no
 * deep proxy): every update replaces it whole, so the screen re-renders from plain objects and
 * nothing accumulates.
 */
export class LiveContest {
  #view = $state.raw<LiveSnapshot | null>(null);
  #offlineSince = $state.raw<Date | null>(null);
  #connected = $state(false);
  #error = $state<string | null>(null);
  #subscription: LiveSubscription | null = null;
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a moment, never mutated
  readonly #onOffline = (): void => this.#markOffline(new Date());
  // A socket that stayed up through a short loss of network reports nothing: ask it.
  readonly #onOnline = (): void => {
    if (this.#subscription?.socket.connected !== true) return;
    this.#connected = true;
    this.#offlineSince = null;
    this.resync();
  };

  constructor(
    readonly contestId: string,
    private readonly options: {
      token: string;
      participantId?: string;
      onDeal?: (deal: LiveDeal) => void;
      onCheckpoint?: (checkpoint: LiveCheckpoint) => void;
      onContest?: (state: LiveContestState) => void;
      /** The display behind the token was changed (TVs only). */
      onDisplay?: () => void;
      /** A new live forecast of the contest. */
      onForecast?: (forecast: LiveForecastView) => void;
    },
  ) {}

  get view(): LiveSnapshot | null {
    return this.#view;
  }

  /** When the connection was lost; null while connected (or still connecting the first time). */
  get offlineSince(): Date | null {
    return this.#offlineSince;
  }

  get connected(): boolean {
    return this.#connected;
  }

  get error(): string | null {
    return this.#error;
  }

  /** Connects and subscribes; returns what stops it (for `$effect`). */
  start(): () => void {
    this.stop();
    const { token, participantId, onDeal, onCheckpoint, onContest, onDisplay, onForecast } =
      this.options;
    this.#subscription = subscribeLive({
      contestId: this.contestId,
      token,
      ...(participantId === undefined ? {} : { participantId }),
      handlers: {
        view: (view) => {
          this.#view = view;
          this.#error = null;
        },
        deal: (deal) => onDeal?.(deal),
        checkpoint: (checkpoint) => onCheckpoint?.(checkpoint),
        contest: (state) => onContest?.(state),
        display: () => onDisplay?.(),
        forecast: (forecast) => onForecast?.(forecast),
        connection: (connected, since) => {
          this.#connected = connected;
          if (connected) this.#offlineSince = null;
          else this.#markOffline(since);
        },
        error: (message) => (this.#error = message),
      },
    });
    // The browser knows before the socket's ping does that the network is gone.
    window.addEventListener('offline', this.#onOffline);
    window.addEventListener('online', this.#onOnline);
    return () => this.stop();
  }

  stop(): void {
    window.removeEventListener('offline', this.#onOffline);
    window.removeEventListener('online', this.#onOnline);
    this.#subscription?.close();
    this.#subscription = null;
    this.#connected = false;
  }

  /** Asks the server for a fresh snapshot now. */
  resync(): void {
    void this.#subscription?.resync().catch(() => undefined);
  }

  #markOffline(since: Date): void {
    this.#connected = false;
    // Every failed reconnection reports again: keep the first moment.
    if (this.#offlineSince === null) this.#offlineSince = since;
  }
}
