import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  LIVE_TOP,
  type EvaluationResult,
  type LiveDeal,
  type LiveFund,
  type LiveServerEvents,
  type LiveSnapshot,
  type LiveView,
  type StandingRow,
} from '@podium/contest-model';
import type { Namespace, Socket } from 'socket.io';
import type { Principal } from '../auth/principal.js';
import type { LiveBusEvent } from '../common/live-bus.js';
import { ContestsRepository, type ContestRecord } from '../contests/contests.repository.js';
import { ContestsService } from '../contests/contests.service.js';
import { isStaff, redactRows } from '../standings/redaction.js';
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

interface Pending {
  timer: NodeJS.Timeout | null;
  dirty: boolean;
  lastSentSeq: number;
  lastFundMinor: number | null;
  deals: LiveDeal[];
}

/** Rows for an audience: {@link redactRows} with the audience's view of amounts. */
function rowsFor(
  rows: readonly StandingRow[],
  audience: Audience,
  showAmounts: boolean,
  self: string | null,
): StandingRow[] {
  return redactRows(rows, { allVisible: audience === 'staff' || showAmounts, self });
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

/**
 * Builds what screens see and pushes it: snapshots for subscribers, coalesced `standings`
 * updates per contest and audience, `focus` for subscribers following one participant, `deal`,
 * `fund`, `checkpoint` and `contest` notices.
 */
@Injectable()
export class LiveService implements OnModuleDestroy {
  private readonly logger = new Logger(LiveService.name);
  private namespace: Namespace<Record<string, never>, LiveServerEvents> | null = null;
  private readonly pending = new Map<string, Pending>();
  private readonly followers = new Map<string, Map<string, Follower>>();
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly standings: StandingsService,
    private readonly contests: ContestsService,
    private readonly repository: ContestsRepository,
    private readonly cluster: ClusterService,
  ) {
    this.unsubscribe.push(
      standings.onUpdate((update) => this.onStandings(update)),
      cluster.subscribe((message, origin) => {
        if (message.kind === 'bus') this.onNotice(message.event, origin);
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
          this.rooms(origin)
            .to(roomOf(event.contestId, audience))
            .emit('contest', { contestId: event.contestId, state: event.state });
        }
      }
      this.schedule(event.contestId);
    } else if (emitHere) {
      // Unpublished checkpoints are for staff; the public sees them once published.
      const { checkpoint } = event;
      this.rooms(origin).to(roomOf(checkpoint.contestId, 'staff')).emit('checkpoint', checkpoint);
      if (checkpoint.publishedAt !== null) {
        this.rooms(origin)
          .to(roomOf(checkpoint.contestId, 'public'))
          .emit('checkpoint', checkpoint);
      }
    }
  }

  /**
   * Where an emit goes: a notice that happened here goes to every process's sockets in the room
   * (through the Redis adapter when there is one); anything else only to this process's sockets.
   */
  private rooms(origin: ClusterOrigin) {
    const namespace = this.namespace as Namespace<Record<string, never>, LiveServerEvents>;
    return origin === 'local' ? namespace : namespace.local;
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
  }

  attach(namespace: Namespace<Record<string, never>, LiveServerEvents>): void {
    this.namespace = namespace;
  }

  onModuleDestroy(): void {
    for (const stop of this.unsubscribe) stop();
    for (const pending of this.pending.values()) if (pending.timer) clearTimeout(pending.timer);
  }

  /** The snapshot a subscriber gets in its ack; throws NotFound when the viewer may not read it. */
  async snapshot(
    contestId: string,
    viewer: Principal,
    focus: string | null,
  ): Promise<LiveSnapshot> {
    const contest = await this.contests.get(contestId, viewer); // 404 for a display not assigned
    const record = (await this.repository.find(contestId)) as ContestRecord;
    const audience = audienceOf(viewer);
    const self = viewer.kind === 'user' ? viewer.participantId : null;
    // Everything committed before the subscription, whichever process committed it: a client
    // that moves to another process resyncs to the seq the REST answer of any process gives.
    await this.standings.catchUp(contestId);
    const live = await this.standings.liveParts(contestId, { top: LIVE_TOP, focus });
    if (live) {
      return {
        ...this.header(record),
        seq: live.seq,
        participants: live.participants,
        fund: live.fund,
        top: rowsFor(live.top, audience, contest.showAmounts, self),
        focus: live.focus && {
          ...live.focus,
          neighbors: rowsFor(live.focus.neighbors, audience, contest.showAmounts, self),
        },
      };
    }
    // Not counting (draft, scheduled, closed): the REST standings, already redacted for the viewer.
    const full = await this.contests.standingsOf(contestId, viewer);
    const index = focus ? full.standings.findIndex((row) => row.participantId === focus) : -1;
    const focused = index >= 0 ? (full.standings[index] as StandingRow) : null;
    return {
      ...this.header(record),
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

  private header(contest: ContestRecord): Omit<LiveView, 'seq' | 'participants' | 'fund' | 'top'> {
    return {
      contestId: contest.id,
      state: contest.state,
      name: contest.name,
      currency: contest.currency,
      period: { start: contest.periodStart.toISOString(), end: contest.periodEnd.toISOString() },
      showAmounts: contest.showAmounts,
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

  private async flush(contestId: string): Promise<void> {
    if (!this.namespace) return;
    // Every process pushes its own projection to its own sockets: never twice to a client.
    const namespace = this.namespace.local;
    try {
      const pending = this.pendingOf(contestId);
      const record = await this.repository.find(contestId);
      const live = await this.standings.liveParts(contestId, { top: LIVE_TOP });
      if (!record || !live) return;
      const fromSeq = pending.lastSentSeq;
      pending.lastSentSeq = live.seq;
      const deals = pending.deals.splice(0);
      const names = new Map(live.top.map((row) => [row.participantId, row]));
      for (const audience of ['staff', 'public'] as const) {
        const room = roomOf(contestId, audience);
        const view: LiveView = {
          ...this.header(record),
          seq: live.seq,
          fromSeq,
          participants: live.participants,
          fund: live.fund,
          top: rowsFor(live.top, audience, record.showAmounts, null),
        };
        namespace.to(room).emit('standings', view);
        if (pending.lastFundMinor !== live.fund.fundMinor) {
          namespace.to(room).emit('fund', { contestId, seq: live.seq, fund: live.fund });
        }
        for (const deal of deals) {
          const row =
            names.get(deal.participantId) ??
            (await this.standings.liveParts(contestId, { top: 0, focus: deal.participantId }))
              ?.focus?.row;
          namespace.to(room).emit('deal', {
            ...deal,
            name: row?.name ?? deal.participantId,
            team: row?.team ?? null,
            amountMinor: audience === 'staff' || record.showAmounts ? deal.amountMinor : null,
          });
        }
      }
      pending.lastFundMinor = live.fund.fundMinor;
      await this.pushFocus(contestId, live.seq, record.showAmounts);
    } catch (error) {
      this.logger.error(`live update of contest ${contestId} failed: ${String(error)}`);
    }
  }

  /** Subscribers following one participant get their place and neighbours with each update. */
  private async pushFocus(contestId: string, seq: number, showAmounts: boolean): Promise<void> {
    for (const follower of this.followers.get(contestId)?.values() ?? []) {
      const live = await this.standings.liveParts(contestId, {
        top: 0,
        focus: follower.participantId,
      });
      if (!live?.focus) continue;
      follower.socket.emit('focus', {
        contestId,
        seq,
        ...live.focus,
        neighbors: rowsFor(live.focus.neighbors, follower.audience, showAmounts, follower.self),
      });
    }
  }
}
