import { Module } from '@nestjs/common';
import { DisplaysController } from './displays.controller.js';
import { DisplaysRepository } from './displays.repository.js';
import { DisplaysService } from './displays.service.js';

/** Display tokens. Import it for `DisplaysService.ensureDemoDisplay`. */
@Module({
  controllers: [DisplaysController],
  providers: [DisplaysRepository, DisplaysService],
  exports: [DisplaysService],
})
export class DisplaysModule {}
