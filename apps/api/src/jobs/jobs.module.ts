import { Global, Module, type DynamicModule } from '@nestjs/common';
import { JOBS_DATABASE_URL, JobsService } from './jobs.service.js';

/** The job system (pg-boss on the application's database), for every capability. */
@Global()
@Module({})
export class JobsModule {
  static forRoot(databaseUrl: string): DynamicModule {
    return {
      module: JobsModule,
      providers: [{ provide: JOBS_DATABASE_URL, useValue: databaseUrl }, JobsService],
      exports: [JobsService],
    };
  }
}
