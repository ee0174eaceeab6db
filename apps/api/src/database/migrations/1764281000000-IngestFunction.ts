import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ingestion in one statement. `ingest_events` inserts a set of events, finds the keys already
 * stored, locks the contests that count the new ones and links them, and answers all of it: one
 * round trip, and with no transaction around it one commit. Each of its statements takes a fresh
 * snapshot (a volatile PL/pgSQL function under READ COMMITTED), so it sees what the separate
 * statements it replaces saw: a key another transaction committed while this one waited on it,
 * a contest's state and a launch's backfill as they are once the contest row is locked.
 *
 * `contest_events` keeps no foreign keys: each was a trigger query per link, run while the
 * contest row is locked. `event_id` cannot dangle: events are append-only (the trigger below also
 * refuses TRUNCATE) and a link is written in the transaction that stored or read its event.
 * `contest_id` cannot either: a link is written only under the contest's row lock, and a trigger
 * deletes a deleted contest's links as the cascade did.
 *
 * `contests.magnitude_minor` sums, over the sales a contest counts, the larger of |amount| and
 * |margin|: every turnover or margin total of the contest is at most that, so while it stays at or
 * below Number.MAX_SAFE_INTEGER the standings add them exactly. The CHECK refuses a link past it.
 */
/**
 * `ingest_events` as this migration creates it (the `IngestAllOrNothing` migration replaces it and
 * restores it on the way down).
 */
export const INGEST_EVENTS = `
      CREATE FUNCTION ingest_events(
          p_source text[], p_external_id text[], p_type text[], p_participant text[],
          p_occurred_at timestamptz[], p_payload jsonb[], p_hash text[], p_author text[])
        RETURNS TABLE (kind text, id bigint, source text, external_id text, payload_hash text,
                       contest_id uuid, seq bigint)
        LANGUAGE plpgsql AS $$
        #variable_conflict use_column
        DECLARE
          new_ids bigint[];
          new_sources text[];
          new_external_ids text[];
          new_hashes text[];
          old_ids bigint[];
          counting uuid[];
          contest uuid;
        BEGIN
          RETURN QUERY
            SELECT 'unknown', NULL::bigint, p.pid, NULL::text, NULL::text, NULL::uuid, NULL::bigint
              FROM (SELECT DISTINCT unnest(p_participant) AS pid) p
             WHERE NOT EXISTS (SELECT 1 FROM participants WHERE participants.id = p.pid);

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

/**
 * `link_contest_events` as this migration creates it (the `LateCancellations` migration replaces
 * it and restores it on the way down).
 */
export const LINK_CONTEST_EVENTS = `
      CREATE FUNCTION link_contest_events(p_contest uuid, p_ids bigint[])
        RETURNS TABLE (contest_id uuid, seq bigint, event_id bigint)
        LANGUAGE sql AS $$
          WITH matching AS MATERIALIZED (
            SELECT m.id, m.magnitude
            FROM contests c
            CROSS JOIN unnest(p_ids) AS batch(id)
            CROSS JOIN LATERAL (
              -- OFFSET 0 keeps this subquery apart: per id, one probe of each unique index
              -- whatever the statistics of tables filled a moment ago say.
              SELECT e.id, event_magnitude(e.type, e.payload) AS magnitude
              FROM events e
              JOIN contest_participants cp ON cp.contest_id = c.id AND cp.participant_id = e.participant_id
              WHERE e.id = batch.id
                AND e.occurred_at >= c.period_start AND e.occurred_at < c.period_end
                AND NOT EXISTS (SELECT 1 FROM contest_events ce WHERE ce.contest_id = c.id AND ce.event_id = e.id)
              OFFSET 0
            ) m
            WHERE c.id = p_contest
          ), numbered AS (
            SELECT id, row_number() OVER (ORDER BY id) AS n FROM matching
          ), bumped AS (
            UPDATE contests SET last_seq = last_seq + (SELECT count(*) FROM numbered),
                   magnitude_minor = magnitude_minor + (SELECT coalesce(sum(magnitude), 0) FROM matching),
                   updated_at = now()
            WHERE id = p_contest AND EXISTS (SELECT 1 FROM numbered)
            RETURNING last_seq - (SELECT count(*) FROM numbered) AS base
          )
          INSERT INTO contest_events (contest_id, seq, event_id)
          SELECT p_contest, bumped.base + numbered.n, numbered.id FROM numbered, bumped
          RETURNING contest_id, seq, event_id
        $$`;

export class IngestFunction1764281000000 implements MigrationInterface {
  name = 'IngestFunction1764281000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION event_magnitude(type text, payload jsonb) RETURNS numeric
        LANGUAGE sql IMMUTABLE AS $$
          SELECT CASE WHEN type = 'sale'
            THEN greatest(abs((payload->>'amountMinor')::numeric), abs((payload->>'marginMinor')::numeric))
            ELSE 0 END
        $$`);
    await queryRunner.query(
      'ALTER TABLE contests ADD COLUMN magnitude_minor numeric NOT NULL DEFAULT 0',
    );
    await queryRunner.query(`
      UPDATE contests c SET magnitude_minor = s.total
        FROM (SELECT ce.contest_id, sum(event_magnitude(e.type, e.payload)) AS total
                FROM contest_events ce JOIN events e ON e.id = ce.event_id
               GROUP BY ce.contest_id) s
       WHERE s.contest_id = c.id`);
    // NOT VALID: a contest already past the bound keeps its rows; any further link is refused.
    await queryRunner.query(`
      ALTER TABLE contests ADD CONSTRAINT contests_totals_exact
        CHECK (magnitude_minor <= 9007199254740991) NOT VALID`);

    await queryRunner.query(`
      ALTER TABLE contest_events
        DROP CONSTRAINT contest_events_event_id_fkey,
        DROP CONSTRAINT contest_events_contest_id_fkey`);
    // What the contest's ON DELETE CASCADE did, once per deleted contest instead of a check per link.
    await queryRunner.query(`
      CREATE FUNCTION contests_delete_links() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM contest_events WHERE contest_id = OLD.id;
        RETURN OLD;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER contests_delete_links BEFORE DELETE ON contests
        FOR EACH ROW EXECUTE FUNCTION contests_delete_links()`);
    await queryRunner.query(`
      CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
        FOR EACH STATEMENT EXECUTE FUNCTION events_append_only()`);

    // The contest's next sequence numbers for those of the ids it counts and has not linked yet,
    // in id order. The contest row must be locked by the caller's transaction. Starts from the ids
    // (primary-key probes) and checks each participant with one probe of contest_participants.
    await queryRunner.query(LINK_CONTEST_EVENTS);

    // Rows of the answer: 'new' (a key this call inserted), 'old' (a key stored before, with its
    // hash: a repeat or a conflict), 'unknown' (a participant id that does not exist: its events
    // are left out), 'link' (a new event's or an old one's place in a contest).
    await queryRunner.query(INGEST_EVENTS);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION ingest_events');
    await queryRunner.query('DROP FUNCTION link_contest_events');
    await queryRunner.query('DROP TRIGGER events_no_truncate ON events');
    await queryRunner.query('DROP TRIGGER contests_delete_links ON contests');
    await queryRunner.query('DROP FUNCTION contests_delete_links');
    await queryRunner.query(`
      ALTER TABLE contest_events
        ADD CONSTRAINT contest_events_event_id_fkey FOREIGN KEY (event_id) REFERENCES events (id),
        ADD CONSTRAINT contest_events_contest_id_fkey FOREIGN KEY (contest_id)
          REFERENCES contests (id) ON DELETE CASCADE`);
    await queryRunner.query('ALTER TABLE contests DROP CONSTRAINT contests_totals_exact');
    await queryRunner.query('ALTER TABLE contests DROP COLUMN magnitude_minor');
    await queryRunner.query('DROP FUNCTION event_magnitude');
  }
}
