import { Injectable } from '@nestjs/common';
import type { ContestEvent } from '@podium/contest-model';
import { DataSource, type EntityManager } from 'typeorm';

export interface NewEventRow {
  readonly source: string;
  readonly externalId: string;
  readonly type: ContestEvent['type'];
  readonly participantId: string;
  readonly occurredAt: string;
  readonly payload: ContestEvent;
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

export interface LockedContest {
  readonly id: string;
  readonly state: string;
  readonly periodStart: Date;
  readonly periodEnd: Date;
  readonly lastSeq: number;
}

export interface FeedEvent {
  readonly seq: number;
  readonly id: number;
  readonly author: string | null;
  readonly receivedAt: string;
  readonly event: ContestEvent;
}

/** States in which a contest counts incoming events. */
export { COUNTING_STATES } from '@podium/contest-model';

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
    const rows: { id: string }[] = await this.db(manager).query(
      'SELECT id FROM participants WHERE id = ANY($1::text[])',
      [ids],
    );
    return new Set(rows.map((row) => row.id));
  }

  /** Inserts the rows whose key is new; answers the keys it inserted. */
  async insertNew(manager: EntityManager, rows: readonly NewEventRow[]): Promise<StoredEventKey[]> {
    if (rows.length === 0) return [];
    const inserted: { id: string; source: string; external_id: string; payload_hash: string }[] =
      await manager.query(
        `INSERT INTO events (source, external_id, type, participant_id, occurred_at, payload, payload_hash, author)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::jsonb[], $7::text[], $8::text[])
         ON CONFLICT (source, external_id) DO NOTHING
         RETURNING id, source, external_id, payload_hash`,
        [
          rows.map((row) => row.source),
          rows.map((row) => row.externalId),
          rows.map((row) => row.type),
          rows.map((row) => row.participantId),
          rows.map((row) => row.occurredAt),
          rows.map((row) => JSON.stringify(row.payload)),
          rows.map((row) => row.payloadHash),
          rows.map((row) => row.author),
        ],
      );
    return inserted.map(toKey);
  }

  async findKeys(
    keys: readonly { source: string; externalId: string }[],
    manager?: EntityManager,
  ): Promise<StoredEventKey[]> {
    if (keys.length === 0) return [];
    const rows: { id: string; source: string; external_id: string; payload_hash: string }[] =
      await this.db(manager).query(
        `SELECT e.id, e.source, e.external_id, e.payload_hash
         FROM unnest($1::text[], $2::text[]) AS k(source, external_id)
         JOIN events e USING (source, external_id)`,
        [keys.map((key) => key.source), keys.map((key) => key.externalId)],
      );
    return rows.map(toKey);
  }

  /**
   * Contests (of any state but closed) whose period holds one of these events and whose
   * participants include its author, locked FOR UPDATE in id order. The lock orders this batch
   * against a launch or a state change of the same contest, so no event falls between a
   * launch's backfill and the batches that follow it, and it serialises the sequence.
   */
  async lockCandidateContests(
    manager: EntityManager,
    eventIds: readonly number[],
  ): Promise<LockedContest[]> {
    if (eventIds.length === 0) return [];
    // One statement: the candidates (read from the snapshot before the lock wait, as a separate
    // query would) and then their rows as they are once locked. Driven by the event ids through
    // the primary key, so its cost follows the batch, not the contest's history.
    const rows: LockedRow[] = await manager.query(
      `SELECT id, state, period_start, period_end, last_seq FROM contests
        WHERE id IN (
          SELECT m.contest_id
          FROM unnest($1::bigint[]) AS batch(id)
          CROSS JOIN LATERAL (
            SELECT cp.contest_id
            FROM events e
            JOIN contest_participants cp ON cp.participant_id = e.participant_id
            JOIN contests c ON c.id = cp.contest_id
            WHERE e.id = batch.id AND c.state <> 'closed'
              AND e.occurred_at >= c.period_start AND e.occurred_at < c.period_end
            OFFSET 0
          ) m)
        ORDER BY id FOR UPDATE`,
      [eventIds],
    );
    return rows.map(toLocked);
  }

  async lockContests(
    manager: EntityManager,
    contestIds: readonly string[],
  ): Promise<LockedContest[]> {
    const rows: LockedRow[] = await manager.query(
      `SELECT id, state, period_start, period_end, last_seq FROM contests
         WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [contestIds],
    );
    return rows.map(toLocked);
  }

  /**
   * Gives the contest's next sequence numbers to those of `eventIds` that belong to it and are
   * not linked yet, in event id order. The contest row must be locked by this transaction.
   */
  async link(
    manager: EntityManager,
    contestId: string,
    eventIds: readonly number[],
  ): Promise<ContestLink[]> {
    // Runs while the contest row is locked, so it is the serial part of ingestion: it starts from
    // the given ids (primary-key probes) and checks each event's participant with one probe of
    // contest_participants, rather than walking the events of every participant of the contest.
    const rows: { event_id: string; seq: string }[] = await manager.query(
      `WITH matching AS MATERIALIZED (
         SELECT m.id
         FROM contests c
         CROSS JOIN unnest($2::bigint[]) AS batch(id)
         CROSS JOIN LATERAL (
           -- OFFSET 0 keeps this subquery apart: per id, one probe of each unique index
           -- whatever the statistics of tables filled a moment ago say.
           SELECT e.id
           FROM events e
           JOIN contest_participants cp ON cp.contest_id = c.id AND cp.participant_id = e.participant_id
           WHERE e.id = batch.id
             AND e.occurred_at >= c.period_start AND e.occurred_at < c.period_end
             AND NOT EXISTS (SELECT 1 FROM contest_events ce WHERE ce.contest_id = c.id AND ce.event_id = e.id)
           OFFSET 0
         ) m
         WHERE c.id = $1
       ), numbered AS (
         SELECT id, row_number() OVER (ORDER BY id) AS n FROM matching
       ), bumped AS (
         UPDATE contests SET last_seq = last_seq + (SELECT count(*) FROM numbered), updated_at = now()
         WHERE id = $1
         RETURNING last_seq - (SELECT count(*) FROM numbered) AS base
       )
       INSERT INTO contest_events (contest_id, seq, event_id)
       SELECT $1, bumped.base + numbered.n, numbered.id FROM numbered, bumped
       RETURNING event_id, seq`,
      [contestId, eventIds],
    );
    return rows
      .map((row) => ({ contestId, seq: Number(row.seq), eventId: Number(row.event_id) }))
      .sort((a, b) => a.seq - b.seq);
  }

  /** Every event of the contest's participants inside its period, for a launch's backfill. */
  async eventIdsForContest(manager: EntityManager, contestId: string): Promise<number[]> {
    const rows: { id: string }[] = await manager.query(
      `SELECT e.id FROM events e
       JOIN contest_participants cp ON cp.participant_id = e.participant_id AND cp.contest_id = $1
       JOIN contests c ON c.id = $1
       WHERE e.occurred_at >= c.period_start AND e.occurred_at < c.period_end
       ORDER BY e.id`,
      [contestId],
    );
    return rows.map((row) => Number(row.id));
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
      seq: Number(row.seq),
      eventId: Number(row.event_id),
    }));
  }

  /** The contest's events after `afterSeq`, in sequence order. */
  async contestEventsAfter(
    contestId: string,
    afterSeq: number,
    limit: number,
  ): Promise<{ seq: number; event: ContestEvent }[]> {
    const rows: { seq: string; payload: ContestEvent }[] = await this.dataSource.query(
      `SELECT ce.seq, e.payload FROM contest_events ce JOIN events e ON e.id = ce.event_id
       WHERE ce.contest_id = $1 AND ce.seq > $2 ORDER BY ce.seq LIMIT $3`,
      [contestId, afterSeq, limit],
    );
    return rows.map((row) => ({ seq: Number(row.seq), event: row.payload }));
  }

  /** The newest events of a contest, newest first: the manager's feed. */
  async feed(
    contestId: string,
    { beforeSeq, limit }: { beforeSeq: number | null; limit: number },
  ): Promise<FeedEvent[]> {
    const rows: {
      seq: string;
      id: string;
      author: string | null;
      received_at: Date;
      payload: ContestEvent;
    }[] = await this.dataSource.query(
      `SELECT ce.seq, e.id, e.author, e.received_at, e.payload
         FROM contest_events ce JOIN events e ON e.id = ce.event_id
         WHERE ce.contest_id = $1 AND ($2::bigint IS NULL OR ce.seq < $2)
         ORDER BY ce.seq DESC LIMIT $3`,
      [contestId, beforeSeq, limit],
    );
    return rows.map((row) => ({
      seq: Number(row.seq),
      id: Number(row.id),
      author: row.author,
      receivedAt: row.received_at.toISOString(),
      event: row.payload,
    }));
  }

  async findById(
    id: number,
    manager?: EntityManager,
  ): Promise<{ id: number; event: ContestEvent } | null> {
    const rows: { id: string; payload: ContestEvent }[] = await this.db(manager).query(
      'SELECT id, payload FROM events WHERE id = $1',
      [id],
    );
    const row = rows[0];
    return row ? { id: Number(row.id), event: row.payload } : null;
  }
}

interface LockedRow {
  id: string;
  state: string;
  period_start: Date;
  period_end: Date;
  last_seq: string;
}

function toLocked(row: LockedRow): LockedContest {
  return {
    id: row.id,
    state: row.state,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    lastSeq: Number(row.last_seq),
  };
}

function toKey(row: {
  id: string;
  source: string;
  external_id: string;
  payload_hash: string;
}): StoredEventKey {
  return {
    id: Number(row.id),
    source: row.source,
    externalId: row.external_id,
    payloadHash: row.payload_hash,
  };
}
