import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  addUtcMonths,
  evaluate,
  LiveStandings,
  roundTo,
  type EvaluationResult,
} from '@podium/contest-model';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../common/clock.js';
import { LiveBus } from '../common/live-bus.js';
import { EventsRepository } from '../events/events.repository.js';
import { parseStoredFile, StandingsService } from '../standings/standings.service.js';
import { ContestsRepository, type ContestRecord } from './contests.repository.js';

/** How often the clock-driven transitions and checkpoints are looked for. */
export const LIFECYCLE_TICK_MS = 1_000;

const DAY_MS = 86_400_000;
const SYSTEM = 'system';

export interface ContestReport {
  readonly currency: string;
  readonly planMarginMinor: number;
  readonly actualMarginMinor: number;
  readonly aboveplanMarginMinor: number;
  readonly fundMinor: number;
  readonly prizesPaidMinor: number;
  readonly prizes: EvaluationResult['prizes'];
  readonly roi: number | null;
  /** The approved scenario's no-contest forecast of the margin; null when none was approved. */
  readonly baselineMarginMinor: number | null;
  /** Actual margin − baseline: what the contest caused, not merely what beat the plan. */
  readonly incrementalMarginMinor: number | null;
  readonly incrementalRoi: number | null;
}

/**
 * The clock-driven part of a contest's life (DESIGN §4, §3.6): scheduled → live at the start,
 * live → closing at the end, closing → closed after the grace period, and a frozen checkpoint
 * at every month boundary. Every transition is audited with the actor `system`.
 *
 * Every API process ticks. Each step locks the contest row and checks the state (or the
 * checkpoint) it expects before writing, so with several processes a transition, a checkpoint
 * and a final report happen exactly once; the others find the work done. The processes'
 * projections follow through the cluster notices (and their periodic check).
 */
@Injectable()
export class LifecycleService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LifecycleService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private next: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly contests: ContestsRepository,
    private readonly events: EventsRepository,
    private readonly standings: StandingsService,
    private readonly bus: LiveBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), LIFECYCLE_TICK_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.next;
  }

  /**
   * Runs every transition and checkpoint that is due at the clock's time. Never overlaps itself:
   * called while a run is in progress (which may have read the clock before it moved), it answers
   * a run that starts once that one ends, at most one waiting.
   */
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running !== null) {
      this.next ??= this.running.then(() => {
        this.next = null;
        return this.tick();
      });
      return this.next;
    }
    const running = this.runDue()
      .catch((error: unknown) => this.logger.error(`lifecycle tick failed: ${String(error)}`))
      .finally(() => {
        this.running = null;
      });
    this.running = running;
    return running;
  }

  /** Links every stored event the contest counts, giving them its first sequence numbers. */
  async backfill(manager: EntityManager, contestId: string): Promise<void> {
    const ids = await this.events.eventIdsForContest(manager, contestId);
    if (ids.length > 0) await this.events.link(manager, contestId, ids);
  }

  /** The standings of a contest not launched yet: everyone at zero. */
  evaluateWithout(contest: ContestRecord): EvaluationResult {
    return evaluate(parseStoredFile(contest.definition));
  }

  async closeNow(contestId: string, actor: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const contest = await this.contests.lock(manager, contestId);
      if (!contest) throw new NotFoundException(`no contest ${contestId}`);
      if (contest.state !== 'closing') {
        throw new ConflictException(
          `only a closing contest can be closed; this one is ${contest.state}`,
        );
      }
      await this.closeLocked(manager, contest, actor);
    });
    this.standings.forget(contestId);
    this.bus.publish({ kind: 'state', contestId, state: 'closed' });
  }

  private async runDue(): Promise<void> {
    const now = this.clock.now();
    for (const contest of await this.contests.list({ states: ['scheduled', 'live', 'closing'] })) {
      if (contest.state === 'scheduled' && contest.periodStart <= now) {
        await this.transition(contest.id, 'scheduled', 'live');
      }
      if ((contest.state === 'live' || contest.state === 'scheduled') && contest.periodEnd <= now) {
        await this.checkpointsDue(contest.id, now);
        await this.transition(contest.id, 'live', 'closing');
      }
      if (contest.state === 'live' || contest.state === 'closing')
        await this.checkpointsDue(contest.id, now);
      const closesAt = contest.periodEnd.getTime() + contest.graceDays * DAY_MS;
      if (contest.state === 'closing' && closesAt <= now.getTime()) {
        // Another process may have closed it since the list was read: only the one that closed
        // it tells, so every client hears `closed` once.
        const closed = await this.dataSource.transaction(async (manager) => {
          const locked = await this.contests.lock(manager, contest.id);
          if (locked?.state !== 'closing') return false;
          await this.closeLocked(manager, locked, SYSTEM);
          return true;
        });
        if (!closed) continue;
        this.standings.forget(contest.id);
        this.bus.publish({ kind: 'state', contestId: contest.id, state: 'closed' });
      }
    }
  }

  private async transition(
    contestId: string,
    from: 'scheduled' | 'live',
    to: 'live' | 'closing',
  ): Promise<void> {
    const moved = await this.dataSource.transaction(async (manager) => {
      const contest = await this.contests.lock(manager, contestId);
      if (contest?.state !== from) return false;
      await this.contests.updateState(manager, contestId, { state: to });
      await this.contests.audit(manager, {
        contestId,
        actor: SYSTEM,
        action: 'clock',
        fromState: from,
        toState: to,
      });
      if (to === 'live') await this.backfill(manager, contestId);
      return true;
    });
    if (moved) {
      this.logger.log(`contest ${contestId}: ${from} → ${to}`);
      this.standings.notify(contestId);
      this.bus.publish({ kind: 'state', contestId, state: to });
    }
  }

  /**
   * Freezes the checkpoint of every month boundary that has passed: the standings of the events
   * that occurred before the boundary, whenever they arrived.
   */
  private async checkpointsDue(contestId: string, now: Date): Promise<void> {
    const contest = await this.contests.find(contestId);
    if (!contest?.frozenFile) return;
    const existing = new Set(
      (await this.contests.checkpoints(contestId, { withStandings: false })).map((c) => c.number),
    );
    const start = contest.periodStart.getTime();
    for (let number = 1; ; number += 1) {
      const boundary = Math.min(
        addUtcMonths({ ms: start, months: number }),
        contest.periodEnd.getTime(),
      );
      if (boundary > now.getTime()) break;
      if (!existing.has(number)) {
        const { seq, standings } = await this.standingsBefore(contest, boundary);
        const frozen = await this.dataSource.transaction(async (manager) => {
          // Every process ticks: the contest row lock orders them, and the one that comes
          // second finds the checkpoint made (READ COMMITTED sees it once the lock is granted).
          await this.contests.lock(manager, contestId);
          const made = await this.contests.checkpoints(contestId, { withStandings: false });
          if (made.some((checkpoint) => checkpoint.number === number)) return false;
          await this.contests.insertCheckpoint(manager, {
            contestId,
            number,
            boundary: new Date(boundary),
            seq,
            standings,
          });
          await this.contests.audit(manager, {
            contestId,
            actor: SYSTEM,
            action: 'checkpoint',
            details: { number, boundary: new Date(boundary).toISOString(), seq },
          });
          return true;
        });
        if (frozen)
          this.logger.log(
            `contest ${contestId}: checkpoint ${number} at ${new Date(boundary).toISOString()}`,
          );
      }
      if (boundary >= contest.periodEnd.getTime()) break;
    }
  }

  private async standingsBefore(
    contest: ContestRecord,
    boundaryMs: number,
  ): Promise<{ seq: number; standings: EvaluationResult }> {
    if (!contest.frozenFile) throw new Error('a checkpoint needs a launched contest');
    const standings = LiveStandings.fromFile(parseStoredFile(contest.frozenFile));
    let seq = 0;
    for (;;) {
      const page = await this.events.contestEventsAfter(contest.id, seq, 5_000);
      for (const entry of page) {
        if (Date.parse(entry.event.occurredAt) < boundaryMs) standings.applyEvent(entry.event);
        seq = entry.seq;
      }
      if (page.length < 5_000) break;
    }
    return { seq, standings: standings.snapshot({ whatItTakes: false }) };
  }

  /** Final standings and report, written with the state change in one transaction. */
  private async closeLocked(
    manager: EntityManager,
    contest: ContestRecord,
    actor: string,
  ): Promise<void> {
    const { seq, standings } = await this.standingsBefore(contest, contest.periodEnd.getTime());
    const baseline =
      typeof contest.scenario?.baselineMarginMinor === 'number'
        ? contest.scenario.baselineMarginMinor
        : null;
    const incremental = baseline === null ? null : standings.actualMarginMinor - baseline;
    const report: ContestReport = {
      currency: contest.currency,
      planMarginMinor: standings.planMarginMinor,
      actualMarginMinor: standings.actualMarginMinor,
      aboveplanMarginMinor: standings.aboveplanMarginMinor,
      fundMinor: standings.fundMinor,
      prizesPaidMinor: standings.prizesPaidMinor,
      prizes: standings.prizes,
      roi: standings.roi,
      baselineMarginMinor: baseline,
      incrementalMarginMinor: incremental,
      incrementalRoi:
        incremental === null || standings.prizesPaidMinor === 0
          ? null
          : roundTo({
              value: (incremental - standings.prizesPaidMinor) / standings.prizesPaidMinor,
              decimals: 4,
            }),
    };
    const closedAt = this.clock.now();
    await this.contests.insertResult(manager, { contestId: contest.id, seq, standings, report });
    await this.contests.updateState(manager, contest.id, { state: 'closed', closedAt });
    await this.contests.audit(manager, {
      contestId: contest.id,
      actor,
      action: actor === SYSTEM ? 'clock' : 'closed',
      fromState: 'closing',
      toState: 'closed',
      details: { seq, fundMinor: report.fundMinor, prizesPaidMinor: report.prizesPaidMinor },
    });
  }
}
