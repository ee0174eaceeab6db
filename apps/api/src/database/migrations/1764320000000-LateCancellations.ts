import type { MigrationInterface, QueryRunner } from 'typeorm';
import { LINK_CONTEST_EVENTS } from './1764281000000-IngestFunction.js';
import { INGEST_EVENTS_ALL_OR_NOTHING } from './1764282000000-IngestAllOrNothing.js';

/**
 * Late cancellations and the CRM reconciliation (DESIGN §3.8, §6b).
 *
 * A reversal dated after a contest's end still cancels a sale of its period: `link_contest_events`
 * and `ingest_events` link it to every contest that counts the event it reverses (live or
 * closing: the final standings change like for any event). When that contest is closed, its
 * result stays and `ingest_events` records a row of `contest_clawbacks` instead — the one place
 * where a reversal (from a CRM, the generic webhook or `POST /api/events`) meets a closed
 * contest's counted sale. One clawback per contest and sale: a second reversal of it adds none.
 *
 * `crm_deals` remembers what the CRM last said of each deal, for the reconciliation: who owns it,
 * when it was won (null when it is not won, in any pipeline), whether it was won in a pipeline the
 * integration does not count, its amount and currency.
 */
export class LateCancellations1764320000000 implements MigrationInterface {
  name = 'LateCancellations1764320000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE contest_clawbacks (
        id bigserial PRIMARY KEY,
        contest_id uuid NOT NULL REFERENCES contests (id) ON DELETE CASCADE,
        sale_event_id bigint NOT NULL REFERENCES events (id),
        reversal_event_id bigint NOT NULL REFERENCES events (id),
        participant_id text NOT NULL REFERENCES participants (id),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        decision text CHECK (decision IN ('recover', 'waive')),
        note text,
        decided_by text,
        decided_at timestamptz,
        UNIQUE (contest_id, sale_event_id),
        CHECK ((decision IS NULL) = (decided_at IS NULL) AND (decision IS NULL) = (decided_by IS NULL))
      )`);
    // Does the reversal (type, payload) cancel an event the contest links? Index probes only.
    await queryRunner.query(`
      CREATE FUNCTION reverses_linked_event(p_contest uuid, p_source text, p_type text, p_payload jsonb)
        RETURNS boolean LANGUAGE sql STABLE AS $$
          SELECT p_type = 'reversal' AND EXISTS (
            SELECT 1 FROM events s JOIN contest_events cs ON cs.contest_id = p_contest AND cs.event_id = s.id
             WHERE s.source = p_source AND s.external_id = p_payload->>'reversesExternalId')
        $$`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION link_contest_events(p_contest uuid, p_ids bigint[])
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
                AND e.occurred_at >= c.period_start
                AND (e.occurred_at < c.period_end OR reverses_linked_event(c.id, e.source, e.type, e.payload))
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
        $$`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION ingest_events(
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
                              AND e.occurred_at >= c2.period_start
                              AND (e.occurred_at < c2.period_end
                                   OR reverses_linked_event(c2.id, e.source, e.type, e.payload))
                           OFFSET 0) m)
                     ORDER BY c.id FOR UPDATE) l
             WHERE l.state IN ('live', 'closing');
            FOREACH contest IN ARRAY counting LOOP
              RETURN QUERY
                SELECT 'link', l.event_id, NULL::text, NULL::text, NULL::text, l.contest_id, l.seq
                  FROM link_contest_events(contest, new_ids) l;
            END LOOP;
          END IF;

          -- A new reversal of a sale a closed contest counted: the contest's result stays, and the
          -- reversal is recorded as a clawback for the director to settle (once per sale).
          IF cardinality(new_ids) > 0 AND 'reversal' = ANY (p_type) THEN
            INSERT INTO contest_clawbacks (contest_id, sale_event_id, reversal_event_id, participant_id)
            SELECT c.id, s.id, r.id, s.participant_id
              FROM events r
              JOIN events s ON s.source = r.source AND s.external_id = r.payload->>'reversesExternalId'
                           AND s.type = 'sale'
              JOIN contest_participants cp ON cp.participant_id = s.participant_id
              JOIN contests c ON c.id = cp.contest_id AND c.state = 'closed'
             WHERE r.id = ANY (new_ids) AND r.type = 'reversal'
               AND EXISTS (SELECT 1 FROM contest_events cs WHERE cs.contest_id = c.id AND cs.event_id = s.id)
               -- Not when a reversal the contest counted had cancelled the sale already.
               AND NOT EXISTS (
                     SELECT 1 FROM contest_events cr JOIN events r2 ON r2.id = cr.event_id
                      WHERE cr.contest_id = c.id AND r2.type = 'reversal' AND r2.source = s.source
                        AND r2.payload->>'reversesExternalId' = s.external_id)
            ON CONFLICT (contest_id, sale_event_id) DO NOTHING;
          END IF;

          IF cardinality(old_ids) > 0 THEN
            RETURN QUERY
              SELECT 'link', ce.event_id, NULL::text, NULL::text, NULL::text, ce.contest_id, ce.seq
                FROM contest_events ce WHERE ce.event_id = ANY (old_ids);
          END IF;
        END
        $$`);

    await queryRunner.query(`
      ALTER TABLE crm_deals
        ADD COLUMN crm_user_id text,
        ADD COLUMN won_at timestamptz,
        ADD COLUMN outside_pipeline boolean NOT NULL DEFAULT false,
        ADD COLUMN amount_minor bigint,
        ADD COLUMN currency text`);
    // What the rows written before knew: a won deal's sale, a held deal's last observation.
    await queryRunner.query(`
      UPDATE crm_deals d SET won_at = e.occurred_at, amount_minor = d.sale_amount_minor
        FROM integrations i, events e
       WHERE i.id = d.integration_id AND d.won
         AND e.source = coalesce(i.settings->>'source', i.kind) AND e.external_id = d.sale_external_id`);
    await queryRunner.query(`
      UPDATE crm_deals d SET crm_user_id = h.crm_user_id,
             won_at = (h.observation->>'occurredAt')::timestamptz,
             amount_minor = (h.observation->>'amountMinor')::bigint,
             currency = h.observation->>'currency'
        FROM held_deals h
       WHERE h.integration_id = d.integration_id AND h.deal_id = d.deal_id`);
    await queryRunner.query('CREATE INDEX crm_deals_won_at ON crm_deals (integration_id, won_at)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX crm_deals_won_at');
    await queryRunner.query(`
      ALTER TABLE crm_deals DROP COLUMN crm_user_id, DROP COLUMN won_at,
        DROP COLUMN outside_pipeline, DROP COLUMN amount_minor, DROP COLUMN currency`);
    await queryRunner.query(
      'DROP FUNCTION ingest_events(text[], text[], text[], text[], timestamptz[], jsonb[], text[], text[], boolean)',
    );
    await queryRunner.query(INGEST_EVENTS_ALL_OR_NOTHING);
    await queryRunner.query('DROP FUNCTION link_contest_events(uuid, bigint[])');
    await queryRunner.query(LINK_CONTEST_EVENTS);
    await queryRunner.query('DROP FUNCTION reverses_linked_event(uuid, text, text, jsonb)');
    await queryRunner.query('DROP TABLE contest_clawbacks');
  }
}
