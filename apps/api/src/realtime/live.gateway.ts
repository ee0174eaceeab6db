import { Logger } from '@nestjs/common';
import {
  Ack,
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { LiveClientEvents, LiveServerEvents, SubscribeAck } from '@podium/contest-model';
import type { Namespace } from 'socket.io';
import { z } from 'zod';
import { AuthService } from '../auth/auth.service.js';
import { ANONYMOUS, canReadContest } from '../auth/principal.js';
import { isDatabaseUnavailable } from '../common/database-errors.js';
import { ClusterService } from '../database/cluster/cluster.service.js';
import { HealthService, type Health } from '../health/health.service.js';
import { SimulationsService } from '../simulations/simulations.service.js';
import { APP_VERSION } from '../version.js';
import { AUDIENCES, audienceOf } from './audience.js';
import { LiveAccessService } from './live-access.service.js';
import {
  LiveEmitter,
  type LiveSocket,
  type LiveSocketData as SocketData,
} from './live-emitter.service.js';
import { LiveFollowers } from './live-followers.service.js';
import { LiveViews } from './live-views.service.js';
import { RedisRoomsService } from './redis-rooms.service.js';
import { roomOf } from './rooms.js';

/**
 * A handshake refused because PostgreSQL did not answer in time (it is away, or the machine is
 * too busy to hand out a connection within the pool's limit): connect again.
 */
export const HANDSHAKE_UNAVAILABLE =
  'unavailable: the database did not answer in time; connect again';

const subscribeSchema = z.strictObject({
  contestId: z.uuid(),
  participantId: z.string().min(1).max(200).optional(),
});

/**
 * The `/live` namespace every screen connects to (DESIGN §6). The handshake carries
 * `auth: { token }` — a user session or a display token; an unknown or expired token is refused
 * there. Without a token a socket may only ask for `health`. `subscribe` joins a contest's room,
 * then answers its snapshot: nothing of the room reaches the socket before the answer, and the
 * updates that follow continue its seq without a gap. Subscribing again is how a client resyncs
 * after a gap or a reconnect.
 * A credential revoked or narrowed later closes or unsubscribes the sockets that use it, on every
 * process ({@link LiveAccessService}).
 */
@WebSocketGateway({ namespace: '/live', serveClient: false })
export class LiveGateway
  implements
    OnGatewayInit<Namespace>,
    OnGatewayConnection<LiveSocket>,
    OnGatewayDisconnect<LiveSocket>
{
  private readonly logger = new Logger(LiveGateway.name);

  constructor(
    private readonly health: HealthService,
    private readonly auth: AuthService,
    private readonly views: LiveViews,
    private readonly followers: LiveFollowers,
    private readonly emitter: LiveEmitter,
    private readonly simulations: SimulationsService,
    private readonly redisRooms: RedisRoomsService,
    private readonly cluster: ClusterService,
    private readonly access: LiveAccessService,
  ) {}

  afterInit(namespace: Namespace): void {
    this.redisRooms.attach(namespace.server);
    const typed = namespace as unknown as Namespace<LiveClientEvents, LiveServerEvents>;
    this.emitter.attach(typed);
    this.access.attach(typed);
    // The process running a simulation emits its progress to the room, which the Redis adapter
    // carries to every process; without Redis each process emits what it hears to its sockets.
    this.simulations.onProgress((update, origin) => {
      const simulationId = update.id;
      if (origin === 'local')
        this.emitter.send('simulation', { simulationId, reach: 'cluster' }, update);
      else if (!this.cluster.sharedRooms)
        this.emitter.send('simulation', { simulationId, reach: 'process' }, update);
    });
    namespace.use((socket, next) => {
      const token: unknown = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      if (token === undefined || token === null || token === '') {
        (socket.data as SocketData).principal = ANONYMOUS;
        next();
        return;
      }
      if (typeof token !== 'string') {
        next(new Error('unauthorized: auth.token must be a string'));
        return;
      }
      this.auth.resolve(token).then(
        (principal) => {
          if (principal === null || principal.kind === 'apiKey') {
            next(new Error('unauthorized: the token is unknown, expired or revoked'));
            return;
          }
          (socket.data as SocketData).principal = principal;
          (socket.data as SocketData).token = token;
          next();
        },
        (error: unknown) => {
          // The client connects again (the web client does for every refusal but
          // `unauthorized`); a database error's own text is not for it.
          if (isDatabaseUnavailable(error)) {
            this.logger.warn(`handshake: the database did not answer: ${String(error)}`);
            next(new Error(HANDSHAKE_UNAVAILABLE));
          } else {
            this.logger.error(`handshake failed: ${String(error)}`);
            next(new Error('internal error'));
          }
        },
      );
    });
  }

  handleConnection(socket: LiveSocket): void {
    this.emitter.send('hello', { socket }, { server: 'podium', version: APP_VERSION });
    this.access.track(socket);
  }

  handleDisconnect(socket: LiveSocket): void {
    this.followers.forgetSocket(socket.id);
    this.emitter.forgetSocket(socket.id);
    this.access.forget(socket.id);
  }

  @SubscribeMessage('health')
  onHealth(): Promise<Health> {
    return this.health.check();
  }

  /**
   * Answers with the snapshot, then, in the same tick, sends what the room sent the socket while
   * the snapshot was read and the answer was on its way, when newer than the snapshot
   * ({@link LiveEmitter.hold}). The answer is sent here, not by returning it: between a handler's
   * return and the framework's ack there are turns of the event loop where an update could
   * overtake it.
   */
  @SubscribeMessage('subscribe')
  async onSubscribe(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
    @Ack() ack: unknown,
  ): Promise<void> {
    const { answer, release } = await this.subscribe(socket, body);
    if (typeof ack === 'function') (ack as (answer: SubscribeAck) => void)(answer);
    release();
  }

  private async subscribe(
    socket: LiveSocket,
    body: unknown,
  ): Promise<{ answer: SubscribeAck; release: () => void }> {
    const nothing = () => undefined;
    const principal = socket.data.principal;
    if (principal.kind === 'anonymous')
      return {
        answer: { ok: false, error: 'unauthorized: connect with auth.token to subscribe' },
        release: nothing,
      };
    const parsed = subscribeSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const error = `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`;
      return { answer: { ok: false, error }, release: nothing };
    }
    const { contestId } = parsed.data;
    // A seller follows themself; staff may follow anyone; a display follows nobody.
    const focus =
      principal.kind === 'user'
        ? principal.role === 'seller'
          ? principal.participantId
          : (parsed.data.participantId ?? null)
        : null;
    const notFound = `not found: no contest ${contestId} for this viewer`;
    // Checked before joining: a socket never sits, even briefly, in a room it may not read.
    const meta = await this.views.meta(contestId);
    if (!meta || !canReadContest(principal, meta.access))
      return { answer: { ok: false, error: notFound }, release: nothing };
    const audience = audienceOf(principal);
    const room = roomOf({ contestId, audience });
    const joined = socket.rooms.has(room);
    // Held from before the join until the answer has gone: the snapshot decides what follows it.
    this.emitter.hold(contestId, socket);
    const answered = (answer: SubscribeAck) => ({
      answer,
      release: () =>
        this.emitter.release(contestId, socket.id, answer.ok ? answer.snapshot.seq : null),
    });
    try {
      // The room first, the snapshot second: every update sent after the snapshot was read
      // reaches this socket, so its updates continue the snapshot's seq without a gap (DESIGN §6).
      if (!joined) await socket.join(room);
      const snapshot = await this.views.snapshot(contestId, principal, focus);
      if (focus) {
        this.followers.follow(contestId, {
          socket,
          participantId: focus,
          audience,
          self: principal.kind === 'user' ? principal.participantId : null,
        });
      }
      // Revoked or narrowed while the snapshot was read: the rooms just joined follow the change,
      // and a socket no longer in the room gets no snapshot.
      await this.access.reconcile(socket, principal);
      if (!socket.rooms.has(room))
        return answered({ ok: false, error: 'revoked: your access to this contest changed' });
      return answered({ ok: true, snapshot });
    } catch (error) {
      // Never thrown past here: the hold taken above is released only with an answer.
      if (!joined)
        await Promise.resolve()
          .then(() => socket.leave(room))
          .catch((left: unknown) => this.logger.error(`leaving ${room} failed: ${String(left)}`));
      const status = (error as { getStatus?: () => number }).getStatus?.();
      if (status === 404) return answered({ ok: false, error: notFound });
      this.logger.error(`subscribe to ${contestId} failed: ${String(error)}`);
      return answered({ ok: false, error: 'internal error' });
    }
  }

  /** Directors and admins follow a simulation's progress in the room `simulation:<id>`. */
  @SubscribeMessage('watchSimulation')
  async onWatchSimulation(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<{ ok: boolean; error?: string }> {
    const principal = socket.data.principal;
    if (
      principal.kind !== 'user' ||
      (principal.role !== 'admin' && principal.role !== 'director')
    ) {
      return { ok: false, error: 'forbidden: directors and admins follow simulations' };
    }
    const parsed = z.strictObject({ id: z.uuid() }).safeParse(body);
    if (!parsed.success) return { ok: false, error: 'id: must be a simulation id (UUID)' };
    await socket.join(roomOf({ simulationId: parsed.data.id }));
    await this.access.reconcile(socket, principal);
    return { ok: true };
  }

  @SubscribeMessage('unsubscribe')
  async onUnsubscribe(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): Promise<{ ok: boolean }> {
    const parsed = subscribeSchema.pick({ contestId: true }).safeParse(body);
    if (!parsed.success) return { ok: false };
    const { contestId } = parsed.data;
    for (const audience of AUDIENCES) await socket.leave(roomOf({ contestId, audience }));
    this.followers.unfollow(contestId, socket.id);
    return { ok: true };
  }
}
