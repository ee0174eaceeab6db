import { Module } from '@nestjs/common';
import { HealthController } from './health.controller.js';
import { HealthService } from './health.service.js';
import { VersionController } from './version.controller.js';

@Module({
  controllers: [HealthController, VersionController],
  providers: [HealthService],
  exports: [HealthService],
})
export class HealthModule {}
