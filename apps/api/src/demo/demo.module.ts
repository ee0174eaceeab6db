import { Module } from '@nestjs/common';
import { ContestsModule } from '../contests/contests.module.js';
import { DisplaysModule } from '../displays/displays.module.js';
import { EventsModule } from '../events/events.module.js';
import { ForecastsModule } from '../forecasts/forecasts.module.js';
import { PersonalLinksModule } from '../personal-links/personal-links.module.js';
import { UsersModule } from '../users/users.module.js';
import { DemoEntryService } from './demo-entry.service.js';
import { DemoController } from './demo.controller.js';
import { DemoService } from './demo.service.js';

@Module({
  imports: [
    ContestsModule,
    EventsModule,
    DisplaysModule,
    UsersModule,
    PersonalLinksModule,
    ForecastsModule,
  ],
  controllers: [DemoController],
  providers: [DemoService, DemoEntryService],
})
export class DemoModule {}
