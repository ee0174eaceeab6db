import { Injectable } from '@nestjs/common';
import { SessionsRepository, type SessionWithUser } from './sessions.repository.js';

export type { SessionWithUser };

/**
 * Users' sign-in sessions, for the auth capability: it makes the tokens and checks them, this
 * stores their hashes. A session is found only while unexpired, with its user's role as of now.
 */
@Injectable()
export class SessionsService {
  constructor(private readonly sessions: SessionsRepository) {}

  /** Stores a session for the SHA-256 of its token; answers the session's id. */
  open(session: { tokenHash: Buffer; userId: string; expiresAt: Date }): Promise<string> {
    return this.sessions.insert(session);
  }

  findLive(tokenHash: Buffer): Promise<SessionWithUser | null> {
    return this.sessions.findLive(tokenHash);
  }

  async close(sessionId: string): Promise<void> {
    await this.sessions.delete(sessionId);
  }

  /** Housekeeping: expired sessions serve no one. */
  async deleteExpired(): Promise<void> {
    await this.sessions.deleteExpired();
  }
}
