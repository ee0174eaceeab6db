import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { queryRows, safeInteger } from '../database/sql.js';
import type { PlanMonth, PlanRow } from './plans.dto.js';

interface StoredPlan {
  participant_id: string;
  month: string;
  turnover_minor: string;
  margin_minor: string;
  deals: number | null;
  new_clients: number | null;
}

function toRow(row: StoredPlan): PlanRow {
  return {
    participantId: row.participant_id,
    month: row.month,
    turnoverMinor: safeInteger(row.turnover_minor, 'turnover_minor'),
    marginMinor: safeInteger(row.margin_minor, 'margin_minor'),
    ...(row.deals === null ? {} : { deals: row.deals }),
    ...(row.new_clients === null ? {} : { newClients: row.new_clients }),
  };
}

const UPSERT = `
  INSERT INTO participant_plans (participant_id, month, turnover_minor, margin_minor, deals,
                                 new_clients)
  SELECT participant_id, (month || '-01')::date, turnover_minor, margin_minor, deals, new_clients
    FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::int[], $6::int[])
      AS r(participant_id, month, turnover_minor, margin_minor, deals, new_clients)
  ON CONFLICT (participant_id, month) DO UPDATE SET
    turnover_minor = excluded.turnover_minor, margin_minor = excluded.margin_minor,
    deals = excluded.deals, new_clients = excluded.new_clients, updated_at = now()
  RETURNING (xmax = 0) AS inserted`;

/** Monthly plans per participant (`participant_plans`). */
@Injectable()
export class PlansRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The plans of these participants, by participant and month. */
  async list(participantIds: readonly string[], manager?: EntityManager): Promise<PlanRow[]> {
    if (participantIds.length === 0) return [];
    const rows = await queryRows<StoredPlan>(
      manager ?? this.dataSource.manager,
      `SELECT participant_id, to_char(month, 'YYYY-MM') AS month, turnover_minor, margin_minor,
              deals, new_clients
         FROM participant_plans WHERE participant_id = ANY($1::text[])
        ORDER BY participant_id, month`,
      [[...participantIds]],
    );
    return rows.map(toRow);
  }

  async deleteAll(participantId: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM participant_plans WHERE participant_id = $1', [participantId]);
  }

  /** Inserts new months and overwrites stored ones; answers how many were new. */
  async upsert(rows: readonly PlanRow[], manager: EntityManager): Promise<number> {
    if (rows.length === 0) return 0;
    // Key order, so concurrent writers lock rows in the same order.
    const sorted = [...rows].sort((a, b) =>
      a.participantId === b.participantId
        ? a.month.localeCompare(b.month)
        : a.participantId < b.participantId
          ? -1
          : 1,
    );
    const result = await queryRows<{ inserted: boolean }>(manager, UPSERT, [
      sorted.map((row) => row.participantId),
      sorted.map((row) => row.month),
      // Strings, so a value past 2^53 could never be rounded on its way to a bigint.
      sorted.map((row) => String(row.turnoverMinor)),
      sorted.map((row) => String(row.marginMinor)),
      sorted.map((row) => row.deals ?? null),
      sorted.map((row) => row.newClients ?? null),
    ]);
    return result.filter((row) => row.inserted).length;
  }

  /** Months of one participant, oldest first, without the participant id. */
  async months(participantId: string, manager?: EntityManager): Promise<PlanMonth[]> {
    return (await this.list([participantId], manager)).map(
      ({ participantId: _participantId, ...month }) => month,
    );
  }
}
