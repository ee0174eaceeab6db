import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { queryRows, safeInteger } from '../database/sql.js';

export interface AuditRecord {
  readonly id: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly fromState: string | null;
  readonly toState: string | null;
  readonly details: unknown;
}

/**
 * The contest audit trail. Every write takes the caller's transaction: an audited action and its
 * audit row commit together or not at all.
 */
@Injectable()
export class ContestAuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  async audit(
    manager: EntityManager,
    entry: {
      contestId: string;
      actor: string;
      action: string;
      fromState?: string;
      toState?: string;
      details?: unknown;
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO contest_audit (contest_id, actor, action, from_state, to_state, details)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        entry.contestId,
        entry.actor,
        entry.action,
        entry.fromState ?? null,
        entry.toState ?? null,
        entry.details === undefined ? null : JSON.stringify(entry.details),
      ],
    );
  }

  async auditOf(contestId: string): Promise<AuditRecord[]> {
    const rows = await queryRows<{
      id: string;
      at: Date;
      actor: string;
      action: string;
      from_state: string | null;
      to_state: string | null;
      details: unknown;
    }>(this.dataSource, 'SELECT * FROM contest_audit WHERE contest_id = $1 ORDER BY id', [
      contestId,
    ]);
    return rows.map((row) => ({
      id: safeInteger(row.id, 'id'),
      at: row.at.toISOString(),
      actor: row.actor,
      action: row.action,
      fromState: row.from_state,
      toState: row.to_state,
      details: row.details,
    }));
  }
}
