import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { LiveClientEvents, LiveServerEvents } from '@podium/contest-model';
import type { Namespace } from 'socket.io';
import { AuthService } from '../auth/auth.service.js';
import { hasRole, isAssignedTo, type DisplayPrincipal, type Principal } from '../auth/principal.js';
import { ClusterService, type PrincipalRef } from '../database/cluster/cluster.service.js';
import { audienceOf } from './audience.js';
import { LiveEmitter, type LiveSocket } from './live-emitter.service.js';
import { LiveFollowers } from './live-followers.service.js';
import { parseRoom } from './rooms.js';

/**
 * Every socket's credential is checked again this often, whatever the notices said: a notice
 * missed (a LISTEN connection lost, a process that died before sending it) is healed here.
 */
export const RECHECK_MS = 30_000;
/** A session timer fires this long after the session's end, so PostgreSQL agrees it ended. */
const EXPIRY_SLACK_MS = 250;
/** setTimeout holds at most this (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Why a socket's credential stopped working, in words a screen can show. */
function revokedReason(principal: Principal): string {
  if (principal.kind === 'display') return 'revoked: this display was revoked';
  if (principal.kind === 'user' && principal.personalLinkId !== undefined)
    return 'revoked: this personal link was revoked or replaced';
  return 'revoked: the session ended (signed out, expired, or the account changed): sign in again';
}

/** Whether a display's name, contests or settings differ between two resolutions of its token. */
function displayChanged(before: Principal, after: DisplayPrincipal): boolean {
  if (before.kind !== 'display') return true;
  const shown = (display: DisplayPrincipal) =>
    JSON.stringify([display.name, display.contestIds, display.settings]);
  return shown(before) !== shown(after);
}

function matches(principal: Principal, of: PrincipalRef): boolean {
  switch (of.kind) {
    case 'display':
      return principal.kind === 'display' && (of.id === null || principal.displayId === of.id);
    case 'personalLink':
      return (
        principal.kind === 'user' &&
        principal.personalLinkId !== undefined &&
        (of.participantId === null || principal.participantId === of.participantId)
      );
    case 'user':
      return (
        principal.kind === 'user' &&
        principal.personalLinkId === undefined &&
        principal.userId === of.id
      );
    case 'session':
      return (
        principal.kind === 'user' &&
        principal.personalLinkId === undefined &&
        principal.sessionId === of.id
      );
  }
}

/** What a contest subscription was made for: who it focuses on and which audience it sees. */
function subscriptionKey(principal: Principal): string {
  const self =
    principal.kind === 'user' && principal.role === 'seller' ? principal.participantId : '';
  return `${audienceOf(principal)}|${self ?? ''}`;
}

/**
 * Keeps open sockets to what their credentials allow now (DESIGN §8). A socket is authenticated
 * once, at the handshake; afterwards, when a credential changes — a display revoked or its
 * contests changed, a personal link revoked or replaced, a session signed out, a user deleted or
 * changed — the process that changed it sends a `principals` cluster notice naming whose
 * credentials changed (never what they now allow), and every process re-resolves the tokens of its
 * own sockets that match from PostgreSQL, the one source of truth:
 *
 * - a token that no longer resolves: the socket gets `revoked` with the reason and is
 *   disconnected (a reconnection with it is refused at the handshake);
 * - a token that still resolves but allows less: the socket leaves the rooms it may no longer be
 *   in (a contest no longer assigned, an audience or focus that changed with a role, simulations
 *   for a role that no longer follows them) and gets `revoked` with that `contestId`.
 *
 * - a display whose name, contests or settings changed: the socket gets `display`, and the TV
 *   reads its settings again.
 *
 * A session is also re-checked at its expiry, and every socket every {@link RECHECK_MS}.
 */
@Injectable()
export class LiveAccessService implements OnModuleDestroy {
  private readonly logger = new Logger(LiveAccessService.name);
  private namespace: Namespace<LiveClientEvents, LiveServerEvents> | null = null;
  private readonly expiryTimers = new Map<string, NodeJS.Timeout>();
  private readonly sweep: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly auth: AuthService,
    private readonly followers: LiveFollowers,
    private readonly emitter: LiveEmitter,
    cluster: ClusterService,
  ) {
    this.unsubscribe = cluster.subscribe((message) => {
      if (message.kind === 'principals') void this.recheckWhere((p) => matches(p, message.of));
      // Notices may have been missed while the LISTEN connection was away.
      else if (message.kind === 'reconnected') void this.recheckWhere(() => true);
    });
    this.sweep = setInterval(() => void this.recheckWhere(() => true), RECHECK_MS);
    this.sweep.unref();
  }

  attach(namespace: Namespace<LiveClientEvents, LiveServerEvents>): void {
    this.namespace = namespace;
  }

  onModuleDestroy(): void {
    this.unsubscribe();
    clearInterval(this.sweep);
    for (const timer of this.expiryTimers.values()) clearTimeout(timer);
    this.expiryTimers.clear();
  }

  /** A socket connected: its session, if it has one, is checked again when it expires. */
  track(socket: LiveSocket): void {
    this.armExpiry(socket);
  }

  forget(socketId: string): void {
    const timer = this.expiryTimers.get(socketId);
    if (timer) clearTimeout(timer);
    this.expiryTimers.delete(socketId);
  }

  /**
   * A subscription that began before its socket's principal changed: re-applies the change to
   * the rooms it has joined since.
   */
  async reconcile(socket: LiveSocket, before: Principal): Promise<void> {
    if (!socket.connected) return;
    const now = socket.data.principal;
    if (now !== before) await this.prune(socket, before, now);
  }

  /** Re-resolves the tokens of this process's sockets whose principal passes `select`. */
  private async recheckWhere(select: (principal: Principal) => boolean): Promise<void> {
    const namespace = this.namespace;
    if (!namespace) return;
    const sockets = [...namespace.sockets.values()].filter(
      (socket) => socket.data.token !== undefined && select(socket.data.principal),
    ) as LiveSocket[];
    await this.recheck(sockets);
  }

  private async recheck(sockets: readonly LiveSocket[]): Promise<void> {
    // One lookup per distinct token: a wall of TVs shares a handful.
    const resolved = new Map<string, Promise<Principal | null | undefined>>();
    for (const socket of sockets) {
      const token = socket.data.token as string;
      if (!resolved.has(token)) {
        resolved.set(
          token,
          this.auth.resolve(token).catch((error: unknown) => {
            // The database is away: keep the socket; the next check decides.
            this.logger.warn(`re-checking a socket's credential failed: ${String(error)}`);
            return undefined;
          }),
        );
      }
    }
    await Promise.all(
      sockets.map(async (socket) => {
        const before = socket.data.principal;
        const after = await resolved.get(socket.data.token as string);
        if (after === undefined || !socket.connected) return;
        if (after === null || after.kind === 'apiKey' || after.kind !== before.kind) {
          this.revoke(socket, revokedReason(before));
          return;
        }
        socket.data.principal = after;
        this.armExpiry(socket);
        await this.prune(socket, before, after);
        // A TV follows its settings without a reload: told they changed, it reads them again.
        if (after.kind === 'display' && displayChanged(before, after)) {
          this.emitter.send('display', { socket }, { displayId: after.displayId });
        }
      }),
    );
  }

  private revoke(socket: LiveSocket, reason: string): void {
    this.forget(socket.id);
    this.followers.forgetSocket(socket.id);
    this.emitter.forgetSocket(socket.id);
    this.emitter.send('revoked', { socket }, { reason });
    // Packets go out in order: the client reads the reason, then the server's disconnect.
    socket.disconnect(true);
  }

  /** Leaves the rooms `after` may no longer be in, telling the client which contests ended. */
  private async prune(socket: LiveSocket, before: Principal, after: Principal): Promise<void> {
    const sameView = subscriptionKey(before) === subscriptionKey(after);
    for (const room of [...socket.rooms]) {
      const of = parseRoom(room);
      if (of && 'contestId' in of) {
        const { contestId } = of;
        // Same role and participant: only a display's assignments can have changed.
        if (sameView && isAssignedTo(after, contestId)) continue;
        await socket.leave(room);
        this.followers.unfollow(contestId, socket.id);
        this.emitter.send(
          'revoked',
          { socket },
          {
            contestId,
            reason: isAssignedTo(after, contestId)
              ? 'revoked: your access to this contest changed: subscribe again'
              : 'revoked: this contest is no longer assigned to this display',
          },
        );
      } else if (of && 'simulationId' in of && !hasRole(after, 'admin', 'director')) {
        await socket.leave(room);
      }
    }
  }

  /** A session socket is re-checked right after its session's end. */
  private armExpiry(socket: LiveSocket): void {
    this.forget(socket.id);
    const principal = socket.data.principal;
    if (principal.kind !== 'user' || principal.personalLinkId !== undefined) return;
    const delay = principal.expiresAt.getTime() - Date.now() + EXPIRY_SLACK_MS;
    const timer = setTimeout(
      () => {
        this.expiryTimers.delete(socket.id);
        void this.recheck([socket]);
      },
      // At least a second apart: a database clock a little behind this one is asked again soon, not
      // in a loop.
      Math.min(Math.max(delay, 1_000), MAX_TIMER_MS),
    );
    timer.unref();
    this.expiryTimers.set(socket.id, timer);
  }
}
