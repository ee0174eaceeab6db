import { Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
} from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import { HealthService, type Health } from '../health/health.service.js';
import { APP_VERSION } from '../version.js';
import type { LiveClientEvents, LiveServerEvents } from './live-events.js';

type LiveSocket = Socket<LiveClientEvents, LiveServerEvents>;

/** The live namespace every screen connects to. */
@WebSocketGateway({ namespace: '/live', serveClient: false })
export class LiveGateway implements OnGatewayConnection<LiveSocket> {
  private readonly logger = new Logger(LiveGateway.name);

  constructor(private readonly health: HealthService) {}

  handleConnection(socket: LiveSocket): void {
    this.logger.debug(`socket ${socket.id} connected`);
    socket.emit('hello', { server: 'podium', version: APP_VERSION });
  }

  @SubscribeMessage('health')
  async onHealth(@ConnectedSocket() socket: LiveSocket): Promise<Health> {
    void socket;
    return this.health.check();
  }
}
