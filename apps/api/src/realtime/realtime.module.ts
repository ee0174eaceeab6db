import { Module } from '@nestjs/common';
import { HealthModule } from '../health/health.module.js';
import { LiveGateway } from './live.gateway.js';

@Module({ imports: [HealthModule], providers: [LiveGateway] })
export class RealtimeModule {}
