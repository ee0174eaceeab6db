import { Injectable, NotFoundException } from '@nestjs/common';
import {
  LIVE_TOP,
  type EvaluationResult,
  type LiveFund,
  type LiveSnapshot,
  type LiveView,
  type StandingRow,
} from '@podium/contest-model';
import { canReadContest, type ContestAccess, type Principal } from '../auth/principal.js';
import { ContestRecordsService } from '../contests/contest-records.service.js';
import { accessOf, type ContestRecord } from '../contests/contests.repository.js';
import { ResultsService } from '../contests/results.service.js';
import { redactRow } from '../standings/redaction.js';
import { StandingsService } from '../standings/standings.service.js';
import { AUDIENCES, audienceOf, redactionOf, rowsFor, type Audience } from './audience.js';

/** What a screen shows of a contest besides its standings: read once, kept until it changes. */
export interface ContestMeta {
  readonly header: Omit<LiveView, 'seq' | 'participants' | 'fund' | 'top'>;
  readonly showAmounts: boolean;
  /** Who may subscribe (`canReadContest`). */
  readonly access: ContestAccess;
}

/** The views of one contest rendered for one seq (and one {@link ContestMeta}), per audience. */
export interface Rendered {
  readonly meta: ContestMeta;
  readonly seq: number;
  readonly participants: number;
  readonly fund: LiveFund;
  /** The top rows as staff see them, unredacted. */
  readonly top: readonly StandingRow[];
  readonly views: Partial<Record<Audience, LiveView>>;
}

/**
 * What screens see of a contest: the snapshot a subscriber gets and the views the broadcaster
 * pushes. Subscribing is cheap (DESIGN §6): a snapshot is rendered from the in-memory projection,
 * once per contest, seq and audience, and shared by every subscriber (and by the update broadcast
 * for that seq); the contest's row is read from PostgreSQL once and kept until {@link forget};
 * subscribers arriving together share one catch-up read of the log.
 */
@Injectable()
export class LiveViews {
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
    private readonly contests: ContestRecordsService,
    private readonly results: ResultsService,
  ) {}

  /**
   * The contest's header and its amounts rule, read once and kept until {@link forget} (a
   * `state` or `contest` notice, here or from another process, or a lost LISTEN connection);
   * concurrent readers share one read. Null for no such contest (not kept: it may be created
   * later).
   */
  meta(contestId: string): Promise<ContestMeta | null> {
    let meta = this.metas.get(contestId);
    if (!meta) {
      const loading = this.contests.find(contestId).then((record) => {
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

  /** The contest's row may have changed: its meta and what was rendered with it are read again. */
  forget(contestId: string): void {
    this.metas.delete(contestId);
    this.rendered.delete(contestId);
    for (const audience of AUDIENCES) this.closedSnapshots.delete(`${contestId}|${audience}`);
  }

  /** Notices may have been missed: every contest's meta is read again. */
  forgetAll(): void {
    for (const contestId of [...this.metas.keys()]) this.forget(contestId);
  }

  /**
   * The views of a counting contest at its projection's current seq, rendered once per seq and
   * meta and shared. Null when the contest is not counting. Reads the projection without I/O.
   */
  async render(contestId: string, meta: ContestMeta): Promise<Rendered | null> {
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
  viewOf(rendered: Rendered, audience: Audience): LiveView {
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
   * answer leaves: the emitter's hold keeps the updates sent meanwhile until it has.
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

  /** Not counting (draft, scheduled, closed): the REST standings, already redacted for the viewer. */
  private async settledSnapshot(
    contestId: string,
    viewer: Principal,
    meta: ContestMeta,
    focus: string | null,
  ): Promise<LiveSnapshot> {
    const full = await this.results.standingsOf(contestId, viewer);
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
}

function fundOf(result: Pick<EvaluationResult, keyof LiveFund>): LiveFund {
  const {
    planMarginMinor,
    planTurnoverMinor,
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
    planTurnoverMinor,
    actualMarginMinor,
    aboveplanMarginMinor,
    fundMinor,
    prizes,
    prizesPaidMinor,
    breakEven,
    roi,
  };
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
