import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { LiveDeal } from '@podium/contest-model';
import type { LiveBusEvent } from '../common/live-bus.js';
import { ClusterService, type ClusterOrigin } from '../database/cluster/cluster.service.js';
import { redactDeal } from '../standings/redaction.js';
import { StandingsService, type StandingsUpdate } from '../standings/standings.service.js';
import { AUDIENCES, redactionOf } from './audience.js';
import { LiveEmitter, type Reach } from './live-emitter.service.js';
import { LiveFollowers } from './live-followers.service.js';
import { LiveViews } from './live-views.service.js';

/** Coalescing window: the first update goes at once, then at most one per window per contest. */
export const COALESCE_MS = 100;
/** At most this many `deal` celebrations per window; a burst of deals is not a flood of confetti. */
const DEALS_PER_WINDOW = 5;

interface Pending {
  timer: NodeJS.Timeout | null;
  dirty: boolean;
  lastSentSeq: number;
  lastFundMinor: number | null;
  deals: LiveDeal[];
}

/**
 * Pushes what changed to the contests' rooms: coalesced `standings` updates per contest and
 * audience, `focus` for subscribers following one participant, `deal`, `fund`, and the
 * `checkpoint` and `contest` notices, here or from another process.
 */
@Injectable()
export class LiveBroadcaster implements OnModuleDestroy {
  private readonly logger = new Logger(LiveBroadcaster.name);
  private readonly pending = new Map<string, Pending>();
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly standings: StandingsService,
    private readonly cluster: ClusterService,
    private readonly views: LiveViews,
    private readonly followers: LiveFollowers,
    private readonly emitter: LiveEmitter,
  ) {
    this.unsubscribe.push(
      standings.onUpdate((update) => this.onStandings(update)),
      cluster.subscribe((message, origin) => {
        if (message.kind === 'bus') {
          if (message.event.kind === 'state') this.views.forget(message.event.contestId);
          this.onNotice(message.event, origin);
        } else if (message.kind === 'contest') {
          this.views.forget(message.contestId);
          this.schedule(message.contestId);
        } else if (message.kind === 'reconnected') {
          // Notices may have been missed while the LISTEN connection was away.
          this.views.forgetAll();
        }
      }),
    );
  }

  onModuleDestroy(): void {
    for (const stop of this.unsubscribe) stop();
    for (const pending of this.pending.values()) if (pending.timer) clearTimeout(pending.timer);
  }

  /**
   * A state change or a checkpoint, here or in another process. The process where it happened
   * emits it to every process's sockets in the rooms (through the Redis adapter); the others emit
   * it to their own sockets only when rooms are not shared. Standings follow everywhere (each
   * process pushes its own projection to its own sockets).
   */
  private onNotice(event: LiveBusEvent, origin: ClusterOrigin): void {
    if (!this.emitter.attached) return;
    const emitHere = origin === 'local' || !this.cluster.sharedRooms;
    const reach: Reach = origin === 'local' ? 'cluster' : 'process';
    if (event.kind === 'state') {
      if (emitHere) {
        const { contestId, state } = event;
        for (const audience of AUDIENCES)
          this.emitter.send('contest', { contestId, audience, reach }, { contestId, state });
      }
      this.schedule(event.contestId);
    } else if (emitHere) {
      // Unpublished checkpoints are for staff; the public sees them once published.
      const { checkpoint } = event;
      const { contestId } = checkpoint;
      this.emitter.send('checkpoint', { contestId, audience: 'staff', reach }, checkpoint);
      if (checkpoint.publishedAt !== null)
        this.emitter.send('checkpoint', { contestId, audience: 'public', reach }, checkpoint);
    }
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
    if (!this.emitter.attached) return;
    // Every process pushes its own projection to its own sockets: never twice to a client.
    const reach: Reach = 'process';
    try {
      const pending = this.pendingOf(contestId);
      const meta = await this.views.meta(contestId);
      if (!meta) return;
      const rendered = await this.views.render(contestId, meta);
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
      const focused = await this.followers.focusUpdates(contestId, rendered);
      // Synchronous from here: the seq pair and the emits go together.
      const fromSeq = pending.lastSentSeq;
      if (rendered.seq < fromSeq) return; // an older flush overtaken by a newer one
      pending.lastSentSeq = rendered.seq;
      const fundChanged = pending.lastFundMinor !== rendered.fund.fundMinor;
      pending.lastFundMinor = rendered.fund.fundMinor;
      const { seq } = rendered;
      for (const audience of AUDIENCES) {
        const room = { contestId, audience, reach };
        this.emitter.send('standings', room, { ...this.views.viewOf(rendered, audience), fromSeq });
        if (fundChanged) this.emitter.send('fund', room, { contestId, seq, fund: rendered.fund });
        for (const deal of deals) {
          const row = names.get(deal.participantId);
          // One emit per room: a seller's own deal is redacted like anyone else's there.
          this.emitter.send(
            'deal',
            room,
            redactDeal(
              { ...deal, name: row?.name ?? deal.participantId, team: row?.team ?? null },
              redactionOf(audience, meta.showAmounts, null),
            ),
          );
        }
      }
      for (const { follower, payload } of focused)
        this.emitter.send('focus', { socket: follower.socket, contestId }, payload);
    } catch (error) {
      this.logger.error(`live update of contest ${contestId} failed: ${String(error)}`);
    }
  }
}
