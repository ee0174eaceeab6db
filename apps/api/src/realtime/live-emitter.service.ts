import { Injectable } from '@nestjs/common';
import type { LiveClientEvents, LiveServerEvents, LiveServerPayload } from '@podium/contest-model';
import type { Namespace, Socket } from 'socket.io';
import type { Principal } from '../auth/principal.js';
import { AUDIENCES, type Audience } from './audience.js';
import { roomOf } from './rooms.js';

export interface LiveSocketData {
  principal: Principal;
  /** The handshake's token, re-resolved when credentials change (never logged). */
  token?: string;
}

export type LiveSocket = Socket<
  LiveClientEvents,
  LiveServerEvents,
  Record<string, never>,
  LiveSocketData
>;

/**
 * How far a broadcast goes: `cluster`, every process's sockets in the room (through the Redis
 * adapter when there is one); `process`, this process's sockets only.
 */
export type Reach = 'cluster' | 'process';

/** A contest's room for one audience. */
export interface ContestTarget {
  readonly contestId: string;
  readonly audience: Audience;
  readonly reach: Reach;
}

/** A simulation's room. */
export interface SimulationTarget {
  readonly simulationId: string;
  readonly reach: Reach;
}

/** One socket, whatever it subscribed to. */
export interface SocketTarget {
  readonly socket: LiveSocket;
}

/** One socket following a contest: held, like the contest's room, while its subscribe waits. */
export interface FollowerTarget {
  readonly socket: LiveSocket;
  readonly contestId: string;
}

/** Where each event of the map may go. An event missing here makes {@link LiveEmit} fail. */
export interface LiveTargets {
  hello: SocketTarget;
  revoked: SocketTarget;
  display: SocketTarget;
  focus: FollowerTarget;
  standings: ContestTarget;
  fund: ContestTarget;
  deal: ContestTarget;
  checkpoint: ContestTarget;
  contest: ContestTarget;
  forecast: ContestTarget;
  simulation: SimulationTarget;
}

type LiveEvent = keyof LiveServerEvents;

/** One emit: an event, where the map lets it go, and the payload the map gives it. */
export type LiveEmit = {
  [E in LiveEvent]: [event: E, to: LiveTargets[E], payload: LiveServerPayload<E>];
}[LiveEvent];

/** The events a subscribing socket may have held: those about one contest. */
type HeldEvent = {
  [E in LiveEvent]: LiveTargets[E] extends ContestTarget | FollowerTarget ? E : never;
}[LiveEvent];

/**
 * The contest seq an event shows, which a held socket compares with its snapshot's; null for a
 * notice sent whatever the snapshot (a state change; a checkpoint is not part of a snapshot).
 */
const SHOWN_SEQ: { [E in HeldEvent]: (payload: LiveServerPayload<E>) => number | null } = {
  standings: (view) => view.seq,
  fund: (fund) => fund.seq,
  deal: (deal) => deal.seq,
  focus: (focus) => focus.seq,
  checkpoint: () => null,
  contest: () => null,
  // Not part of a snapshot (a client reads the latest with GET …/forecast): always sent.
  forecast: () => null,
};

/** What every socket.io emitter is once {@link LiveEmitter.send} has checked the map. */
interface Untyped {
  emit(event: string, payload: unknown): unknown;
}

/** Something a contest's room sent a held socket, waiting for the socket's snapshot to go first. */
interface Held {
  /** The contest seq it shows; null for a notice sent whatever the snapshot. */
  readonly seq: number | null;
  readonly event: LiveEvent;
  readonly payload: unknown;
}

/** A socket subscribing to a contest, between joining the room and getting its snapshot. */
interface Hold {
  readonly socket: LiveSocket;
  /** Subscribes of this socket to this contest still waiting for their answer. */
  waiting: number;
  /** The newest snapshot seq already answered to the socket while another subscribe waits. */
  answeredSeq: number | null;
  readonly held: Held[];
}

/**
 * The one way anything reaches a `/live` socket: {@link send}, typed by the shared event map and
 * {@link LiveTargets}, so an event sent with a payload or to a room the map does not give it does
 * not compile. It also keeps a subscribing socket's contest quiet until its snapshot has gone
 * ({@link hold}, {@link release}).
 */
@Injectable()
export class LiveEmitter {
  private namespace: Namespace<LiveClientEvents, LiveServerEvents> | null = null;
  /** Per contest, the sockets whose subscribe has not been answered yet, by socket id. */
  private readonly holds = new Map<string, Map<string, Hold>>();

  attach(namespace: Namespace<LiveClientEvents, LiveServerEvents>): void {
    this.namespace = namespace;
  }

  /** Whether the gateway is up: before it, there is no one to send anything to. */
  get attached(): boolean {
    return this.namespace !== null;
  }

  send(...[event, to, payload]: LiveEmit): void {
    const namespace = this.namespace;
    if ('socket' in to) {
      const hold = 'contestId' in to ? this.holds.get(to.contestId)?.get(to.socket.id) : undefined;
      if (hold) hold.held.push({ seq: shownSeq(event, payload), event, payload });
      else untyped(to.socket).emit(event, payload);
      return;
    }
    if (!namespace) return;
    const sockets = to.reach === 'cluster' ? namespace : namespace.local;
    if ('simulationId' in to) {
      untyped(sockets.to(roomOf(to))).emit(event, payload);
      return;
    }
    // Sent to the room except to this process's sockets still waiting for their snapshot: those
    // get it after their answer, if it is newer than the snapshot (see hold).
    const room = roomOf(to);
    const holds = this.holds.get(to.contestId);
    if (!holds) {
      untyped(sockets.to(room)).emit(event, payload);
      return;
    }
    const seq = shownSeq(event, payload);
    for (const hold of holds.values())
      if (hold.socket.rooms.has(room)) hold.held.push({ seq, event, payload });
    untyped(sockets.to(room).except([...holds.keys()])).emit(event, payload);
  }

  /**
   * Called before a socket joins a contest's room to subscribe: until {@link release}, whatever
   * this process sends the socket about the contest waits. The snapshot is read after the join,
   * but the answer leaves later, and an update sent in between would reach the client before the
   * snapshot it continues, or across it; held, it follows the answer instead, and only when it is
   * newer than the snapshot (DESIGN §6).
   */
  hold(contestId: string, socket: LiveSocket): void {
    let holds = this.holds.get(contestId);
    if (!holds) this.holds.set(contestId, (holds = new Map()));
    const hold = holds.get(socket.id);
    if (hold) hold.waiting += 1;
    else holds.set(socket.id, { socket, waiting: 1, answeredSeq: null, held: [] });
  }

  /**
   * Called right after the subscribe answer was sent (in the same tick): sends what was held that
   * is newer than the answered snapshot (`seq` above `snapshotSeq`; notices without a seq always),
   * in the order it was emitted. `snapshotSeq` null: the answer carried no snapshot; what was held
   * is sent when the socket is still in the room from an earlier subscribe, dropped otherwise.
   * While another subscribe of the socket waits, everything stays held for the last answer.
   */
  release(contestId: string, socketId: string, snapshotSeq: number | null): void {
    const holds = this.holds.get(contestId);
    const hold = holds?.get(socketId);
    if (!holds || !hold) return;
    if (snapshotSeq !== null)
      hold.answeredSeq = Math.max(hold.answeredSeq ?? snapshotSeq, snapshotSeq);
    hold.waiting -= 1;
    if (hold.waiting > 0) return;
    holds.delete(socketId);
    if (holds.size === 0) this.holds.delete(contestId);
    const floor = hold.answeredSeq;
    const inRoom = AUDIENCES.some((audience) =>
      hold.socket.rooms.has(roomOf({ contestId, audience })),
    );
    if (!hold.socket.connected || (floor === null && !inRoom)) return;
    for (const item of hold.held)
      if (floor === null || item.seq === null || item.seq > floor)
        untyped(hold.socket).emit(item.event, item.payload);
  }

  /** Forgets a disconnected socket's holds. */
  forgetSocket(socketId: string): void {
    for (const [contestId, holds] of [...this.holds]) {
      holds.delete(socketId);
      if (holds.size === 0) this.holds.delete(contestId);
    }
  }
}

function shownSeq(event: LiveEvent, payload: unknown): number | null {
  const seqOf = (SHOWN_SEQ as Partial<Record<LiveEvent, (payload: unknown) => number | null>>)[
    event
  ];
  return seqOf ? seqOf(payload) : null;
}

/** socket.io's typed `emit` cannot follow a union of events; {@link LiveEmitter.send} did. */
function untyped(emitter: object): Untyped {
  return emitter as Untyped;
}
