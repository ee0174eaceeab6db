import type { ContestEvent } from '../rules/event.schema.js';
import type { MetricEvent } from './participant-metrics.js';

/** An event that counts for a participant, with its parsed time and idempotency key. */
export interface CountedEvent {
  key: string;
  occurredAtMs: number;
  event: MetricEvent;
}

/** The idempotency key of an event: `(source, externalId)`. */
export function eventKey({ source, externalId }: { source: string; externalId: string }): string {
  return `${source}\u0000${externalId}`;
}

/** The key of the event a reversal cancels: same source, `reversesExternalId`. */
export function reversedKey(event: Extract<ContestEvent, { type: 'reversal' }>): string {
  return eventKey({ source: event.source, externalId: event.reversesExternalId });
}

/**
 * Time order of a participant's events; equal times fall back to the key so the order, and with
 * it the tie-break time, never depends on arrival order.
 */
export function compareCountedEvents(a: CountedEvent, b: CountedEvent): number {
  if (a.occurredAtMs !== b.occurredAtMs) return a.occurredAtMs - b.occurredAtMs;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
