import { Module } from '@nestjs/common';
import { ContestsModule } from '../contests/contests.module.js';
import { SimulationsModule } from '../simulations/simulations.module.js';
import { ExportsController } from './exports.controller.js';
import { ExportsService } from './exports.service.js';

@Module({
  imports: [ContestsModule, SimulationsModule],
  controllers: [ExportsController],
  providers: [ExportsService],
  // E-mail attaches the report's CSV as the download makes it.
  exports: [ExportsService],
})
export class ExportsModule {}
