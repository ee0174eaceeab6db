import { messageOf } from '../api.js';
import { client, ok, type Schemas } from '../api/client.js';
import type { Role } from './session.svelte.js';

type ContestSummary = Schemas['ContestSummary'];

/** A contest on the dashboard: its summary, and once its standings are read, fund and leader. */
export interface DashboardContest {
  readonly contest: ContestSummary;
  /** Whether its standings are in (a scheduled contest has none to read). */
  readonly loaded: boolean;
  readonly fundMinor: number | null;
  readonly leader: { readonly name: string; readonly points: number } | null;
}

/** Something a staff member should act on, with where to do it. */
export type DashboardAlert =
  | { readonly kind: 'sync'; readonly alert: Schemas['SyncAlert'] }
  | { readonly kind: 'checkpoint'; readonly contest: ContestSummary; readonly number: number }
  | { readonly kind: 'draft' | 'scheduled'; readonly contest: ContestSummary };

const STAFF: readonly Role[] = ['admin', 'director', 'manager'];
/** Those who publish checkpoints (the API's operators). */
const OPERATORS: readonly Role[] = ['admin', 'manager'];
/** Those who simulate and launch drafts (the API's designers). */
const DESIGNERS: readonly Role[] = ['admin', 'director'];

/** Running and launched contests: what the dashboard lists. */
const SHOWN = new Set<ContestSummary['state']>(['live', 'closing', 'scheduled']);

/**
 * The home page's dashboard for a signed-in role: the live and upcoming contests with their fund
 * and leader, and for staff what needs attention — a CRM failing its syncs, a checkpoint to
 * publish, a contest waiting to be launched or to start. Each part loads on its own, so one
 * refusal leaves the others on screen.
 */
export class HomeDashboard {
  #contests = $state<ContestSummary[] | null>(null);
  #standings = $state<Record<string, Schemas['Standings']>>({});
  #syncAlerts = $state<Schemas['SyncAlert'][]>([]);
  #unpublished = $state<Record<string, number[]>>({});
  #error = $state<string | null>(null);
  readonly #role: Role;

  constructor(role: Role) {
    this.#role = role;
  }

  get error(): string | null {
    return this.#error;
  }

  get loaded(): boolean {
    return this.#contests !== null;
  }

  /** Live first, then by the nearest end (running) or start (scheduled). */
  get contests(): DashboardContest[] {
    const rank = (state: ContestSummary['state']) => (state === 'scheduled' ? 1 : 0);
    return (this.#contests ?? [])
      .filter((contest) => SHOWN.has(contest.state))
      .sort(
        (a, b) =>
          rank(a.state) - rank(b.state) ||
          (a.state === 'scheduled'
            ? a.period.start.localeCompare(b.period.start)
            : a.period.end.localeCompare(b.period.end)),
      )
      .map((contest) => {
        const standings = this.#standings[contest.id];
        const first = standings?.standings.find((row) => row.rank === 1 && row.points > 0);
        return {
          contest,
          loaded: standings !== undefined || contest.state === 'scheduled',
          fundMinor: standings?.fundMinor ?? null,
          leader: first ? { name: first.name, points: first.points } : null,
        };
      });
  }

  get alerts(): DashboardAlert[] {
    if (!STAFF.includes(this.#role)) return [];
    const contests = this.#contests ?? [];
    const alerts: DashboardAlert[] = this.#syncAlerts.map((alert) => ({ kind: 'sync', alert }));
    for (const contest of contests) {
      for (const number of this.#unpublished[contest.id] ?? []) {
        alerts.push({ kind: 'checkpoint', contest, number });
      }
    }
    if (DESIGNERS.includes(this.#role)) {
      for (const contest of contests.filter((one) => one.state === 'draft')) {
        alerts.push({ kind: 'draft', contest });
      }
    }
    for (const contest of contests.filter((one) => one.state === 'scheduled')) {
      alerts.push({ kind: 'scheduled', contest });
    }
    return alerts;
  }

  /** Loads everything; answers when the contests list is in (the rest follows). */
  async load(): Promise<void> {
    this.#error = null;
    if (STAFF.includes(this.#role)) {
      ok(client.GET('/api/integrations/sync-alerts')).then(
        (alerts) => (this.#syncAlerts = alerts),
        // A hint, not the dashboard: without it the rest still shows.
        () => (this.#syncAlerts = []),
      );
    }
    try {
      this.#contests = await ok(client.GET('/api/contests'));
    } catch (failure) {
      this.#error = messageOf(failure);
      return;
    }
    for (const contest of this.#contests) {
      const params = { params: { path: { id: contest.id } } };
      if (SHOWN.has(contest.state) && contest.state !== 'scheduled') {
        ok(client.GET('/api/contests/{id}/standings', params)).then(
          (standings) => (this.#standings[contest.id] = standings),
          () => undefined,
        );
      }
      if (OPERATORS.includes(this.#role) && contest.state !== 'draft') {
        ok(client.GET('/api/contests/{id}/checkpoints', params)).then(
          (checkpoints) =>
            (this.#unpublished[contest.id] = checkpoints
              .filter((checkpoint) => checkpoint.publishedAt === null)
              .map((checkpoint) => checkpoint.number)),
          () => undefined,
        );
      }
    }
  }
}
