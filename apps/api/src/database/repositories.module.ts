import { Global, Module } from '@nestjs/common';
import { LiveBus } from '../common/live-bus.js';
import { EventsRepository } from '../events/events.repository.js';

/**
 * Repositories shared by several capabilities (contests, events, standings read the same
 * tables). Global so the modules do not import each other in circles.
 */
@Global()
@Module({
  providers: [EventsRepository, LiveBus],
  exports: [EventsRepository, LiveBus],
})
export class RepositoriesModule {}
