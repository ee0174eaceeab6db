import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { UserRole } from '../auth/principal.js';
import { UserEntity } from './user.entity.js';

export interface NewUser {
  readonly email: string;
  readonly passwordHash: string;
  readonly role: UserRole;
  readonly participantId: string | null;
}

export type UserChanges = Partial<NewUser>;

/** Any 32-bit number: serialises the first-admin check of replicas starting together. */
const FIRST_ADMIN_LOCK = 0x706f6431;

@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  private manager(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  list(): Promise<UserEntity[]> {
    return this.dataSource.manager.find(UserEntity, { order: { email: 'ASC' } });
  }

  findById(id: string, manager?: EntityManager): Promise<UserEntity | null> {
    return this.manager(manager).findOneBy(UserEntity, { id });
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.dataSource.manager.findOneBy(UserEntity, { email });
  }

  async insert(user: NewUser, manager?: EntityManager): Promise<UserEntity> {
    const result = await this.manager(manager).insert(UserEntity, user);
    const id: unknown = result.identifiers[0]?.id;
    if (typeof id !== 'string') throw new Error('the user insert returned no id');
    const created = await this.findById(id, manager);
    if (created === null) throw new Error('the inserted user vanished');
    return created;
  }

  async update(id: string, changes: UserChanges, manager?: EntityManager): Promise<void> {
    await this.manager(manager).update(UserEntity, { id }, changes);
  }

  async delete(id: string, manager?: EntityManager): Promise<void> {
    await this.manager(manager).delete(UserEntity, { id });
  }

  /** Locks every admin row: whoever demotes or deletes an admin sees the others as they are. */
  async lockAdmins(manager: EntityManager): Promise<number> {
    const rows: unknown[] = await manager.query(
      "SELECT id FROM users WHERE role = 'admin' FOR UPDATE",
    );
    return rows.length;
  }

  /**
   * Creates the user if no admin exists yet, atomically across processes. Answers whether it
   * created one.
   */
  createFirstAdmin(user: NewUser): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [FIRST_ADMIN_LOCK]);
      const admins: unknown[] = await manager.query(
        "SELECT 1 FROM users WHERE role = 'admin' LIMIT 1",
      );
      if (admins.length > 0) return false;
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
