import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { conflictError, fieldError, isUuid, notFound } from '../common/http-errors.js';
import { isForeignKeyViolation, postgresViolation } from '../database/sql.js';
import { PasswordHasher } from '../auth/password-hasher.js';
import type { UserRole } from '../auth/principal.js';
import { ClusterService } from '../database/cluster/cluster.service.js';
import type { CreateUserDto, UpdateUserDto, UserView } from './dto/user.dto.js';
import { SessionsRepository } from './sessions.repository.js';
import {
  UsersRepository,
  type NewUser,
  type UserChanges,
  type UserRecord,
} from './users.repository.js';

export function toUserView(user: UserRecord): UserView {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    participantId: user.participantId,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

/** A seller is exactly one participant; nobody else is one. */
function checkParticipant(role: UserRole, participantId: string | null): void {
  if (role === 'seller' && participantId === null) {
    throw fieldError('participantId', 'a seller must be linked to a participant', 'required');
  }
  if (role !== 'seller' && participantId !== null) {
    throw fieldError('participantId', 'only a seller is linked to a participant', 'sellerOnly');
  }
}

/** Turns the constraint a write broke into the 4xx that names the field. */
function translateWriteError(error: unknown): never {
  const violation = postgresViolation(error);
  if (violation?.constraint === 'users_email_unique') {
    throw conflictError('taken', [{ path: 'email', message: 'another user has this e-mail' }]);
  }
  if (violation?.constraint === 'users_participant_unique') {
    throw conflictError('taken', [
      { path: 'participantId', message: 'another user is already this participant' },
    ]);
  }
  if (isForeignKeyViolation(error)) {
    throw fieldError('participantId', 'no participant has this id', 'unknownParticipant');
  }
  throw error;
}

@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly hasher: PasswordHasher,
    private readonly cluster: ClusterService,
  ) {}

  /** The user with this (lower-cased, trimmed) e-mail, password hash included: sign-in checks it. */
  findByEmail(email: string): Promise<UserRecord | null> {
    return this.users.findByEmail(email);
  }

  /**
   * Creates the user if no admin exists yet, atomically across processes (the first admin from
   * the configuration). Answers whether it created one.
   */
  createFirstAdmin(user: NewUser): Promise<boolean> {
    return this.users.createFirstAdmin(user);
  }

  async list(): Promise<UserView[]> {
    return (await this.users.list()).map(toUserView);
  }

  async create(dto: CreateUserDto): Promise<UserView> {
    const participantId = dto.participantId ?? null;
    checkParticipant(dto.role, participantId);
    const passwordHash = await this.hasher.hash(dto.password);
    try {
      const user = await this.users.insert({
        email: dto.email,
        passwordHash,
        role: dto.role,
        participantId,
      });
      return toUserView(user);
    } catch (error) {
      translateWriteError(error);
    }
  }

  /**
   * Changes a user. A password change signs them out everywhere; a role change applies to their
   * open sessions at once (the guard reads the role live). The last admin cannot be demoted.
   */
  async update(id: string, dto: UpdateUserDto): Promise<UserView> {
    if (!isUuid(id)) throw notFound('user');
    const passwordHash =
      dto.password === undefined ? undefined : await this.hasher.hash(dto.password);
    try {
      const updated = await this.dataSource.transaction(async (manager) => {
        const adminCount = await this.users.lockAdmins(manager);
        const user = await this.users.findById(id, manager);
        if (user === null) throw notFound('user');
        const role = dto.role ?? user.role;
        // Leaving the seller role unlinks the participant unless the request says otherwise.
        const participantId =
          dto.participantId !== undefined
            ? dto.participantId
            : role === 'seller'
              ? user.participantId
              : null;
        checkParticipant(role, participantId);
        if (user.role === 'admin' && role !== 'admin' && adminCount <= 1) {
          throw conflictError('last_admin', [
            { path: 'role', message: 'the last admin cannot stop being one: make another first' },
          ]);
        }
        const changes: UserChanges = {
          ...(dto.email !== undefined && { email: dto.email }),
          ...(passwordHash !== undefined && { passwordHash }),
          role,
          participantId,
        };
        await this.users.update(id, changes, manager);
        if (passwordHash !== undefined) await this.sessions.deleteForUser(id, manager);
        const result = await this.users.findById(id, manager);
        if (result === null) throw notFound('user');
        return result;
      });
      // Open sockets follow: closed when signed out, narrowed when the role or participant changed.
      this.cluster.principalsChanged({ kind: 'user', id });
      return toUserView(updated);
    } catch (error) {
      translateWriteError(error);
    }
  }

  /** Deletes a user and their sessions. The last admin stays. */
  async delete(id: string): Promise<void> {
    if (!isUuid(id)) throw notFound('user');
    await this.dataSource.transaction(async (manager) => {
      const adminCount = await this.users.lockAdmins(manager);
      const user = await this.users.findById(id, manager);
      if (user === null) throw notFound('user');
      if (user.role === 'admin' && adminCount <= 1) {
        throw conflictError('last_admin', [
          { path: 'id', message: 'the last admin cannot be deleted: make another first' },
        ]);
      }
      await this.users.delete(id, manager);
    });
    this.cluster.principalsChanged({ kind: 'user', id });
  }
}
