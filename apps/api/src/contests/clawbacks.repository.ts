import { Injectable } from '@nestjs/common';
import type { ContestEvent, ReversalEvent, SaleEvent } from '@podium/contest-model';
import { DataSource, type EntityManager } from 'typeorm';
import { queryRows, safeInteger } from '../database/sql.js';
import type { ClawbackDecision } from './dto/clawback.dto.js';

/** A clawback as stored: the sale a closed contest counted, the reversal that came too late. */
export interface ClawbackRecord {
  readonly id: number;
  readonly sale: SaleEvent;
  readonly reversal: ReversalEvent;
  readonly recordedAt: Date;
  readonly decision: ClawbackDecision | null;
  readonly note: string | null;
  readonly decidedBy: string | null;
  readonly decidedAt: Date | null;
}

interface ClawbackRow {
  id: string;
  sale: ContestEvent;
  reversal: ContestEvent;
  recorded_at: Date;
  decision: ClawbackDecision | null;
  note: string | null;
  decided_by: string | null;
  decided_at: Date | null;
}

const SELECT = `SELECT k.id, s.payload AS sale, r.payload AS reversal, k.recorded_at, k.decision,
                       k.note, k.decided_by, k.decided_at
                  FROM contest_clawbacks k
                  JOIN events s ON s.id = k.sale_event_id
                  JOIN events r ON r.id = k.reversal_event_id`;

/**
 * Clawbacks of closed contests. They are written by `ingest_events` (see the LateCancellations
 * migration), where a reversal meets a closed contest's counted sale; here they are read and
 * decided.
 */
@Injectable()
export class ClawbacksRepository {
  constructor(private readonly dataSource: DataSource) {}

  async ofContest(contestId: string, manager?: EntityManager): Promise<ClawbackRecord[]> {
    const rows = await queryRows<ClawbackRow>(
      manager ?? this.dataSource,
      `${SELECT} WHERE k.contest_id = $1 ORDER BY k.id`,
      [contestId],
    );
    return rows.map(recordOf);
  }

  /** Decides a clawback not decided yet; false when there is none such. */
  async decide(
    manager: EntityManager,
    decision: {
      contestId: string;
      id: number;
      decision: ClawbackDecision;
      note: string;
      actor: string;
      at: Date;
    },
  ): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      manager,
      `UPDATE contest_clawbacks SET decision = $3, note = $4, decided_by = $5, decided_at = $6
        WHERE contest_id = $1 AND id = $2 AND decision IS NULL RETURNING id`,
      [
        decision.contestId,
        decision.id,
        decision.decision,
        decision.note,
        decision.actor,
        decision.at,
      ],
    );
    return rows.length > 0;
  }
}

function recordOf(row: ClawbackRow): ClawbackRecord {
  if (row.sale.type !== 'sale' || row.reversal.type !== 'reversal') {
    throw new Error(`clawback ${row.id} does not join a sale and its reversal`);
  }
  return {
    id: safeInteger(row.id, 'id'),
    sale: row.sale,
    reversal: row.reversal,
    recordedAt: row.recorded_at,
    decision: row.decision,
    note: row.note,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
  };
}
