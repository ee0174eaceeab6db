import { Global, Module } from '@nestjs/common';
import { ClusterService } from './cluster.service.js';

/** Cross-process notices over PostgreSQL LISTEN/NOTIFY; global, like the repositories. */
@Global()
@Module({ providers: [ClusterService], exports: [ClusterService] })
export class ClusterModule {}
