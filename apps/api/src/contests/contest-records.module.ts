import { Module } from '@nestjs/common';
import { ContestRecordsService } from './contest-records.service.js';
import { ContestsRepository } from './contests.repository.js';

/**
 * The contest rows as other capabilities read them. Apart from ContestsModule (which depends on
 * standings and events) so that standings can read contests without a circle of imports.
 */
@Module({
  providers: [ContestsRepository, ContestRecordsService],
  exports: [ContestRecordsService],
})
export class ContestRecordsModule {}
