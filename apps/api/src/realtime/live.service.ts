import { Injectable, Logger, NotFoundException, type OnModuleDestroy } from '@nestjs/common';
import {
  LIVE_TOP,
  type EvaluationResult,
  type LiveDeal,
  type LiveFocus,
  type LiveFund,
  type LiveServerEvents,
  type LiveSnapshot,
  type LiveView,
  type StandingRow,
} from '@podium/contest-model';
import type { BroadcastOperator, Namespace, Socket } from 'socket.io';
import { canReadContest, type ContestAccess, type Principal } from '../auth/principal.js';
import type { LiveBusEvent } from '../common/live-bus.js';
import { ContestRecordsService } from '../contests/contest-records.service.js';
import { accessOf, type ContestRecord } from '../contests/contests.repository.js';
import { ResultsService } from '../contests/results.service.js';
import {
  isStaff,
  redactDeal,
  redactRow,
  redactRows,
  type Redaction,
} from '../standings/redaction.js';
import { StandingsService, type StandingsUpdate } from '../standings/standings.service.js';
import { ClusterService, type ClusterOrigin } from './cluster/cluster.service.js';

/** Coalescing window: the first update goes at once, then at most one per window per contest. */
export const COALESCE_MS = 100;
/** At most this many `deal` celebrations per window; a burst of deals is not a flood of confetti. */
const DEALS_PER_WINDOW = 5;

export type Audience = 'staff' | 'public';

export const roomOf = (contestId: string, audience: Audience) => `contest:${contestId}:${audience}`;

export function audienceOf(principal: Principal): Audience {
  return isStaff(principal) ? 'staff' : 'public';
}

/** A subscriber following one participant. */
interface Follower {
  readonly socket: Socket;
  readonly participantId: string;
  readonly audience: Audience;
  readonly self: string | null;
}

/** Something a contest's room sent a held socket, waiting for the socket's snapshot to go first. */
interface Held {
  /** The contest seq it shows; null for a notice sent whatever the snapshot (state, checkpoint). */
  readonly seq: number | null;
  readonly send: (socket: Socket) => void;
}

/** A socket subscribing to a contest, between joining the room and getting its snapshot. */
interface Hold {
  readonly socket: Socket;
  /** Subscribes of this socket to this contest still waiting for their answer. */
  waiting: number;
  /** The newest snapshot seq already answered to the socket while another subscribe waits. */
  answeredSeq: number | null;
  readonly held: Held[];
}

/** A namespace, or its sockets on this process only. */
type LiveEmitter = Pick<BroadcastOperator<LiveServerEvents, unknown>, 'to'>;

interface Pending {
  timer: NodeJS.Timeout | null;
  dirty: boolean;
  lastSentSeq: number;
  lastFundMinor: number | null;
  deals: LiveDeal[];
}

/** An audience's view of amounts, for one viewer (`self`) or a whole room (null). */
function redactionOf(audience: Audience, showAmounts: boolean, self: string | null): Redaction {
  return { allVisible: audience === 'staff' || showAmounts, self };
}

/** Rows for an audience: {@link redactRows} with the audience's view of amounts. */
function rowsFor(
  rows: readonly StandingRow[],
  audience: Audience,
  showAmounts: boolean,
  self: string | null,
): StandingRow[] {
  return redactRows(rows, redactionOf(audience, showAmounts, self));
}

function fundOf(result: Pick<EvaluationResult, keyof LiveFund>): LiveFund {
  const {
    planMarginMinor,
    actualMarginMinor,
    aboveplanMarginMinor,
    fundMinor,
    prizes,
    prizesPaidMinor,
    breakEven,
    roi,
  } = result;
  return {
    planMarginMinor,
    actualMarginMinor,
    aboveplanMarginMinor,
    fundMinor,
    prizes,
    prizesPaidMinor,
    breakEven,
    roi,
  };
}

/** What a screen shows of a contest besides its standings: read once, kept until it changes. */
interface ContestMeta {
  readonly header: Omit<LiveView, 'seq' | 'participants' | 'fund' | 'top'>;
  readonly showAmounts: boolean;
  /** Who may subscribe (`canReadContest`). */
  readonly access: ContestAccess;
}

/** The views of one contest rendered for one seq (and one {@link ContestMeta}), per audience. */
interface Rendered {
  readonly meta: ContestMeta;
  readonly seq: number;
  readonly participants: number;
  readonly fund: LiveFund;
  /** The top rows as staff see them, unredacted. */
  readonly top: readonly StandingRow[];
  readonly views: Partial<Record<Audience, LiveView>>;
}

/**
 * Builds what screens see and pushes it: snapshots for subscribers, coalesced `standings`
 * updates per contest and audience, `focus` for subscribers following one participant, `deal`,
 * `fund`, `checkpoint` and `contest` notices.
 *
 * Subscribing is cheap (DESIGN §6): a snapshot is rendered from the in-memory projection, once
 * per contest, seq and audience, and shared by every subscriber (and by the update broadcast for
 * that seq); the contest's row is read from PostgreSQL once and kept until a `state` or `contest`
 * notice says it changed; subscribers arriving together share one catch-up read of the log.
 */
@Injectable()
export class LiveService implements OnModuleDestroy {
  private readonly logger = new Logger(LiveService.name);
  private namespace: Namespace<Record<string, never>, LiveServerEvents> | null = null;
  private readonly pending = new Map<string, Pending>();
  private readonly followers = new Map<string, Map<string, Follower>>();
  /** Per contest, the sockets whose subscribe has not been answered yet, by socket id. */
  private readonly holds = new Map<string, Map<string, Hold>>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly metas = new Map<string, Promise<ContestMeta | null>>();
  private readonly rendered = new Map<string, Rendered>();
  /** Snapshots of closed contests per `contestId|audience`, for viewers that follow nobody. */
  private readonly closedSnapshots = new Map<
    string,
    { meta: ContestMeta; snapshot: Promise<LiveSnapshot> }
  >();
  /** Per contest, the catch-up not started yet that new subscribers join. */
  private readonly waitingCatchUps = new Map<string, Promise<void>>();
  private readonly lastCatchUps = new Map<string, Promise<void>>();

  constructor(
    private readonly standings: StandingsService,
    private readonly contests: ResultsService,
    private readonly repository: ContestRecordsService,
    private readonly cluster: ClusterService,
  ) {
    this.unsubscribe.push(
      standings.onUpdate((update) => this.onStandings(update)),
      cluster.subscribe((message, origin) => {
        if (message.kind === 'bus') {
          if (message.event.kind === 'state') this.forgetMeta(message.event.contestId);
          this.onNotice(message.event, origin);
        } else if (message.kind === 'contest') {
          this.forgetMeta(message.contestId);
          this.schedule(message.contestId);
        } else if (message.kind === 'reconnected') {
          // Notices may have been missed while the LISTEN connection was away.
          for (const contestId of [...this.metas.keys()]) this.forgetMeta(contestId);
        }
      }),
    );
  }
  /**
   * A state change or a checkpoint, here or in another process. The process where it happened
   * emits it to the rooms; with the Redis adapter that reaches every process's sockets, so the
   * others emit it only when rooms are not shared. Standings follow everywhere (each process
   * pushes its own projection to its own sockets).
   */
  private onNotice(event: LiveBusEvent, origin: ClusterOrigin): void {
    if (!this.namespace) return;
    const emitHere = origin === 'local' || !this.cluster.sharedRooms;
    if (event.kind === 'state') {
      if (emitHere) {
        for (const audience of ['staff', 'public'] as const) {
          this.toRoom(this.rooms(origin), event.contestId, audience, null, 'contest', {
            contestId: event.contestId,
            state: event.state,
          });
        }
      }
      this.schedule(event.contestId);
    } else if (emitHere) {
      // Unpublished checkpoints are for staff; the public sees them once published.
      // A checkpoint is not part of a snapshot: a held socket gets it whatever its seq.
      const { checkpoint } = event;
      const { contestId } = checkpoint;
      this.toRoom(this.rooms(origin), contestId, 'staff', null, 'checkpoint', checkpoint);
      if (checkpoint.publishedAt !== null)
        this.toRoom(this.rooms(origin), contestId, 'public', null, 'checkpoint', checkpoint);
    }
  }

  /**
   * Where an emit goes: a notice that happened here goes to every process's sockets in the room
   * (through the Redis adapter when there is one); anything else only to this process's sockets.
   */
  private rooms(origin: ClusterOrigin): LiveEmitter {
    const namespace = this.namespace as Namespace<Record<string, never>, LiveServerEvents>;
    return origin === 'local' ? namespace : namespace.local;
  }

  /**
   * Emits to a contest's room, except to this process's sockets still waiting for their snapshot:
   * those get it after their answer, if it is newer than the snapshot (see {@link hold}).
   */
  private toRoom<E extends keyof LiveServerEvents>(
    emitter: LiveEmitter,
    contestId: string,
    audience: Audience,
    seq: number | null,
    event: E,
    ...args: Parameters<LiveServerEvents[E]>
  ): void {
    const room = roomOf(contestId, audience);
    const holds = this.holds.get(contestId);
    if (!holds) {
      emitter.to(room).emit(event, ...args);
      return;
    }
    for (const hold of holds.values()) {
      if (hold.socket.rooms.has(room))
        hold.held.push({ seq, send: (socket) => socket.emit(event, ...args) });
    }
    emitter
      .to(room)
      .except([...holds.keys()])
      .emit(event, ...args);
  }

  /** Emits to one socket following a contest, or holds it like {@link toRoom} does. */
  private toSocket<E extends keyof LiveServerEvents>(
    socket: Socket,
    contestId: string,
    seq: number | null,
    event: E,
    ...args: Parameters<LiveServerEvents[E]>
  ): void {
    const hold = this.holds.get(contestId)?.get(socket.id);
    if (hold) hold.held.push({ seq, send: (target) => target.emit(event, ...args) });
    else socket.emit(event, ...args);
  }

  /**
   * Called before a socket joins a contest's room to subscribe: until {@link release}, whatever
   * this process sends the socket about the contest waits. The snapshot is read after the join,
   * but the answer leaves later, and an update sent in between would reach the client before the
   * snapshot it continues, or across it; held, it follows the answer instead, and only when it is
   * newer than the snapshot (DESIGN §6).
   */
  hold(contestId: string, socket: Socket): void {
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
    const inRoom = (['staff', 'public'] as const).some((audience) =>
      hold.socket.rooms.has(roomOf(contestId, audience)),
    );
    if (!hold.socket.connected || (floor === null && !inRoom)) return;
    for (const item of hold.held)
      if (floor === null || item.seq === null || item.seq > floor) item.send(hold.socket);
  }

  follow(contestId: string, follower: Follower): void {
    let map = this.followers.get(contestId);
    if (!map) this.followers.set(contestId, (map = new Map()));
    map.set(follower.socket.id, follower);
  }

  unfollow(contestId: string, socketId: string): void {
    const map = this.followers.get(contestId);
    map?.delete(socketId);
    if (map?.size === 0) this.followers.delete(contestId);
  }

  /** Forgets a disconnected socket everywhere. */
  forgetSocket(socketId: string): void {
    for (const contestId of [...this.followers.keys()]) this.unfollow(contestId, socketId);
    for (const [contestId, holds] of [...this.holds]) {
      holds.delete(socketId);
      if (holds.size === 0) this.holds.delete(contestId);
    }
  }

  attach(namespace: Namespace<Record<string, never>, LiveServerEvents>): void {
    this.namespace = namespace;
  }

  onModuleDestroy(): void {
    for (const stop of this.unsubscribe) stop();
    for (const pending of this.pending.values()) if (pending.timer) clearTimeout(pending.timer);
  }

  /**
   * The contest's header and its amounts rule, read once and kept until a `state` or `contest`
   * notice (here or from another process) or a lost LISTEN connection; concurrent readers share
   * one read. Null for no such contest (not kept: it may be created later).
   */
  meta(contestId: string): Promise<ContestMeta | null> {
    let meta = this.metas.get(contestId);
    if (!meta) {
      const loading = this.repository.find(contestId).then((record) => {
        if (record === null && this.metas.get(contestId) === loading) this.metas.delete(contestId);
        return (
          record && {
            header: header(record),
            showAmounts: record.showAmounts,
            access: accessOf(record),
          }
        );
      });
      loading.catch(() => {
        if (this.metas.get(contestId) === loading) this.metas.delete(contestId);
      });
      this.metas.set(contestId, (meta = loading));
    }
    return meta;
  }

  private forgetMeta(contestId: string): void {
    this.metas.delete(contestId);
    this.rendered.delete(contestId);
    for (const audience of ['staff', 'public'] as const)
      this.closedSnapshots.delete(`${contestId}|${audience}`);
  }

  /**
   * Applies every event committed before the call. Subscribers arriving while a catch-up runs
   * share the next one (it starts after they asked), so a wall of screens costs two reads of the
   * log, not one each.
   */
  private caughtUp(contestId: string): Promise<void> {
    const waiting = this.waitingCatchUps.get(contestId);
    if (waiting) return waiting;
    const previous = this.lastCatchUps.get(contestId) ?? Promise.resolve();
    const next: Promise<void> = previous.then(() => {
      if (this.waitingCatchUps.get(contestId) === next) this.waitingCatchUps.delete(contestId);
      return this.standings.catchUp(contestId);
    });
    const settled = next.catch(() => undefined);
    this.waitingCatchUps.set(contestId, next);
    this.lastCatchUps.set(contestId, settled);
    void settled.then(() => {
      if (this.lastCatchUps.get(contestId) === settled) this.lastCatchUps.delete(contestId);
    });
    return next;
  }

  /**
   * The views of a counting contest at its projection's current seq, rendered once per seq and
   * meta and shared. Null when the contest is not counting. Reads the projection without I/O.
   */
  private async render(contestId: string, meta: ContestMeta): Promise<Rendered | null> {
    const live = await this.standings.liveParts(contestId, { top: LIVE_TOP });
    if (!live) return null;
    const cached = this.rendered.get(contestId);
    if (cached && cached.seq === live.seq && cached.meta === meta) return cached;
    const rendered: Rendered = {
      meta,
      seq: live.seq,
      participants: live.participants,
      fund: live.fund,
      top: live.top,
      views: {},
    };
    // Only the meta still current is kept: one read while it changes renders with the old one.
    if ((await this.metas.get(contestId)) === meta) this.rendered.set(contestId, rendered);
    return rendered;
  }

  /** A rendered seq as an audience sees it (without a viewer's own unredacted row). */
  private viewOf(rendered: Rendered, audience: Audience): LiveView {
    let view = rendered.views[audience];
    if (!view) {
      view = {
        ...rendered.meta.header,
        seq: rendered.seq,
        participants: rendered.participants,
        fund: rendered.fund,
        top: rowsFor(rendered.top, audience, rendered.meta.showAmounts, null),
      };
      rendered.views[audience] = view;
    }
    return view;
  }

  /**
   * The snapshot a subscriber gets in its ack; throws NotFound when the viewer may not read it.
   * It includes every event committed before the call. The projection may move on before the
   * answer leaves: {@link hold} keeps the updates sent meanwhile until it has.
   */
  async snapshot(
    contestId: string,
    viewer: Principal,
    focus: string | null,
  ): Promise<LiveSnapshot> {
    const meta = await this.meta(contestId);
    if (!meta || !canReadContest(viewer, meta.access))
      throw new NotFoundException(`no contest ${contestId}`);
    const audience = audienceOf(viewer);
    const self = viewer.kind === 'user' ? viewer.participantId : null;
    // Everything committed before the subscription, whichever process committed it: a client
    // that moves to another process resyncs to the seq the REST answer of any process gives.
    await this.caughtUp(contestId);
    const rendered = await this.render(contestId, meta);
    if (rendered) {
      const shared = this.viewOf(rendered, audience);
      const live =
        focus === null ? null : await this.standings.liveParts(contestId, { top: 0, focus });
      const { allVisible } = redactionOf(audience, meta.showAmounts, self);
      // A seller in the top sees their own amounts there; everyone else gets the shared rows.
      const top =
        !allVisible && self !== null && rendered.top.some((row) => row.participantId === self)
          ? rowsFor(rendered.top, audience, meta.showAmounts, self)
          : shared.top;
      return {
        ...shared,
        top,
        focus: live?.focus
          ? {
              ...live.focus,
              // Today only staff follow someone else; the rule still decides, not the caller.
              row: redactRow(live.focus.row, redactionOf(audience, meta.showAmounts, self)),
              neighbors: rowsFor(live.focus.neighbors, audience, meta.showAmounts, self),
            }
          : null,
      };
    }
    // A closed contest's results do not change: one read per audience serves the screens that
    // follow nobody (displays, staff without a participant).
    if (meta.header.state === 'closed' && self === null && focus === null) {
      const key = `${contestId}|${audience}`;
      let closed = this.closedSnapshots.get(key);
      if (closed?.meta !== meta) {
        closed = { meta, snapshot: this.settledSnapshot(contestId, viewer, meta, null) };
        this.closedSnapshots.set(key, closed);
        closed.snapshot.catch(() => {
          if (this.closedSnapshots.get(key) === closed) this.closedSnapshots.delete(key);
        });
      }
      return closed.snapshot;
    }
    return this.settledSnapshot(contestId, viewer, meta, focus);
  }

  /** Not counting (draft, scheduled, closed): the REST standings, already redacted for the viewer. */
  private async settledSnapshot(
    contestId: string,
    viewer: Principal,
    meta: ContestMeta,
    focus: string | null,
  ): Promise<LiveSnapshot> {
    const full = await this.contests.standingsOf(contestId, viewer);
    const index = focus ? full.standings.findIndex((row) => row.participantId === focus) : -1;
    const focused = index >= 0 ? (full.standings[index] as StandingRow) : null;
    return {
      ...meta.header,
      seq: full.seq,
      participants: full.standings.length,
      fund: fundOf(full),
      top: full.standings.slice(0, LIVE_TOP).map(({ whatItTakes: _w, ...row }) => row),
      focus: focused && {
        participantId: focused.participantId,
        row: focused,
        neighbors: full.standings.slice(Math.max(0, index - 3), index + 4),
      },
    };
  }

  private onStandings(update: StandingsUpdate): void {
    const pending = this.pendingOf(update.contestId);
    for (const { seq, event } of update.events) {
      if (event.type !== 'sale') continue;
      pending.deals.push({
        contestId: update.contestId,
        seq,
        participantId: event.participantId,
        name: '',
        team: null,
        occurredAt: event.occurredAt,
        isNewClient: event.isNewClient,
        amountMinor: event.amountMinor,
      });
      if (pending.deals.length > DEALS_PER_WINDOW) pending.deals.shift();
    }
    this.schedule(update.contestId);
  }

  private pendingOf(contestId: string): Pending {
    let pending = this.pending.get(contestId);
    if (!pending) {
      pending = { timer: null, dirty: false, lastSentSeq: 0, lastFundMinor: null, deals: [] };
      this.pending.set(contestId, pending);
    }
    return pending;
  }

  /** Leading edge at once; later changes within the window go out together at its end. */
  private schedule(contestId: string): void {
    const pending = this.pendingOf(contestId);
    if (pending.timer) {
      pending.dirty = true;
      return;
    }
    void this.flush(contestId);
    pending.timer = setTimeout(() => this.windowEnd(contestId), COALESCE_MS);
  }

  private windowEnd(contestId: string): void {
    const pending = this.pendingOf(contestId);
    pending.timer = null;
    if (!pending.dirty) return;
    pending.dirty = false;
    void this.flush(contestId);
    pending.timer = setTimeout(() => this.windowEnd(contestId), COALESCE_MS);
  }

  /**
   * Sends the contest's current view to this process's sockets in its rooms. The meta may be
   * read from PostgreSQL first; from reading the projection's seq to the last emit there is no
   * I/O, so `fromSeq` is always the seq the previous update carried and updates leave in order.
   */
  private async flush(contestId: string): Promise<void> {
    if (!this.namespace) return;
    // Every process pushes its own projection to its own sockets: never twice to a client.
    const namespace = this.namespace.local;
    try {
      const pending = this.pendingOf(contestId);
      const meta = await this.meta(contestId);
      if (!meta) return;
      const rendered = await this.render(contestId, meta);
      if (!rendered) return;
      const deals = pending.deals.splice(0);
      const names = new Map(rendered.top.map((row) => [row.participantId, row]));
      for (const deal of deals) {
        if (!names.has(deal.participantId)) {
          const row = (
            await this.standings.liveParts(contestId, { top: 0, focus: deal.participantId })
          )?.focus?.row;
          if (row) names.set(deal.participantId, row);
        }
      }
      const focused = await this.focusUpdates(contestId, rendered);
      // Synchronous from here: the seq pair and the emits go together.
      const fromSeq = pending.lastSentSeq;
      if (rendered.seq < fromSeq) return; // an older flush overtaken by a newer one
      pending.lastSentSeq = rendered.seq;
      const fundChanged = pending.lastFundMinor !== rendered.fund.fundMinor;
      pending.lastFundMinor = rendered.fund.fundMinor;
      for (const audience of ['staff', 'public'] as const) {
        const { seq } = rendered;
        this.toRoom(namespace, contestId, audience, seq, 'standings', {
          ...this.viewOf(rendered, audience),
          fromSeq,
        });
        if (fundChanged)
          this.toRoom(namespace, contestId, audience, seq, 'fund', {
            contestId,
            seq,
            fund: rendered.fund,
          });
        for (const deal of deals) {
          const row = names.get(deal.participantId);
          // One emit per room: a seller's own deal is redacted like anyone else's there.
          this.toRoom(
            namespace,
            contestId,
            audience,
            deal.seq,
            'deal',
            redactDeal(
              { ...deal, name: row?.name ?? deal.participantId, team: row?.team ?? null },
              redactionOf(audience, meta.showAmounts, null),
            ),
          );
        }
      }
      for (const { follower, payload } of focused)
        this.toSocket(follower.socket, contestId, payload.seq, 'focus', payload);
    } catch (error) {
      this.logger.error(`live update of contest ${contestId} failed: ${String(error)}`);
    }
  }

  /** Subscribers following one participant get their place and neighbours with each update. */
  private async focusUpdates(
    contestId: string,
    rendered: Rendered,
  ): Promise<{ follower: Follower; payload: LiveFocus & { contestId: string; seq: number } }[]> {
    const updates = [];
    for (const follower of this.followers.get(contestId)?.values() ?? []) {
      const live = await this.standings.liveParts(contestId, {
        top: 0,
        focus: follower.participantId,
      });
      if (!live?.focus) continue;
      updates.push({
        follower,
        payload: {
          contestId,
          seq: rendered.seq,
          ...live.focus,
          row: redactRow(
            live.focus.row,
            redactionOf(follower.audience, rendered.meta.showAmounts, follower.self),
          ),
          neighbors: rowsFor(
            live.focus.neighbors,
            follower.audience,
            rendered.meta.showAmounts,
            follower.self,
          ),
        },
      });
    }
    return updates;
  }
}

function header(contest: ContestRecord): ContestMeta['header'] {
  return {
    contestId: contest.id,
    state: contest.state,
    name: contest.name,
    currency: contest.currency,
    period: { start: contest.periodStart.toISOString(), end: contest.periodEnd.toISOString() },
    showAmounts: contest.showAmounts,
  };
}
