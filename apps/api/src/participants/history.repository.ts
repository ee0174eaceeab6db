import { Injectable } from '@nestjs/common';
import type { HistoryMonth } from '@podium/contest-model';
import { DataSource, type EntityManager } from 'typeorm';
import { queryRows, safeInteger } from '../database/sql.js';

/** A history month of one participant. */
export interface HistoryRecord extends HistoryMonth {
  readonly participantId: string;
}

interface HistoryRow {
  participant_id: string;
  month: string;
  turnover_minor: string;
  margin_minor: string;
  deals: number | null;
  new_clients: number | null;
  leads: number | null;
  products: HistoryMonth['products'] | null;
  counters: HistoryMonth['counters'] | null;
}

/** The library's shape: absent rather than null, so it parses as a contest file's month. */
function toRecord(row: HistoryRow): HistoryRecord {
  return {
    participantId: row.participant_id,
    month: row.month,
    turnoverMinor: safeInteger(row.turnover_minor, 'turnover_minor'),
    marginMinor: safeInteger(row.margin_minor, 'margin_minor'),
    ...(row.deals === null ? {} : { deals: row.deals }),
    ...(row.new_clients === null ? {} : { newClients: row.new_clients }),
    ...(row.leads === null ? {} : { leads: row.leads }),
    ...(row.products === null ? {} : { products: row.products }),
    ...(row.counters === null ? {} : { counters: row.counters }),
  };
}

const INSERT_COLUMNS = `participant_history (participant_id, month, turnover_minor, margin_minor,
    deals, new_clients, leads, products, counters)`;
const UNNEST_ROWS = `
  SELECT participant_id, (month || '-01')::date, turnover_minor, margin_minor, deals, new_clients,
         leads, products::jsonb, counters::jsonb
    FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::int[], $6::int[],
                $7::int[], $8::text[], $9::text[])
      AS r(participant_id, month, turnover_minor, margin_minor, deals, new_clients, leads,
           products, counters)`;

function columns(rows: readonly HistoryRecord[]): unknown[] {
  const json = (value: object | undefined) => (value === undefined ? null : JSON.stringify(value));
  return [
    rows.map((row) => row.participantId),
    rows.map((row) => row.month),
    // Strings, so a value past 2^53 could never be rounded on its way to a bigint.
    rows.map((row) => String(row.turnoverMinor)),
    rows.map((row) => String(row.marginMinor)),
    rows.map((row) => row.deals ?? null),
    rows.map((row) => row.newClients ?? null),
    rows.map((row) => row.leads ?? null),
    rows.map((row) => json(row.products)),
    rows.map((row) => json(row.counters)),
  ];
}

@Injectable()
export class HistoryRepository {
  constructor(private readonly dataSource: DataSource) {}

  private manager(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  /** The months of these participants, by participant and month. */
  async list(participantIds: readonly string[], manager?: EntityManager): Promise<HistoryRecord[]> {
    if (participantIds.length === 0) return [];
    const rows = await queryRows<HistoryRow>(
      this.manager(manager),
      `SELECT participant_id, to_char(month, 'YYYY-MM') AS month, turnover_minor, margin_minor,
              deals, new_clients, leads, products, counters
         FROM participant_history WHERE participant_id = ANY($1::text[])
        ORDER BY participant_id, month`,
      [[...participantIds]],
    );
    return rows.map(toRecord);
  }

  /** Which months a participant has, oldest first. */
  async months(participantId: string, manager?: EntityManager): Promise<string[]> {
    const rows = await queryRows<{ month: string }>(
      this.manager(manager),
      `SELECT to_char(month, 'YYYY-MM') AS month FROM participant_history
        WHERE participant_id = $1 ORDER BY month`,
      [participantId],
    );
    return rows.map((row) => row.month);
  }

  async deleteAll(participantId: string, manager: EntityManager): Promise<void> {
    await manager.query('DELETE FROM participant_history WHERE participant_id = $1', [
      participantId,
    ]);
  }

  async insert(rows: readonly HistoryRecord[], manager: EntityManager): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(`INSERT INTO ${INSERT_COLUMNS} ${UNNEST_ROWS}`, columns(rows));
  }

  /** Inserts new months and overwrites existing ones; answers how many were inserted. */
  async upsert(rows: readonly HistoryRecord[], manager: EntityManager): Promise<number> {
    if (rows.length === 0) return 0;
    const result = await queryRows<{ inserted: boolean }>(
      manager,
      `INSERT INTO ${INSERT_COLUMNS} ${UNNEST_ROWS}
       ON CONFLICT (participant_id, month) DO UPDATE SET
         turnover_minor = excluded.turnover_minor, margin_minor = excluded.margin_minor,
         deals = excluded.deals, new_clients = excluded.new_clients, leads = excluded.leads,
         products = excluded.products, counters = excluded.counters
       RETURNING (xmax = 0) AS inserted`,
      columns(rows),
    );
    return result.filter((row) => row.inserted).length;
  }
}
