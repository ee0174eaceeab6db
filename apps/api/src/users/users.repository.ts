import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { UserRole } from '../auth/principal.js';
import { queryOne, queryRows } from '../database/sql.js';

/** A user as stored. */
export interface UserRecord {
  readonly id: string;
  /** Lower-cased and trimmed. */
  readonly email: string;
  /** Argon2id, PHC string format. */
  readonly passwordHash: string;
  readonly role: UserRole;
  readonly participantId: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface NewUser {
  readonly email: string;
  readonly passwordHash: string;
  readonly role: UserRole;
  readonly participantId: string | null;
}

export type UserChanges = Partial<NewUser>;

interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  role: UserRole;
  participant_id: string | null;
  created_at: Date;
  updated_at: Date;
}

const SELECT_USERS =
  'SELECT id, email, password_hash, role, participant_id, created_at, updated_at FROM users';

function toRecord(row: UserRow): UserRecord {
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.password_hash,
    role: row.role,
    participantId: row.participant_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The column each changeable field is stored in. */
const CHANGE_COLUMNS: Record<keyof NewUser, string> = {
  email: 'email',
  passwordHash: 'password_hash',
  role: 'role',
  participantId: 'participant_id',
};

/** Any 32-bit number: serialises the first-admin check of replicas starting together. */
const FIRST_ADMIN_LOCK = 0x706f6431;

@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  private manager(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  async list(): Promise<UserRecord[]> {
    const found = await queryRows<UserRow>(
      this.dataSource.manager,
      `${SELECT_USERS} ORDER BY email`,
    );
    return found.map(toRecord);
  }

  async findById(id: string, manager?: EntityManager): Promise<UserRecord | null> {
    const row = await queryOne<UserRow>(this.manager(manager), `${SELECT_USERS} WHERE id = $1`, [
      id,
    ]);
    return row ? toRecord(row) : null;
  }

  async findByEmail(email: string): Promise<UserRecord | null> {
    const row = await queryOne<UserRow>(
      this.dataSource.manager,
      `${SELECT_USERS} WHERE email = $1`,
      [email],
    );
    return row ? toRecord(row) : null;
  }

  async insert(user: NewUser, manager?: EntityManager): Promise<UserRecord> {
    const row = await queryOne<UserRow>(
      this.manager(manager),
      `INSERT INTO users (email, password_hash, role, participant_id) VALUES ($1, $2, $3, $4)
       RETURNING id, email, password_hash, role, participant_id, created_at, updated_at`,
      [user.email, user.passwordHash, user.role, user.participantId],
    );
    if (row === null) throw new Error('the user insert returned no row');
    return toRecord(row);
  }

  /** Sets the given fields (and `updated_at`, even when nothing else changes). */
  async update(id: string, changes: UserChanges, manager?: EntityManager): Promise<void> {
    const fields = (Object.keys(CHANGE_COLUMNS) as (keyof NewUser)[]).filter(
      (field) => changes[field] !== undefined,
    );
    const assignments = fields.map((field, index) => `${CHANGE_COLUMNS[field]} = $${index + 2}`);
    await this.manager(manager).query(
      `UPDATE users SET ${[...assignments, 'updated_at = now()'].join(', ')} WHERE id = $1`,
      [id, ...fields.map((field) => changes[field])],
    );
  }

  async delete(id: string, manager?: EntityManager): Promise<void> {
    await this.manager(manager).query('DELETE FROM users WHERE id = $1', [id]);
  }

  /** Locks every admin row: whoever demotes or deletes an admin sees the others as they are. */
  async lockAdmins(manager: EntityManager): Promise<number> {
    const admins = await queryRows(manager, "SELECT id FROM users WHERE role = 'admin' FOR UPDATE");
    return admins.length;
  }

  /**
   * Creates the user if no admin exists yet, atomically across processes. Answers whether it
   * created one.
   */
  createFirstAdmin(user: NewUser): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [FIRST_ADMIN_LOCK]);
      const admin = await queryOne(manager, "SELECT 1 FROM users WHERE role = 'admin' LIMIT 1");
      if (admin !== null) return false;
      await manager.query(
        `INSERT INTO users (email, password_hash, role, participant_id)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (email) DO UPDATE
             SET role = EXCLUDED.role, password_hash = EXCLUDED.password_hash,
                 participant_id = NULL, updated_at = now()`,
        [user.email, user.passwordHash, user.role, user.participantId],
      );
      return true;
    });
  }
}
