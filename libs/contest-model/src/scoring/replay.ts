import type { CountedEvent } from '../metrics/counted-event.js';
import {
  addEventToMetrics,
  emptyMetrics,
  type ParticipantMetrics,
} from '../metrics/participant-metrics.js';
import type { Contest, ContestParticipant } from '../rules/contest.js';
import { scoreParticipant, type ParticipantScore } from './score-participant.js';

/** A participant's metrics, score, and when the current total was reached. */
export interface ParticipantState {
  participant: ContestParticipant;
  metrics: ParticipantMetrics;
  score: ParticipantScore;
  /**
   * occurredAt (ms) of the event that last changed the (rounded) total, replaying the counted
   * events in time order; null when no event ever changed it (the total has held since the start,
   * so it ranks as reached earliest).
   */
  reachedAtMs: number | null;
}

/** Replays a participant's counted events (sorted by `compareCountedEvents`) from nothing. */
export function replayParticipant({
  contest,
  participant,
  events,
}: {
  contest: Contest;
  participant: ContestParticipant;
  events: readonly CountedEvent[];
}): ParticipantState {
  const metrics = emptyMetrics();
  let score = scoreParticipant({ contest, participant, metrics });
  let reachedAtMs: number | null = null;
  for (const counted of events) {
    addEventToMetrics({ metrics, event: counted.event });
    const next = scoreParticipant({ contest, participant, metrics });
    if (next.points !== score.points) reachedAtMs = counted.occurredAtMs;
    score = next;
  }
  return { participant, metrics, score, reachedAtMs };
}
