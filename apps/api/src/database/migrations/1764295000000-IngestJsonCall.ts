import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `ingest_event_rows` calls `ingest_events` with what the API already has in hand and answers in
 * one value, so a call of 500 events costs the API two strings instead of sixteen arrays of 500:
 *
 * - the events come as one JSON array of their canonical payloads (the strings the API hashed);
 *   the columns `ingest_events` takes (source, externalId, type, participantId, occurredAt) are
 *   read from each payload, where the API took them from. Eight text arrays of 500 made `pg`
 *   quote every element, and PostgreSQL unquote it, the payloads' JSON included.
 * - the answer is one JSON text, `[[kind, id, source, external_id, payload_hash, contest_id,
 *   seq], …]` with the columns of `ingest_events` (ids and seqs as strings, so nothing is
 *   rounded), parsed by one `JSON.parse` instead of row by row.
 *
 * Refusals (`PI404`, `PI409`) pass through unchanged.
 */
export class IngestJsonCall1764295000000 implements MigrationInterface {
  name = 'IngestJsonCall1764295000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION ingest_event_rows(
          p_payloads jsonb, p_hash text[], p_author text[], p_all_or_nothing boolean)
        RETURNS text
        LANGUAGE sql AS $$
          SELECT coalesce(json_agg(json_build_array(i.kind, i.id::text, i.source, i.external_id,
                                                    i.payload_hash, i.contest_id, i.seq::text)),
                          '[]')::text
            FROM (SELECT array_agg(t.p->>'source' ORDER BY t.n) AS source,
                         array_agg(t.p->>'externalId' ORDER BY t.n) AS external_id,
                         array_agg(t.p->>'type' ORDER BY t.n) AS type,
                         array_agg(t.p->>'participantId' ORDER BY t.n) AS participant,
                         array_agg((t.p->>'occurredAt')::timestamptz ORDER BY t.n) AS occurred_at,
                         array_agg(t.p ORDER BY t.n) AS payload
                    FROM jsonb_array_elements(p_payloads) WITH ORDINALITY AS t(p, n)) a
            CROSS JOIN LATERAL ingest_events(a.source, a.external_id, a.type, a.participant,
                                             a.occurred_at, a.payload, p_hash, p_author,
                                             p_all_or_nothing) i
        $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION ingest_event_rows(jsonb, text[], text[], boolean)');
  }
}
