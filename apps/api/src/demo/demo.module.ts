import { Module } from '@nestjs/common';
import { ContestsModule } from '../contests/contests.module.js';
import { DisplaysModule } from '../displays/displays.module.js';
import { EventsModule } from '../events/events.module.js';
import { DemoService } from './demo.service.js';

@Module({ imports: [ContestsModule, EventsModule, DisplaysModule], providers: [DemoService] })
export class DemoModule {}
