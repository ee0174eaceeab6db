import { Injectable } from '@nestjs/common';
import { COUNTING_STATES } from '@podium/contest-model';
import { DataSource } from 'typeorm';
import { queryRows, safeInteger } from '../database/sql.js';

/** What a process compares with its projections to see whether it missed something. */
export interface CountingContest {
  readonly id: string;
  readonly lastSeq: number;
}

@Injectable()
export class StandingsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every counting contest (live or closing) with the last sequence number it gave. */
  async counting(): Promise<CountingContest[]> {
    const rows = await queryRows<{ id: string; last_seq: string }>(
      this.dataSource,
      'SELECT id, last_seq FROM contests WHERE state = ANY($1::text[])',
      [COUNTING_STATES],
    );
    return rows.map((row) => ({ id: row.id, lastSeq: safeInteger(row.last_seq, 'last_seq') }));
  }
}
