import { hash } from 'node:crypto';
import type { ContestEvent } from '@podium/contest-model';
import { canonicalJson } from '../common/canonical-json.js';

/** The idempotency key of an event, `source\0externalId`, as a map key. */
export const keyOf = (source: string, externalId: string) => `${source}\u0000${externalId}`;

/** A validated event with its key and the hash of its canonical payload (replay vs conflict). */
export interface IdentifiedEvent {
  readonly event: ContestEvent;
  /** The payload as canonical JSON: hashed, and sent as is to be stored (one serialisation). */
  readonly canonical: string;
  /** sha256 of `canonical`, hex (what `sha256Hex` of common/canonical-json.ts gives). */
  readonly hash: string;
  readonly key: string;
}

export function identify(event: ContestEvent): IdentifiedEvent {
  const canonical = canonicalJson(event);
  return {
    event,
    canonical,
    // One-shot hash: no Hash object per event.
    hash: hash('sha256', canonical, 'hex'),
    key: keyOf(event.source, event.externalId),
  };
}
