import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { UserRole } from './principal.js';
import { SessionEntity } from './session.entity.js';

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

  async insert(session: { tokenHash: Buffer; userId: string; expiresAt: Date }): Promise<string> {
    const result = await this.dataSource.manager.insert(SessionEntity, session);
    const id: unknown = result.identifiers[0]?.id;
    if (typeof id !== 'string') throw new Error('the session insert returned no id');
    return id;
  }

  /** The unexpired session with this token hash, joined to its user (role as of now). */
  async findLive(tokenHash: Buffer): Promise<SessionWithUser | null> {
    const rows: SessionRow[] = await this.dataSource.query(
      `SELECT s.id AS session_id, s.expires_at, u.id AS user_id, u.email, u.role, u.participant_id
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.expires_at > now()`,
      [tokenHash],
    );
    const row = rows[0];
    if (row === undefined) return null;
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
    await this.dataSource.manager.delete(SessionEntity, { id });
  }

  /** Signs a user out everywhere (after a password change). */
  async deleteForUser(userId: string, manager?: EntityManager): Promise<void> {
    await (manager ?? this.dataSource.manager).delete(SessionEntity, { userId });
  }

  /** Housekeeping: expired sessions serve no one. */
  async deleteExpired(): Promise<void> {
    await this.dataSource.query('DELETE FROM sessions WHERE expires_at <= now()');
  }
}
