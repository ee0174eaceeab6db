import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { queryRows } from '../database/sql.js';

/** Prize pictures, stored re-encoded, one per prize place and league. */
@Injectable()
export class PrizeImagesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Within the caller's transaction: the image and its audit row commit together. */
  async putPrizeImage(
    manager: EntityManager,
    image: {
      contestId: string;
      league: string;
      place: number;
      contentType: string;
      bytes: Buffer;
      sha256: string;
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO prize_images (contest_id, league, place, content_type, bytes, sha256) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (contest_id, league, place) DO UPDATE
         SET content_type = EXCLUDED.content_type, bytes = EXCLUDED.bytes, sha256 = EXCLUDED.sha256, updated_at = now()`,
      [image.contestId, image.league, image.place, image.contentType, image.bytes, image.sha256],
    );
  }

  /** Within the caller's transaction: every prize picture of `from`, now also `to`'s. */
  async copyAll(manager: EntityManager, from: string, to: string): Promise<void> {
    await manager.query(
      `INSERT INTO prize_images (contest_id, league, place, content_type, bytes, sha256)
       SELECT $2, league, place, content_type, bytes, sha256 FROM prize_images WHERE contest_id = $1`,
      [from, to],
    );
  }

  async prizeImage(
    contestId: string,
    league: string,
    place: number,
  ): Promise<{ contentType: string; bytes: Buffer; sha256: string } | null> {
    const rows = await queryRows<{ content_type: string; bytes: Buffer; sha256: string }>(
      this.dataSource,
      'SELECT content_type, bytes, sha256 FROM prize_images WHERE contest_id = $1 AND league = $2 AND place = $3',
      [contestId, league, place],
    );
    const row = rows[0];
    return row ? { contentType: row.content_type, bytes: row.bytes, sha256: row.sha256 } : null;
  }

  /** The prizes of a contest that have a picture, as `league` ('' without leagues) and place. */
  async picturedPrizes(contestId: string): Promise<{ league: string; place: number }[]> {
    return queryRows<{ league: string; place: number }>(
      this.dataSource,
      'SELECT league, place FROM prize_images WHERE contest_id = $1',
      [contestId],
    );
  }
}
