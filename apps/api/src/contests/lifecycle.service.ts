import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  canTransition,
  CONTEST_TRANSITIONS,
  countsEvents,
  nextState,
  type ContestState,
} from '@podium/contest-model';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../common/clock.js';
import { LiveBus } from '../common/live-bus.js';
import { EventLogService } from '../events/event-log.service.js';
import { ClusterService } from '../database/cluster/cluster.service.js';
import { StandingsService } from '../standings/standings.service.js';
import { ContestAuditRepository } from './contest-audit.repository.js';
import { ContestRecordsService } from './contest-records.service.js';
import { ContestsRepository, type ContestRecord } from './contests.repository.js';
import { MonthlyRepeatsService } from './monthly-repeats.service.js';
import { ContestNoticesService } from '../notifications/contest-notices.service.js';
import { MailNoticesService } from '../mail/mail-notices.service.js';
import { ResultsService } from './results.service.js';
import { conflictError } from '../common/http-errors.js';
import type { LaunchBody } from './dto/contest.dto.js';
import { simulatedRulesDigest } from './rule-digest.js';

/** How often the clock-driven transitions and checkpoints are looked for. */
export const LIFECYCLE_TICK_MS = 1_000;

const DAY_MS = 86_400_000;
const SYSTEM = 'system';

/** The states the clock moves a contest out of. */
const CLOCK_STATES: readonly ContestState[] = [
  ...CONTEST_TRANSITIONS.start.from,
  ...CONTEST_TRANSITIONS.end.from,
  ...CONTEST_TRANSITIONS.close.from,
];

/**
 * Every transition of a contest's life (DESIGN §4, §3.6), as the contest-model state machine
 * allows them: a manager launches, unschedules or closes early; the clock starts a scheduled
 * contest, ends a live one, closes it after the grace period and has the results service freeze a
 * checkpoint at every month boundary; a repeating contest's next month is made once its period is
 * over (see {@link MonthlyRepeatsService}). Each transition writes its audit row in the transaction
 * that changes the state (the clock's as the actor `system`).
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
    private readonly records: ContestRecordsService,
    private readonly auditTrail: ContestAuditRepository,
    private readonly events: EventLogService,
    private readonly results: ResultsService,
    private readonly standings: StandingsService,
    private readonly bus: LiveBus,
    private readonly cluster: ClusterService,
    private readonly repeats: MonthlyRepeatsService,
    private readonly notices: ContestNoticesService,
    private readonly mail: MailNoticesService,
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
   * Draft → live when the period has started, else scheduled. Freezes the rules. The launch gate
   * (DESIGN §4): the contest needs an approved simulation of its rules as they are
   * (`not_simulated`) whose verdict is balanced (`unbalanced`), unless the body overrides the gate
   * with a reason, which the launch's audit row keeps with the gate it passed.
   */
  async launch(
    id: string,
    actor: string,
    body?: LaunchBody,
  ): Promise<{ id: string; state: ContestState }> {
    const now = this.clock.now();
    const state = await this.dataSource.transaction(async (manager) => {
      const contest = await this.records.lock(manager, id);
      const next = nextState({
        from: contest.state,
        transition: 'launch',
        periodStarted: contest.periodStart <= now,
      });
      if (next === null) {
        throw conflictError(
          'contest_state',
          `cannot launch a ${contest.state} contest: its rules are frozen once launched`,
        );
      }
      if (contest.periodEnd <= now) {
        throw conflictError(
          'period_ended',
          `the period of this contest ended on ${contest.periodEnd.toISOString()}: it cannot be launched`,
        );
      }
      const gate = launchGate(contest);
      const override = body?.override;
      if (gate !== null && override === undefined) throw conflictError(gate.code, gate.message);
      await this.contests.updateState(manager, id, {
        state: next,
        frozenFile: contest.definition,
        launchedAt: now,
      });
      await this.auditTrail.audit(manager, {
        contestId: id,
        actor,
        action: 'launched',
        fromState: contest.state,
        toState: next,
        details: {
          verdict: contest.approval?.verdict ?? null,
          simulationId: contest.approval?.simulationId ?? null,
          ...(override === undefined
            ? {}
            : { override: { reason: override.reason, gate: gate?.code ?? null } }),
        },
      });
      if (countsEvents(next)) {
        await this.events.backfill(manager, id);
        // The launch's messages and the standings' notification cursor, in the launch's
        // transaction: after the backfill, so what the contest counted before is the baseline.
        await this.notices.launched(manager, {
          id,
          name: contest.name,
          file: contest.definition,
        });
      }
      return next;
    });
    if (countsEvents(state)) this.standings.notify(id);
    this.bus.publish({ kind: 'state', contestId: id, state });
    return { id, state };
  }

  /** Scheduled → draft: the rules can change again until the next launch. */
  async unschedule(id: string, actor: string): Promise<{ id: string; state: ContestState }> {
    await this.dataSource.transaction(async (manager) => {
      const contest = await this.records.lock(manager, id);
      if (!canTransition({ from: contest.state, transition: 'unschedule' })) {
        throw conflictError(
          'contest_state',
          `only a scheduled contest can go back to draft; this one is ${contest.state}`,
        );
      }
      await this.contests.unfreeze(manager, id);
      await this.auditTrail.audit(manager, {
        contestId: id,
        actor,
        action: 'unscheduled',
        fromState: contest.state,
        toState: 'draft',
      });
    });
    // A draft again: staff-only, so every process reads who may subscribe again.
    this.cluster.contestChanged(id);
    return { id, state: 'draft' };
  }

  /** Closing → closed now, without waiting for the rest of the grace period. */
  async close(id: string, actor: string): Promise<{ id: string; state: ContestState }> {
    await this.dataSource.transaction(async (manager) => {
      const contest = await this.records.lock(manager, id);
      if (!canTransition({ from: contest.state, transition: 'close' })) {
        throw conflictError(
          'contest_state',
          `only a closing contest can be closed; this one is ${contest.state}`,
        );
      }
      await this.closeLocked(manager, contest, actor);
    });
    this.closed(id);
    return { id, state: 'closed' };
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

  private async runDue(): Promise<void> {
    const now = this.clock.now();
    for (const contest of await this.records.list({ states: CLOCK_STATES })) {
      if (contest.state === 'scheduled' && contest.periodStart <= now) {
        await this.byClock(contest.id, 'start');
      }
      if ((contest.state === 'live' || contest.state === 'scheduled') && contest.periodEnd <= now) {
        await this.results.freezeDueCheckpoints(contest.id, now);
        await this.byClock(contest.id, 'end');
      }
      if (countsEvents(contest.state)) await this.results.freezeDueCheckpoints(contest.id, now);
      const closesAt = contest.periodEnd.getTime() + contest.graceDays * DAY_MS;
      if (contest.state === 'closing' && closesAt <= now.getTime()) {
        // Another process may have closed it since the list was read: only the one that closed
        // it tells, so every client hears `closed` once.
        const closed = await this.dataSource.transaction(async (manager) => {
          const locked = await this.contests.lock(manager, contest.id);
          if (!locked || !canTransition({ from: locked.state, transition: 'close' })) return false;
          await this.closeLocked(manager, locked, SYSTEM);
          return true;
        });
        if (!closed) continue;
        this.closed(contest.id);
      }
    }
    await this.repeats.runDue(now);
  }

  /** A clock-driven start or end, done once even when several processes tick together. */
  private async byClock(contestId: string, transition: 'start' | 'end'): Promise<void> {
    const moved = await this.dataSource.transaction(async (manager) => {
      const contest = await this.contests.lock(manager, contestId);
      const to = contest && nextState({ from: contest.state, transition });
      if (!contest || !to) return null;
      await this.contests.updateState(manager, contestId, { state: to });
      await this.auditTrail.audit(manager, {
        contestId,
        actor: SYSTEM,
        action: 'clock',
        fromState: contest.state,
        toState: to,
      });
      if (countsEvents(to) && !countsEvents(contest.state)) {
        await this.events.backfill(manager, contestId);
        if (contest.frozenFile !== null) {
          await this.notices.launched(manager, {
            id: contestId,
            name: contest.name,
            file: contest.frozenFile,
          });
        }
      }
      return { from: contest.state, to };
    });
    if (moved) {
      this.logger.log(`contest ${contestId}: ${moved.from} → ${moved.to}`);
      this.standings.notify(contestId);
      this.bus.publish({ kind: 'state', contestId, state: moved.to });
    }
  }

  /** Final standings, report and the state change, in the caller's transaction. */
  private async closeLocked(
    manager: EntityManager,
    contest: ContestRecord,
    actor: string,
  ): Promise<void> {
    const { seq, report } = await this.results.writeFinal(manager, contest);
    // The winners' messages, in the closing transaction (the outbox).
    await this.notices.closed(
      manager,
      { id: contest.id, name: contest.name, file: contest.frozenFile ?? contest.definition },
      report.prizes,
    );
    // The report to the directors and the results to participants with an e-mail, likewise.
    const file = contest.frozenFile ?? contest.definition;
    await this.mail.closed(manager, {
      id: contest.id,
      name: contest.name,
      participantIds: file.participants.map((participant) => participant.id),
    });
    await this.contests.updateState(manager, contest.id, {
      state: 'closed',
      closedAt: this.clock.now(),
    });
    await this.auditTrail.audit(manager, {
      contestId: contest.id,
      actor,
      action: actor === SYSTEM ? 'clock' : 'closed',
      fromState: contest.state,
      toState: 'closed',
      details: { seq, fundMinor: report.fundMinor, prizesPaidMinor: report.prizesPaidMinor },
    });
  }

  private closed(contestId: string): void {
    this.standings.forget(contestId);
    this.bus.publish({ kind: 'state', contestId, state: 'closed' });
  }
}

/**
 * Why the launch gate stops a contest, or null when it passes: no approved simulation, or one of
 * other rules than the contest's now (`not_simulated`); an unbalanced verdict (`unbalanced`).
 */
export function launchGate(
  contest: Pick<ContestRecord, 'approval' | 'definition'>,
): { code: 'not_simulated' | 'unbalanced'; message: string } | null {
  const approval = contest.approval;
  if (approval === null)
    return {
      code: 'not_simulated',
      message:
        'no simulation of this contest is approved: simulate it and approve the scenario, or launch with an override and its reason',
    };
  if (approval.rules.sha256 !== simulatedRulesDigest(contest.definition).sha256)
    return {
      code: 'not_simulated',
      message:
        'the rules changed since the approved simulation: simulate them again, or launch with an override and its reason',
    };
  if (approval.verdict === 'unbalanced')
    return {
      code: 'unbalanced',
      message:
        'the approved simulation found the contest unbalanced: change the rules, or launch with an override and its reason',
    };
  return null;
}
