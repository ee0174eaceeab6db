import type { Contest } from '../rules/contest.js';
import type { ContestEvent } from '../rules/event.schema.js';
import { parseInstant } from '../rules/period.js';
import { compareCountedEvents, eventKey, reversedKey, type CountedEvent } from './counted-event.js';

/**
 * The events that count, per participant, in time order — the reference definition, used by
 * `evaluate` on a whole list at once:
 * - only events with `occurredAt` in [start, end) (and before `untilMs`, for interim results);
 * - a repeated `(source, externalId)` counts once;
 * - a reversal dated from the start on (after the end too: a sale of the period cancelled late
 *   still belongs to the contest, DESIGN §3.8; before `untilMs` for interim results) cancels the
 *   event `(source, reversesExternalId)`, whichever of the two is listed first; reversals
 *   themselves never count, and cannot be undone;
 * - events of participants not in the contest are ignored.
 * `EventLedger` is the incremental equivalent (checked against this by property tests).
 */
export function resolveCountedEvents({
  contest,
  events,
  untilMs,
}: {
  contest: Contest;
  events: readonly ContestEvent[];
  untilMs?: number | undefined;
}): Map<string, CountedEvent[]> {
  const windowEndMs = Math.min(contest.endMs, untilMs ?? Number.POSITIVE_INFINITY);
  const inWindow = (ms: number): boolean => ms >= contest.startMs && ms < windowEndMs;
  const firstByKey = new Map<string, { event: ContestEvent; occurredAtMs: number }>();
  for (const event of events) {
    const key = eventKey(event);
    if (!firstByKey.has(key)) {
      firstByKey.set(key, { event, occurredAtMs: parseInstant(event.occurredAt) });
    }
  }
  const reversed = new Set<string>();
  for (const { event, occurredAtMs } of firstByKey.values()) {
    const reversalCounts = occurredAtMs >= contest.startMs && occurredAtMs < (untilMs ?? Infinity);
    if (event.type === 'reversal' && reversalCounts) {
      reversed.add(reversedKey(event));
    }
  }
  const byParticipant = new Map<string, CountedEvent[]>();
  for (const [key, { event, occurredAtMs }] of firstByKey) {
    if (event.type === 'reversal' || !inWindow(occurredAtMs) || reversed.has(key)) continue;
    if (!contest.participantsById.has(event.participantId)) continue;
    const list = byParticipant.get(event.participantId) ?? [];
    list.push({ key, occurredAtMs, event });
    byParticipant.set(event.participantId, list);
  }
  for (const list of byParticipant.values()) {
    list.sort(compareCountedEvents);
  }
  return byParticipant;
}
