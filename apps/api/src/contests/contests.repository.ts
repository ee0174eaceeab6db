import { Injectable } from '@nestjs/common';
import type { ContestFile, ContestState } from '@podium/contest-model';
import { DataSource, type EntityManager } from 'typeorm';
import { queryRows, safeInteger } from '../database/sql.js';
import type { ContestAccess } from '../auth/principal.js';
import type { RuleDigest } from './rule-digest.js';

/** The lifecycle's states, as the contest-model library lists them. */
export type { ContestState };

/** A contest file without its participants and events: the rules a director wrote. */
export type ContestRules = Omit<ContestFile, 'participants' | 'events'>;

/** The approved simulation's conclusion, and the rules it judged (see `simulatedRulesDigest`). */
export interface ContestApproval {
  readonly verdict: 'balanced' | 'unbalanced';
  readonly rules: RuleDigest;
  readonly simulationId: string | null;
  readonly approvedAt: string;
  readonly approvedBy: string;
}

export interface ContestRecord {
  readonly id: string;
  readonly name: string;
  readonly currency: string;
  readonly state: ContestState;
  readonly periodStart: Date;
  readonly periodEnd: Date;
  readonly graceDays: number;
  readonly showAmounts: boolean;
  /** The submitted contest file without events (participants with their plans). */
  readonly definition: Omit<ContestFile, 'events'>;
  /** What live standings run on, frozen at launch. */
  readonly frozenFile: Omit<ContestFile, 'events'> | null;
  readonly scenario: Record<string, unknown> | null;
  /** The approved simulation, null until a scenario is approved. */
  readonly approval: ContestApproval | null;
  /** The next calendar month's draft is made once the period is over. */
  readonly repeatMonthly: boolean;
  /** The contest whose monthly repeat this draft is. */
  readonly repeatOf: string | null;
  /** A server-side simulation to approve as this draft's scenario once done. */
  readonly pendingSimulationId: string | null;
  readonly lastSeq: number;
  readonly launchedAt: Date | null;
  readonly closedAt: Date | null;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Who may read the contest is decided on these (`canReadContest`). */
export function accessOf(contest: ContestRecord): ContestAccess {
  return {
    id: contest.id,
    state: contest.state,
    participantIds: (contest.frozenFile ?? contest.definition).participants.map((p) => p.id),
  };
}

interface ContestRow {
  id: string;
  name: string;
  currency: string;
  state: ContestState;
  period_start: Date;
  period_end: Date;
  grace_days: number;
  show_amounts: boolean;
  rules: Omit<ContestFile, 'events'>;
  frozen_file: Omit<ContestFile, 'events'> | null;
  scenario: Record<string, unknown> | null;
  approval: ContestApproval | null;
  repeat_monthly: boolean;
  repeat_of: string | null;
  pending_simulation_id: string | null;
  last_seq: string;
  launched_at: Date | null;
  closed_at: Date | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

const toRecord = (row: ContestRow): ContestRecord => ({
  id: row.id,
  name: row.name,
  currency: row.currency,
  state: row.state,
  periodStart: row.period_start,
  periodEnd: row.period_end,
  graceDays: row.grace_days,
  showAmounts: row.show_amounts,
  definition: row.rules,
  frozenFile: row.frozen_file,
  scenario: row.scenario,
  approval: row.approval,
  repeatMonthly: row.repeat_monthly,
  repeatOf: row.repeat_of,
  pendingSimulationId: row.pending_simulation_id,
  lastSeq: safeInteger(row.last_seq, 'last_seq'),
  launchedAt: row.launched_at,
  closedAt: row.closed_at,
  createdBy: row.created_by,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

@Injectable()
export class ContestsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private db(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  async insert(
    manager: EntityManager,
    contest: {
      definition: Omit<ContestFile, 'events'>;
      graceDays: number;
      createdBy: string;
      showAmounts?: boolean;
      repeatMonthly?: boolean;
      /** A monthly repeat: null when this source's repeat of the period exists already. */
      repeatOf?: string;
    },
  ): Promise<string | null> {
    const { definition } = contest;
    const rows = await queryRows<{ id: string }>(
      manager,
      `INSERT INTO contests (name, currency, period_start, period_end, grace_days, rules, scenario, created_by,
                             show_amounts, repeat_monthly, repeat_of)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (repeat_of, period_start) WHERE repeat_of IS NOT NULL DO NOTHING
       RETURNING id`,
      [
        definition.name,
        definition.currency,
        definition.period.start,
        definition.period.end,
        contest.graceDays,
        JSON.stringify(definition),
        definition.scenario ? JSON.stringify(definition.scenario) : null,
        contest.createdBy,
        contest.showAmounts ?? false,
        contest.repeatMonthly ?? false,
        contest.repeatOf ?? null,
      ],
    );
    return rows[0]?.id ?? null;
  }

  async replaceDefinition(
    manager: EntityManager,
    id: string,
    definition: Omit<ContestFile, 'events'>,
  ): Promise<void> {
    await manager.query(
      `UPDATE contests SET name = $2, currency = $3, period_start = $4, period_end = $5, rules = $6, updated_at = now()
       WHERE id = $1`,
      [
        id,
        definition.name,
        definition.currency,
        definition.period.start,
        definition.period.end,
        JSON.stringify(definition),
      ],
    );
  }

  /**
   * Sets who the contest counts: the participants of its file. Their plans are in the file
   * itself (`rules`, then `frozen_file`), stored nowhere else.
   */
  async replaceParticipants(
    manager: EntityManager,
    id: string,
    participantIds: readonly string[],
  ): Promise<void> {
    await manager.query('DELETE FROM contest_participants WHERE contest_id = $1', [id]);
    await manager.query(
      `INSERT INTO contest_participants (contest_id, participant_id)
       SELECT $1, unnest($2::text[])`,
      [id, [...participantIds]],
    );
  }

  async find(id: string, manager?: EntityManager): Promise<ContestRecord | null> {
    const rows = await queryRows<ContestRow>(
      this.db(manager),
      'SELECT * FROM contests WHERE id = $1',
      [id],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** The contest, locked FOR UPDATE until the transaction ends. */
  async lock(manager: EntityManager, id: string): Promise<ContestRecord | null> {
    const rows = await queryRows<ContestRow>(
      manager,
      'SELECT * FROM contests WHERE id = $1 FOR UPDATE',
      [id],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async list(filter: { states?: readonly ContestState[] } = {}): Promise<ContestRecord[]> {
    const rows = await queryRows<ContestRow>(
      this.dataSource,
      `SELECT * FROM contests WHERE ($1::text[] IS NULL OR state = ANY($1::text[]))
       ORDER BY period_start DESC, created_at DESC`,
      [filter.states ?? null],
    );
    return rows.map(toRecord);
  }

  async updateState(
    manager: EntityManager,
    id: string,
    changes: {
      state: ContestState;
      frozenFile?: Omit<ContestFile, 'events'>;
      launchedAt?: Date;
      closedAt?: Date;
    },
  ): Promise<void> {
    await manager.query(
      `UPDATE contests SET state = $2,
         frozen_file = COALESCE($3::jsonb, frozen_file),
         launched_at = COALESCE($4, launched_at),
         closed_at = COALESCE($5, closed_at),
         updated_at = now()
       WHERE id = $1`,
      [
        id,
        changes.state,
        changes.frozenFile ? JSON.stringify(changes.frozenFile) : null,
        changes.launchedAt ?? null,
        changes.closedAt ?? null,
      ],
    );
  }

  async unfreeze(manager: EntityManager, id: string): Promise<void> {
    await manager.query(
      "UPDATE contests SET state = 'draft', frozen_file = NULL, launched_at = NULL, updated_at = now() WHERE id = $1",
      [id],
    );
  }

  async updateTexts(
    manager: EntityManager,
    id: string,
    changes: {
      name?: string;
      graceDays?: number;
      showAmounts?: boolean;
      definition?: Omit<ContestFile, 'events'>;
      frozenFile?: Omit<ContestFile, 'events'> | null;
    },
  ): Promise<void> {
    await manager.query(
      `UPDATE contests SET name = COALESCE($2, name), grace_days = COALESCE($3, grace_days),
         show_amounts = COALESCE($4, show_amounts), rules = COALESCE($5::jsonb, rules),
         frozen_file = COALESCE($6::jsonb, frozen_file), updated_at = now()
       WHERE id = $1`,
      [
        id,
        changes.name ?? null,
        changes.graceDays ?? null,
        changes.showAmounts ?? null,
        changes.definition ? JSON.stringify(changes.definition) : null,
        changes.frozenFile ? JSON.stringify(changes.frozenFile) : null,
      ],
    );
  }

  /** The approved scenario and its approval; a pending server-side run is settled by it. */
  async setScenario(
    manager: EntityManager,
    id: string,
    scenario: Record<string, unknown>,
    approval: ContestApproval,
  ): Promise<void> {
    await manager.query(
      `UPDATE contests SET scenario = $2, approval = $3, pending_simulation_id = NULL, updated_at = now()
       WHERE id = $1`,
      [id, JSON.stringify(scenario), JSON.stringify(approval)],
    );
  }

  async setRepeatMonthly(manager: EntityManager, id: string, repeat: boolean): Promise<void> {
    await manager.query(
      'UPDATE contests SET repeat_monthly = $2, updated_at = now() WHERE id = $1',
      [id, repeat],
    );
  }

  async setPendingSimulation(
    manager: EntityManager,
    id: string,
    simulationId: string | null,
  ): Promise<void> {
    await manager.query(
      'UPDATE contests SET pending_simulation_id = $2, updated_at = now() WHERE id = $1',
      [id, simulationId],
    );
  }

  /**
   * Launched repeating contests whose period ended by `now` and whose next month's draft is not
   * made. A draft never launched does not repeat: a month nobody launched ends the chain.
   */
  async repeatsDue(now: Date): Promise<ContestRecord[]> {
    const rows = await queryRows<ContestRow>(
      this.dataSource,
      `SELECT * FROM contests c WHERE c.repeat_monthly AND c.period_end <= $1 AND c.launched_at IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM contests r WHERE r.repeat_of = c.id AND r.period_start = c.period_end)
       ORDER BY c.period_end`,
      [now],
    );
    return rows.map(toRecord);
  }

  /** Drafts waiting for their server-side simulation to be approved. */
  async pendingSimulations(): Promise<ContestRecord[]> {
    const rows = await queryRows<ContestRow>(
      this.dataSource,
      'SELECT * FROM contests WHERE pending_simulation_id IS NOT NULL ORDER BY created_at',
    );
    return rows.map(toRecord);
  }
}
