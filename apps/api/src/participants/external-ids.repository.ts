import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { queryRows } from '../database/sql.js';
import type { ExternalIdDto } from './dto/participant.dto.js';

/** A CRM identity (source and the CRM's id) and the participant it belongs to. */
export interface ExternalIdOwner extends ExternalIdDto {
  readonly participantId: string;
}

/** `participant_external_ids`: which participant each CRM identity names (one owner each). */
@Injectable()
export class ExternalIdsRepository {
  /** Who holds each of these CRM identities now. */
  async owners(keys: readonly ExternalIdDto[], manager: EntityManager): Promise<ExternalIdOwner[]> {
    if (keys.length === 0) return [];
    const rows = await queryRows<{ source: string; external_id: string; participant_id: string }>(
      manager,
      `SELECT e.source, e.external_id, e.participant_id
           FROM participant_external_ids e
           JOIN unnest($1::text[], $2::text[]) AS k(source, external_id)
             ON k.source = e.source AND k.external_id = e.external_id`,
      [keys.map((key) => key.source), keys.map((key) => key.externalId)],
    );
    return rows.map((row) => ({
      source: row.source,
      externalId: row.external_id,
      participantId: row.participant_id,
    }));
  }

  async deleteOf(participantIds: readonly string[], manager: EntityManager): Promise<void> {
    if (participantIds.length === 0) return;
    await manager.query(
      'DELETE FROM participant_external_ids WHERE participant_id = ANY($1::text[])',
      [[...participantIds]],
    );
  }

  async insert(owners: readonly ExternalIdOwner[], manager: EntityManager): Promise<void> {
    if (owners.length === 0) return;
    await manager.query(
      `INSERT INTO participant_external_ids (source, external_id, participant_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`,
      [
        owners.map((owner) => owner.source),
        owners.map((owner) => owner.externalId),
        owners.map((owner) => owner.participantId),
      ],
    );
  }
}
