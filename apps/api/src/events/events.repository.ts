import { Injectable } from '@nestjs/common';
import type { ContestEvent } from '@podium/contest-model';
import { DataSource, type EntityManager } from 'typeorm';
import { queryOne, queryRows, safeInteger } from '../database/sql.js';

/**
 * An event to store: its payload as JSON (the columns source, externalId, type, participantId and
 * occurredAt are read from it), the hash of its canonical form, and who sent it.
 */
export interface NewEventRow {
  readonly payload: string;
  readonly payloadHash: string;
  readonly author: string | null;
}

export interface StoredEventKey {
  readonly id: number;
  readonly source: string;
  readonly externalId: string;
  readonly payloadHash: string;
}

export interface ContestLink {
  readonly contestId: string;
  readonly seq: number;
  readonly eventId: number;
}

/**
 * What `ingest` stored and found; `links` by contest, then sequence. `refused`: an all-or-nothing
 * call stored nothing, and `unknownParticipants` or `existing` (the keys stored with another
 * payload) say why.
 */
export interface IngestedRows {
  readonly refused: boolean;
  readonly inserted: StoredEventKey[];
  readonly existing: StoredEventKey[];
  readonly unknownParticipants: string[];
  readonly links: ContestLink[];
}

/** What `ingest_events` raises when it refuses an all-or-nothing call (its migration says more). */
const UNKNOWN_PARTICIPANTS = 'PI404';
const CONTRADICTED_KEYS = 'PI409';

/** A row of `ingest_events`, as `ingest_event_rows` answers it (ids and seqs as strings). */
type IngestRow = [
  kind: 'new' | 'old' | 'unknown' | 'link',
  id: string | null,
  source: string | null,
  externalId: string | null,
  payloadHash: string | null,
  contestId: string | null,
  seq: string | null,
];

export interface FeedEvent {
  readonly seq: number;
  readonly id: number;
  readonly author: string | null;
  readonly receivedAt: string;
  readonly event: ContestEvent;
}

/** The append-only event log and the per-contest sequence that orders it for each contest. */
@Injectable()
export class EventsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private db(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  async existingParticipants(
    ids: readonly string[],
    manager?: EntityManager,
  ): Promise<Set<string>> {
    const rows = await queryRows<{ id: string }>(
      this.db(manager),
      'SELECT id FROM participants WHERE id = ANY($1::text[])',
      [ids],
    );
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Stores the rows (unique keys, in key order) in one statement — see the `ingest_events` and
   * `ingest_event_rows` migrations: inserts the new keys, reads the stored ones, locks and links the contests that
   * count the new events. Outside a transaction it is also one commit. `allOrNothing`: an unknown
   * participant or a key stored with another payload stores nothing (`refused`); otherwise their
   * events are left out and the rest is stored.
   */
  async ingest(
    manager: EntityManager,
    rows: readonly NewEventRow[],
    { allOrNothing }: { allOrNothing: boolean },
  ): Promise<IngestedRows> {
    const outcome: IngestedRows = {
      refused: false,
      inserted: [],
      existing: [],
      unknownParticipants: [],
      links: [],
    };
    if (rows.length === 0) return outcome;
    let answer: IngestRow[];
    try {
      // The payloads as one JSON array: no per-element quoting on either side.
      const result = await queryOne<{ rows: string }>(
        manager,
        'SELECT ingest_event_rows($1::jsonb, $2::text[], $3::text[], $4::boolean) AS rows',
        [
          `[${rows.map((row) => row.payload).join(',')}]`,
          rows.map((row) => row.payloadHash),
          rows.map((row) => row.author),
          allOrNothing,
        ],
      );
      if (result === null) throw new Error('ingest_event_rows answered no row');
      answer = JSON.parse(result.rows) as IngestRow[];
    } catch (error) {
      const refusal = refusalOf(error);
      if (refusal === null) throw error;
      return { ...outcome, refused: true, ...refusal };
    }
    for (const [kind, id, source, externalId, payloadHash, contestId, seq] of answer) {
      if (kind === 'unknown') outcome.unknownParticipants.push(source as string);
      else if (kind === 'link') {
        outcome.links.push({
          contestId: contestId as string,
          seq: safeInteger(seq as string, 'seq'),
          eventId: safeInteger(id as string, 'id'),
        });
      } else {
        const key = toKey({
          id: id as string,
          source: source as string,
          external_id: externalId as string,
          payload_hash: payloadHash as string,
        });
        (kind === 'new' ? outcome.inserted : outcome.existing).push(key);
      }
    }
    outcome.links.sort((a, b) =>
      a.contestId === b.contestId ? a.seq - b.seq : a.contestId < b.contestId ? -1 : 1,
    );
    return outcome;
  }

  async findKeys(
    keys: readonly { source: string; externalId: string }[],
    manager?: EntityManager,
  ): Promise<StoredEventKey[]> {
    if (keys.length === 0) return [];
    const rows = await queryRows<{
      id: string;
      source: string;
      external_id: string;
      payload_hash: string;
    }>(
      this.db(manager),
      `SELECT e.id, e.source, e.external_id, e.payload_hash
         FROM unnest($1::text[], $2::text[]) AS k(source, external_id)
         JOIN events e USING (source, external_id)`,
      [keys.map((key) => key.source), keys.map((key) => key.externalId)],
    );
    return rows.map(toKey);
  }

  /**
   * Gives the contest's next sequence numbers to those of `eventIds` that belong to it and are
   * not linked yet, in event id order (a launch's backfill). The contest row must be locked by
   * this transaction.
   */
  async link(
    manager: EntityManager,
    contestId: string,
    eventIds: readonly number[],
  ): Promise<ContestLink[]> {
    const rows = await queryRows<{ event_id: string; seq: string }>(
      manager,
      'SELECT event_id, seq FROM link_contest_events($1::uuid, $2::bigint[]) ORDER BY seq',
      [contestId, eventIds],
    );
    return rows.map((row) => ({
      contestId,
      seq: safeInteger(row.seq, 'seq'),
      eventId: safeInteger(row.event_id, 'event_id'),
    }));
  }

  /** Every event of the contest's participants inside its period, for a launch's backfill. */
  async eventIdsForContest(manager: EntityManager, contestId: string): Promise<number[]> {
    const rows = await queryRows<{ id: string }>(
      manager,
      `SELECT e.id FROM events e
       JOIN contest_participants cp ON cp.participant_id = e.participant_id AND cp.contest_id = $1
       JOIN contests c ON c.id = $1
       WHERE e.occurred_at >= c.period_start AND e.occurred_at < c.period_end
       ORDER BY e.id`,
      [contestId],
    );
    return rows.map((row) => safeInteger(row.id, 'id'));
  }

  async linksOf(eventIds: readonly number[], manager?: EntityManager): Promise<ContestLink[]> {
    if (eventIds.length === 0) return [];
    const rows: { contest_id: string; seq: string; event_id: string }[] = await this.db(
      manager,
    ).query(
      `SELECT contest_id, seq, event_id FROM contest_events
       WHERE event_id = ANY($1::bigint[]) ORDER BY contest_id, seq`,
      [eventIds],
    );
    return rows.map((row) => ({
      contestId: row.contest_id,
      seq: safeInteger(row.seq as string, 'seq'),
      eventId: safeInteger(row.event_id, 'event_id'),
    }));
  }

  /** The contest's events after `afterSeq`, in sequence order. */
  async contestEventsAfter(
    contestId: string,
    afterSeq: number,
    limit: number,
  ): Promise<{ seq: number; event: ContestEvent }[]> {
    const rows = await queryRows<{ seq: string; payload: ContestEvent }>(
      this.dataSource,
      `SELECT ce.seq, e.payload FROM contest_events ce JOIN events e ON e.id = ce.event_id
       WHERE ce.contest_id = $1 AND ce.seq > $2 ORDER BY ce.seq LIMIT $3`,
      [contestId, afterSeq, limit],
    );
    return rows.map((row) => ({ seq: safeInteger(row.seq, 'seq'), event: row.payload }));
  }

  /** The newest events of a contest, newest first: the manager's feed. */
  async feed(
    contestId: string,
    { beforeSeq, limit }: { beforeSeq: number | null; limit: number },
  ): Promise<FeedEvent[]> {
    const rows = await queryRows<{
      seq: string;
      id: string;
      author: string | null;
      received_at: Date;
      payload: ContestEvent;
    }>(
      this.dataSource,
      `SELECT ce.seq, e.id, e.author, e.received_at, e.payload
         FROM contest_events ce JOIN events e ON e.id = ce.event_id
         WHERE ce.contest_id = $1 AND ($2::bigint IS NULL OR ce.seq < $2)
         ORDER BY ce.seq DESC LIMIT $3`,
      [contestId, beforeSeq, limit],
    );
    return rows.map((row) => ({
      seq: safeInteger(row.seq as string, 'seq'),
      id: safeInteger(row.id, 'id'),
      author: row.author,
      receivedAt: row.received_at.toISOString(),
      event: row.payload,
    }));
  }

  async findById(
    id: number,
    manager?: EntityManager,
  ): Promise<{ id: number; event: ContestEvent } | null> {
    const rows = await queryRows<{ id: string; payload: ContestEvent }>(
      this.db(manager),
      'SELECT id, payload FROM events WHERE id = $1',
      [id],
    );
    const row = rows[0];
    return row ? { id: safeInteger(row.id, 'id'), event: row.payload } : null;
  }
}

function toKey(row: {
  id: string;
  source: string;
  external_id: string;
  payload_hash: string;
}): StoredEventKey {
  return {
    id: safeInteger(row.id, 'id'),
    source: row.source,
    externalId: row.external_id,
    payloadHash: row.payload_hash,
  };
}

/**
 * What an all-or-nothing `ingest_events` refused, read from its error's DETAIL; null for any
 * other error.
 */
function refusalOf(error: unknown): Pick<IngestedRows, 'unknownParticipants' | 'existing'> | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, detail } = error as { code?: unknown; detail?: unknown };
  if (typeof detail !== 'string') return null;
  if (code === UNKNOWN_PARTICIPANTS) {
    return { unknownParticipants: JSON.parse(detail) as string[], existing: [] };
  }
  if (code === CONTRADICTED_KEYS) {
    const keys = JSON.parse(detail) as [number, string, string, string][];
    return {
      unknownParticipants: [],
      existing: keys.map(([id, source, externalId, payloadHash]) => ({
        id,
        source,
        externalId,
        payloadHash,
      })),
    };
  }
  return null;
}
