import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { queryOne } from '../database/sql.js';
import type { UserRole } from '../auth/principal.js';

/** A live session with the user behind it, as the guard needs it. */
export interface SessionWithUser {
  readonly sessionId: string;
  readonly expiresAt: Date;
  readonly userId: string;
  readonly email: string;
  readonly role: UserRole;
  readonly participantId: string | null;
}

interface SessionRow {
  session_id: string;
  expires_at: Date;
  user_id: string;
  email: string;
  role: UserRole;
  participant_id: string | null;
}

@Injectable()
export class SessionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores a session; answers its id. `tokenHash` is the SHA-256 of the `pds_` token: the token
   * itself is only ever in the login answer.
   */
  async insert(session: { tokenHash: Buffer; userId: string; expiresAt: Date }): Promise<string> {
    const row = await queryOne<{ id: string }>(
      this.dataSource.manager,
      'INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3) RETURNING id',
      [session.tokenHash, session.userId, session.expiresAt],
    );
    if (row === null) throw new Error('the session insert returned no id');
    return row.id;
  }

  /** The unexpired session with this token hash, joined to its user (role as of now). */
  async findLive(tokenHash: Buffer): Promise<SessionWithUser | null> {
    const row = await queryOne<SessionRow>(
      this.dataSource.manager,
      `SELECT s.id AS session_id, s.expires_at, u.id AS user_id, u.email, u.role, u.participant_id
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.expires_at > now()`,
      [tokenHash],
    );
    if (row === null) return null;
    return {
      sessionId: row.session_id,
      expiresAt: row.expires_at,
      userId: row.user_id,
      email: row.email,
      role: row.role,
      participantId: row.participant_id,
    };
  }

  async delete(id: string): Promise<void> {
    await this.dataSource.query('DELETE FROM sessions WHERE id = $1', [id]);
  }

  /** Signs a user out everywhere (after a password change). */
  async deleteForUser(userId: string, manager?: EntityManager): Promise<void> {
    await (manager ?? this.dataSource.manager).query('DELETE FROM sessions WHERE user_id = $1', [
      userId,
    ]);
  }

  /** Housekeeping: expired sessions serve no one. */
  async deleteExpired(): Promise<void> {
    await this.dataSource.query('DELETE FROM sessions WHERE expires_at <= now()');
  }
}
