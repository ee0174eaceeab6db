import type { Contest } from '../rules/contest.js';
import type { ContestEvent } from '../rules/event.schema.js';
import { parseInstant } from '../rules/period.js';
import { eventKey, reversedKey, type CountedEvent } from './counted-event.js';

/** What applying one event did. */
export type LedgerStatus =
  /** The event now counts for its participant. */
  | 'counted'
  /** A reversal that cancelled an event which counted until now. */
  | 'reversed'
  /** A reversal whose event has not arrived (or does not count); it will be cancelled on arrival. */
  | 'reversalPending'
  /** An event whose reversal arrived first: it never counts. */
  | 'cancelled'
  /** The same `(source, externalId)` with the same payload was applied before. */
  | 'duplicate'
  /** The same `(source, externalId)` with a different payload: ignored, the first one stands. */
  | 'conflict'
  | 'outsidePeriod'
  | 'unknownParticipant';

export interface LedgerOutcome {
  status: LedgerStatus;
  /** The event that started counting. */
  added?: CountedEvent;
  /** The event that stopped counting. */
  removed?: CountedEvent;
}

/**
 * Incremental form of `resolveCountedEvents`: takes events one at a time, in any order, and says
 * which event starts or stops counting. O(1) per event (hash maps).
 */
export class EventLedger {
  readonly #contest: Contest;
  /** Every event applied, by key, to tell a replay from a conflicting payload. */
  readonly #seen = new Map<string, ContestEvent>();
  readonly #counted = new Map<string, CountedEvent>();
  readonly #reversed = new Set<string>();

  constructor({ contest }: { contest: Contest }) {
    this.#contest = contest;
  }

  apply(event: ContestEvent): LedgerOutcome {
    const key = eventKey(event);
    const seen = this.#seen.get(key);
    if (seen !== undefined) {
      return { status: canonicalJson(seen) === canonicalJson(event) ? 'duplicate' : 'conflict' };
    }
    this.#seen.set(key, event);
    const occurredAtMs = parseInstant(event.occurredAt);
    if (occurredAtMs < this.#contest.startMs || occurredAtMs >= this.#contest.endMs) {
      return { status: 'outsidePeriod' };
    }
    if (event.type === 'reversal') {
      const target = reversedKey(event);
      this.#reversed.add(target);
      const removed = this.#counted.get(target);
      if (removed === undefined) return { status: 'reversalPending' };
      this.#counted.delete(target);
      return { status: 'reversed', removed };
    }
    if (!this.#contest.participantsById.has(event.participantId)) {
      return { status: 'unknownParticipant' };
    }
    if (this.#reversed.has(key)) {
      return { status: 'cancelled' };
    }
    const added: CountedEvent = { key, occurredAtMs, event };
    this.#counted.set(key, added);
    return { status: 'counted', added };
  }
}

/** JSON with sorted keys, so the same payload compares equal whatever its key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : inner,
  );
}
