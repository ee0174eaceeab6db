import type { StandingRow } from '@podium/contest-model';
import { anonymous, bearer, client, ok } from '../api/client.js';
import type { ContestSummary } from './tv-display.svelte.js';
import { ContestForecast } from './contest-forecast.svelte.js';
import { LiveContest } from './live-contest.svelte.js';

/** The full ranking is read again at most this often while it is open. */
const LIST_EVERY_MS = 15_000;

/**
 * The contests a signed-in user may pick on the phone: running ones first, drafts never. Closed
 * and scheduled contests stay reachable by their link.
 */
export async function loadContests(token?: string): Promise<ContestSummary[]> {
  const headers = token === undefined ? {} : bearer(token);
  const list = await ok(client.GET('/api/contests', { headers }));
  const order = { live: 0, closing: 1, scheduled: 2, closed: 3, draft: 4 } as const;
  return list
    .filter((contest) => contest.state !== 'draft')
    .sort((a, b) => order[a.state] - order[b.state]);
}

/** Whose personal link `token` is; the link is the credential, so no session is sent. */
export function openPersonalLink(token: string): Promise<{ participantId: string; name: string }> {
  return ok(anonymous.POST('/api/personal-links/open', { body: { token } }));
}

/**
 * One contest on a phone: the live view focused on one participant (a seller is focused on
 * themself by the server; staff name whom to follow), its live forecast, and the full ranking
 * over REST, read when the list is open and again when the live seq moves, at most every
 * {@link LIST_EVERY_MS}.
 */
export class MobileBoard {
  readonly live: LiveContest;
  /** The contest's live forecast and its history (the chance of a prize and its trend). */
  readonly forecast: ContestForecast;
  #list = $state.raw<readonly StandingRow[] | null>(null);
  #published = $state(0);
  #listOpen = false;
  #listSeq = -1;
  #lastFetch = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #fetching = false;
  #stopped = false;
  readonly #token: string;

  constructor(
    readonly contestId: string,
    options: { token: string; participantId?: string },
  ) {
    this.forecast = new ContestForecast(contestId, { token: options.token, history: true });
    this.live = new LiveContest(contestId, {
      ...options,
      onCheckpoint: () => (this.#published += 1),
      onForecast: (forecast) => this.forecast.accept(forecast),
    });
    this.#token = options.token;
  }

  get list(): readonly StandingRow[] | null {
    return this.#list;
  }

  /** How many checkpoint notices the socket brought: monthly results to read again. */
  get published(): number {
    return this.#published;
  }

  start(): () => void {
    this.#stopped = false;
    const stopLive = this.live.start();
    const stopForecast = this.forecast.start();
    return () => {
      stopForecast();
      this.#stopped = true;
      if (this.#timer !== null) clearTimeout(this.#timer);
      this.#timer = null;
      stopLive();
    };
  }

  /** Opens or closes the full list; an open list follows the live seq. */
  setListOpen(open: boolean): void {
    this.#listOpen = open;
    if (open) this.seqMoved();
  }

  /** Called when the live view's seq changes: refresh the open list, throttled. */
  seqMoved(): void {
    const seq = this.live.view?.seq ?? 0;
    if (!this.#listOpen || this.#stopped || seq === this.#listSeq || this.#timer !== null) return;
    const wait = this.#lastFetch + LIST_EVERY_MS - Date.now();
    if (wait > 0) {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.seqMoved();
      }, wait);
      return;
    }
    void this.#fetchList();
  }

  async #fetchList(): Promise<void> {
    if (this.#fetching) return;
    this.#fetching = true;
    this.#lastFetch = Date.now();
    try {
      const result = await ok(
        client.GET('/api/contests/{id}/standings', {
          params: { path: { id: this.contestId } },
          headers: bearer(this.#token),
        }),
      );
      if (this.#stopped) return;
      this.#list = result.standings;
      this.#listSeq = result.seq;
    } catch {
      // Offline or refused: the list keeps what it had; the next seq move tries again.
    } finally {
      this.#fetching = false;
    }
  }
}
