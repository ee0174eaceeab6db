import type { ContestEvent } from '@podium/contest-model';
import { canonicalJson, sha256Hex } from '../common/canonical-json.js';

/** The idempotency key of an event, `source\0externalId`, as a map key. */
export const keyOf = (source: string, externalId: string) => `${source}\u0000${externalId}`;

/** A validated event with its key and the hash of its canonical payload (replay vs conflict). */
export interface IdentifiedEvent {
  readonly event: ContestEvent;
  readonly hash: string;
  readonly key: string;
}

export function identify(event: ContestEvent): IdentifiedEvent {
  return {
    event,
    hash: sha256Hex(canonicalJson(event)),
    key: keyOf(event.source, event.externalId),
  };
}
