import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { queryRows } from '../../database/sql.js';

/** What Podium last applied of a 1C sale document. */
export interface SeenDocument {
  /** `DataVersion`, and `|<margin>` when the margin is read from 1C's register. */
  readonly fingerprint: string;
  /** The document's `Date`, as an instant. */
  readonly date: Date;
}

/** The `onec_documents` table: per 1C integration, the sale documents read and their versions. */
@Injectable()
export class OnecDocumentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async seen(integrationId: string): Promise<Map<string, SeenDocument>> {
    const rows = await queryRows<{ ref_key: string; fingerprint: string; document_date: Date }>(
      this.dataSource,
      'SELECT ref_key, fingerprint, document_date FROM onec_documents WHERE integration_id = $1',
      [integrationId],
    );
    return new Map(
      rows.map((row) => [row.ref_key, { fingerprint: row.fingerprint, date: row.document_date }]),
    );
  }

  /** Records what a page applied (in its transaction) and forgets the documents gone from 1C. */
  async save(
    manager: EntityManager,
    integrationId: string,
    read: ReadonlyMap<string, SeenDocument>,
    gone: readonly string[],
  ): Promise<void> {
    const refs = [...read.keys()];
    if (refs.length > 0) {
      await manager.query(
        `INSERT INTO onec_documents (integration_id, ref_key, fingerprint, document_date)
         SELECT $1, ref, fingerprint, date
           FROM unnest($2::text[], $3::text[], $4::timestamptz[]) AS t (ref, fingerprint, date)
         ON CONFLICT (integration_id, ref_key) DO UPDATE
           SET fingerprint = EXCLUDED.fingerprint, document_date = EXCLUDED.document_date`,
        [
          integrationId,
          refs,
          refs.map((ref) => read.get(ref)?.fingerprint),
          refs.map((ref) => read.get(ref)?.date),
        ],
      );
    }
    if (gone.length > 0) {
      await manager.query(
        'DELETE FROM onec_documents WHERE integration_id = $1 AND ref_key = ANY($2::text[])',
        [integrationId, gone],
      );
    }
  }
}
