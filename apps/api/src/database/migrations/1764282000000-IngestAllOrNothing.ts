import type { MigrationInterface, QueryRunner } from 'typeorm';
import { INGEST_EVENTS } from './1764281000000-IngestFunction.js';

/**
 * `ingest_events` can refuse a whole call: with `p_all_or_nothing` it raises instead of answering
 * when a participant is unknown (`PI404`) or a key is stored with another payload (`PI409`), so
 * the statement stores nothing and a batch needs no transaction around it. The one statement is
 * then also the batch's commit, and the contest row lock it takes is released by that commit
 * instead of being held while the answer travels to the API and a `COMMIT` comes back.
 *
 * The error's DETAIL says what was refused, as JSON: the unknown participant ids, or
 * `[id, source, external_id, payload_hash]` of each stored key the call's payload contradicts.
 * Without the flag the function answers as before (a group of single events decides each one on
 * its own).
 */
/**
 * `ingest_events` as this migration creates it (the `LateCancellations` migration replaces it and
 * restores it on the way down).
 */
export const INGEST_EVENTS_ALL_OR_NOTHING = `
      CREATE FUNCTION ingest_events(
          p_source text[], p_external_id text[], p_type text[], p_participant text[],
          p_occurred_at timestamptz[], p_payload jsonb[], p_hash text[], p_author text[],
          p_all_or_nothing boolean)
        RETURNS TABLE (kind text, id bigint, source text, external_id text, payload_hash text,
                       contest_id uuid, seq bigint)
        LANGUAGE plpgsql AS $$
        #variable_conflict use_column
        DECLARE
          unknown text[];
          refused json;
          new_ids bigint[];
          new_sources text[];
          new_external_ids text[];
          new_hashes text[];
          old_ids bigint[];
          counting uuid[];
          contest uuid;
        BEGIN
          SELECT coalesce(array_agg(p.pid), '{}') INTO unknown
            FROM (SELECT DISTINCT unnest(p_participant) AS pid) p
           WHERE NOT EXISTS (SELECT 1 FROM participants WHERE participants.id = p.pid);
          IF p_all_or_nothing AND cardinality(unknown) > 0 THEN
            RAISE EXCEPTION 'unknown participants' USING ERRCODE = 'PI404', DETAIL = to_json(unknown)::text;
          END IF;
          RETURN QUERY
            SELECT 'unknown', NULL::bigint, u.pid, NULL::text, NULL::text, NULL::uuid, NULL::bigint
              FROM unnest(unknown) AS u(pid);

          -- In the order given (the caller sorts by key): two calls sharing keys wait for each
          -- other's unique index entries in the same order, so they cannot deadlock.
          WITH inserted AS (
            INSERT INTO events (source, external_id, type, participant_id, occurred_at, payload, payload_hash, author)
            SELECT r.* FROM unnest(p_source, p_external_id, p_type, p_participant, p_occurred_at,
                                   p_payload, p_hash, p_author)
                   AS r(source, external_id, type, participant_id, occurred_at, payload, payload_hash, author)
             WHERE EXISTS (SELECT 1 FROM participants WHERE participants.id = r.participant_id)
            ON CONFLICT (source, external_id) DO NOTHING
            RETURNING events.id, events.source, events.external_id, events.payload_hash
          )
          SELECT coalesce(array_agg(i.id ORDER BY i.id), '{}'), array_agg(i.source ORDER BY i.id),
                 array_agg(i.external_id ORDER BY i.id), array_agg(i.payload_hash ORDER BY i.id)
            INTO new_ids, new_sources, new_external_ids, new_hashes
            FROM inserted i;

          RETURN QUERY
            SELECT 'new', n.id, n.source, n.external_id, n.payload_hash, NULL::uuid, NULL::bigint
              FROM unnest(new_ids, new_sources, new_external_ids, new_hashes)
                   AS n(id, source, external_id, payload_hash);

          IF cardinality(new_ids) < cardinality(p_source) THEN
            IF p_all_or_nothing THEN
              -- Before any contest is locked: a refused call takes no lock it does not need.
              SELECT json_agg(json_build_array(e.id, e.source, e.external_id, e.payload_hash)) INTO refused
                FROM unnest(p_source, p_external_id, p_hash) AS k(source, external_id, hash)
                JOIN events e ON e.source = k.source AND e.external_id = k.external_id
               WHERE e.payload_hash <> k.hash;
              IF refused IS NOT NULL THEN
                RAISE EXCEPTION 'keys stored with another payload' USING ERRCODE = 'PI409', DETAIL = refused::text;
              END IF;
            END IF;
            SELECT coalesce(array_agg(e.id), '{}') INTO old_ids
              FROM unnest(p_source, p_external_id) AS k(source, external_id)
              JOIN events e ON e.source = k.source AND e.external_id = k.external_id
             WHERE NOT (e.id = ANY (new_ids));
            RETURN QUERY
              SELECT 'old', e.id, e.source, e.external_id, e.payload_hash, NULL::uuid, NULL::bigint
                FROM events e WHERE e.id = ANY (old_ids);
          END IF;

          IF cardinality(new_ids) > 0 THEN
            -- The candidates (from the snapshot before the lock wait), locked FOR UPDATE in id
            -- order, then kept if they count events as they are once locked. The lock orders this
            -- call against a launch or a state change of the same contest and serialises its
            -- sequence.
            SELECT coalesce(array_agg(l.id ORDER BY l.id), '{}') INTO counting
              FROM (SELECT c.id, c.state FROM contests c
                     WHERE c.id IN (
                       SELECT m.contest_id
                         FROM unnest(new_ids) AS batch(id)
                         CROSS JOIN LATERAL (
                           SELECT cp.contest_id
                             FROM events e
                             JOIN contest_participants cp ON cp.participant_id = e.participant_id
                             JOIN contests c2 ON c2.id = cp.contest_id
                            WHERE e.id = batch.id AND c2.state <> 'closed'
                              AND e.occurred_at >= c2.period_start AND e.occurred_at < c2.period_end
                           OFFSET 0) m)
                     ORDER BY c.id FOR UPDATE) l
             WHERE l.state IN ('live', 'closing');
            FOREACH contest IN ARRAY counting LOOP
              RETURN QUERY
                SELECT 'link', l.event_id, NULL::text, NULL::text, NULL::text, l.contest_id, l.seq
                  FROM link_contest_events(contest, new_ids) l;
            END LOOP;
          END IF;

          IF cardinality(old_ids) > 0 THEN
            RETURN QUERY
              SELECT 'link', ce.event_id, NULL::text, NULL::text, NULL::text, ce.contest_id, ce.seq
                FROM contest_events ce WHERE ce.event_id = ANY (old_ids);
          END IF;
        END
        $$`;

export class IngestAllOrNothing1764282000000 implements MigrationInterface {
  name = 'IngestAllOrNothing1764282000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'DROP FUNCTION ingest_events(text[], text[], text[], text[], timestamptz[], jsonb[], text[], text[])',
    );
    // Rows of the answer: 'new' (a key this call inserted), 'old' (a key stored before, with its
    // hash: a repeat or a conflict), 'unknown' (a participant id that does not exist: its events
    // are left out), 'link' (a new event's or an old one's place in a contest).
    await queryRunner.query(INGEST_EVENTS_ALL_OR_NOTHING);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'DROP FUNCTION ingest_events(text[], text[], text[], text[], timestamptz[], jsonb[], text[], text[], boolean)',
    );
    await queryRunner.query(INGEST_EVENTS);
  }
}
