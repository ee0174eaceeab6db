import { Global, Module } from '@nestjs/common';
import { LiveBus } from '../common/live-bus.js';

/**
 * The in-process bus every capability publishes live changes on. Repositories are not shared
 * here: a capability reads another's data through that capability's service.
 */
@Global()
@Module({
  providers: [LiveBus],
  exports: [LiveBus],
})
export class RepositoriesModule {}
