import type { ConflictException } from '@nestjs/common';
import type { ContestEvent } from '@podium/contest-model';
import type { EntityManager } from 'typeorm';
import { conflictError } from '../common/http-errors.js';
import { keyOf, type IdentifiedEvent } from './event-identity.js';
import type { IngestedEvent } from './dto/ingest.dto.js';
import type { ContestLink, EventsRepository, StoredEventKey } from './events.repository.js';

/** One validated event to store, with who sent it. */
export interface Submission {
  readonly item: IdentifiedEvent;
  readonly author: string | null;
}

/** What one `EventStore.store` call stored and found. */
export interface StoreOutcome {
  /**
   * An all-or-nothing call stored nothing: `unknownParticipants` names why, or `keys` holds only
   * the stored keys its payloads contradict.
   */
  readonly refused: boolean;
  /** The stored key of each submitted key; absent when its participant does not exist. */
  readonly keys: ReadonlyMap<string, StoredEventKey>;
  /** Ids of the events this call inserted. */
  readonly created: ReadonlySet<number>;
  readonly unknownParticipants: ReadonlySet<string>;
  /** Every link of the stored events: new ones just numbered, repeated ones as first given. */
  readonly links: readonly ContestLink[];
  /** `links` by event id, in contest order, for the answers. */
  readonly linksOfEvent: ReadonlyMap<number, readonly ContestLink[]>;
  readonly contestIds: ReadonlySet<string>;
  /**
   * The events this call inserted, by contest, with the sequence number each got there, in
   * sequence order: once committed, the live standings apply them without reading them back.
   */
  readonly linked: ReadonlyMap<string, readonly SequencedEvent[]>;
}

/** An event with its place in a contest's sequence. */
export interface SequencedEvent {
  readonly seq: number;
  readonly event: ContestEvent;
}

/** The bound a contest's totals stay within to be summed exactly (Number.MAX_SAFE_INTEGER). */
const TOTALS_CONSTRAINT = 'contests_totals_exact';

/**
 * The one ingestion path: the batch route, the grouped single-event route, CRM connectors and
 * imports all store through it. One statement inserts the new keys, reads the stored ones,
 * locks and links the contests that count the new events; run outside a transaction it is also
 * the commit. Deciding what a repeat or a conflict answers is left to the caller, which knows
 * whether one conflict fails everything (a batch) or only its own request (a group).
 */
export class EventStore {
  constructor(private readonly events: EventsRepository) {}

  /**
   * `submissions` have distinct keys. Throws a 409 when a contest's totals would be inexact.
   * `allOrNothing`: an unknown participant or a contradicted key stores nothing (a batch);
   * otherwise only their events are left out (a group of single events).
   */
  async store(
    manager: EntityManager,
    submissions: readonly Submission[],
    { allOrNothing }: { allOrNothing: boolean },
  ): Promise<StoreOutcome> {
    // In key order: two calls sharing keys wait for each other's index entries in one order.
    const ordered = [...submissions].sort((a, b) =>
      a.item.key < b.item.key ? -1 : a.item.key > b.item.key ? 1 : 0,
    );
    let rows;
    try {
      rows = await this.events.ingest(
        manager,
        ordered.map(({ item: { canonical, hash }, author }) => ({
          payload: canonical,
          payloadHash: hash,
          author,
        })),
        { allOrNothing },
      );
    } catch (error) {
      throw totalsRefusal(error, 'the events would take a contest past');
    }
    const keys = new Map<string, StoredEventKey>();
    for (const key of [...rows.inserted, ...rows.existing]) {
      keys.set(keyOf(key.source, key.externalId), key);
    }
    const bySubmittedKey = new Map(ordered.map(({ item }) => [item.key, item.event]));
    const insertedEvents = new Map<number, ContestEvent>();
    for (const key of rows.inserted) {
      const event = bySubmittedKey.get(keyOf(key.source, key.externalId));
      if (event !== undefined) insertedEvents.set(key.id, event);
    }
    const linked = new Map<string, SequencedEvent[]>();
    const linksOfEvent = new Map<number, ContestLink[]>();
    // `rows.links` is in contest, then sequence order.
    for (const link of rows.links) {
      const ofEvent = linksOfEvent.get(link.eventId);
      if (ofEvent === undefined) linksOfEvent.set(link.eventId, [link]);
      else ofEvent.push(link);
      const event = insertedEvents.get(link.eventId);
      if (event === undefined) continue;
      let events = linked.get(link.contestId);
      if (events === undefined) linked.set(link.contestId, (events = []));
      events.push({ seq: link.seq, event });
    }
    return {
      refused: rows.refused,
      keys,
      created: new Set(rows.inserted.map((key) => key.id)),
      unknownParticipants: new Set(rows.unknownParticipants),
      links: rows.links,
      linksOfEvent,
      contestIds: new Set(rows.links.map((link) => link.contestId)),
      linked,
    };
  }
}

/** The answer for one stored event: its id and its place in each contest that counts it. */
export function answerOf(key: StoredEventKey, outcome: StoreOutcome): IngestedEvent {
  return {
    id: key.id,
    source: key.source,
    externalId: key.externalId,
    contests: (outcome.linksOfEvent.get(key.id) ?? []).map((link) => ({
      contestId: link.contestId,
      seq: link.seq,
    })),
  };
}

/**
 * The 409 for events whose key is stored with another payload; `index` names a batch's item,
 * null a single event's body.
 */
export function conflictOf(
  conflicts: readonly { readonly item: IdentifiedEvent; readonly index: number | null }[],
): ConflictException {
  return conflictError(
    'payload_mismatch',
    conflicts.map(({ item: { event }, index }) => ({
      path: index === null ? 'externalId' : `[${index}].externalId`,
      message: `"${event.source}"/"${event.externalId}" is already stored with a different payload`,
    })),
    `${conflicts.length} event(s) reuse a source and externalId already stored with a different payload`,
  );
}

/**
 * What to throw for `error` raised while linking events to contests: a 409 saying what `what`
 * would do when it is the contest totals' bound that refused, else the error itself.
 */
export function totalsRefusal(error: unknown, what: string): unknown {
  if (!violates(error, TOTALS_CONSTRAINT)) return error;
  return conflictError(
    'totals_bound',
    [{ path: '', message: 'a contest counting these events would pass the largest exact total' }],
    `${what} 9,007,199,254,740,991 minor units of sales, beyond what its totals add exactly; nothing was stored`,
  );
}

/** A CHECK violation (23514) of the named constraint, as TypeORM or node-postgres throws it. */
function violates(error: unknown, constraint: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, constraint: name } = error as { code?: unknown; constraint?: unknown };
  return code === '23514' && name === constraint;
}
