import { Module } from '@nestjs/common';
import { PasswordHasher } from '../auth/password-hasher.js';
import { SessionsRepository } from './sessions.repository.js';
import { SessionsService } from './sessions.service.js';
import { UsersController } from './users.controller.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

/** Users and their sessions (a password change or a deletion ends the sessions with it). */
@Module({
  controllers: [UsersController],
  providers: [UsersRepository, UsersService, SessionsRepository, SessionsService, PasswordHasher],
  exports: [UsersService, SessionsService, PasswordHasher],
})
export class UsersModule {}
