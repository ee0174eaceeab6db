import type { TeamRow } from '@podium/contest-model';
import { bearer, client, ok } from '../api/client.js';

/** Team standings change slowly: a screen reads them again at most this often. */
export const TEAMS_EVERY_MS = 10_000;

/**
 * A contest's team standings as the REST standings serve them (the library's `teamStandings`
 * over every row, which the live view's top rows are too few to recompute), read again when the
 * live seq moves, at most every `everyMs`: the last move inside the window is read at its end, so
 * the screen never stays behind the seq it was told about.
 */
export class FollowedTeams {
  #teams = $state.raw<readonly TeamRow[] | null>(null);
  #seq = -1;
  #wanted = -1;
  #lastFetch = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #fetching = false;
  #stopped = false;

  constructor(
    readonly contestId: string,
    private readonly token: string,
    private readonly everyMs = TEAMS_EVERY_MS,
  ) {}

  /** Null until the first answer. */
  get teams(): readonly TeamRow[] | null {
    return this.#teams;
  }

  /** The live view's seq is now `seq`: read again if the answer held is older. */
  seqMoved(seq: number): void {
    this.#wanted = Math.max(this.#wanted, seq);
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #schedule(): void {
    if (this.#stopped || this.#timer !== null || this.#fetching) return;
    if (this.#teams !== null && this.#wanted <= this.#seq) return;
    const wait = this.#lastFetch + this.everyMs - Date.now();
    if (wait > 0) {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.#schedule();
      }, wait);
      return;
    }
    void this.#fetch();
  }

  async #fetch(): Promise<void> {
    this.#fetching = true;
    this.#lastFetch = Date.now();
    try {
      const result = await ok(
        client.GET('/api/contests/{id}/standings', {
          params: { path: { id: this.contestId } },
          headers: bearer(this.token),
        }),
      );
      if (this.#stopped) return;
      this.#teams = result.teams;
      this.#seq = result.seq;
    } catch {
      // Offline or refused: the screen keeps what it had; the next seq move tries again.
      return;
    } finally {
      this.#fetching = false;
    }
    // A move seen while reading: read again once the window allows.
    this.#schedule();
  }
}
