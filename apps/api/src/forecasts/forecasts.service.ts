import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import {
  forecast,
  type ContestEvent,
  type ContestFile,
  type ContestState,
  type CountedFigures,
  type LiveForecast,
  type LiveForecastView,
  type SimulationScenario,
} from '@podium/contest-model';
import { createSimulationPool, type SimulationPool } from '@podium/contest-model/node';
import type { Principal } from '../auth/principal.js';
import { CLOCK, type Clock } from '../common/clock.js';
import { conflictError } from '../common/http-errors.js';
import { APP_CONFIG } from '../config/config.module.js';
import { FORECAST_DEFAULTS, type AppConfig } from '../config/config.js';
import { ContestRecordsService } from '../contests/contest-records.service.js';
import type { ContestRecord } from '../contests/contests.repository.js';
import { parseStoredFile } from '../contests/stored-file.js';
import { ClusterService } from '../database/cluster/cluster.service.js';
import { EventLogService } from '../events/event-log.service.js';
import { ContestParticipantsService } from '../participants/contest-participants.service.js';
import { PlansService } from '../participants/plans.service.js';
import { SimulationsService } from '../simulations/simulations.service.js';
import { StandingsService } from '../standings/standings.service.js';
import { forecastHistoryRowsFor, isStaff, redactForecast } from '../standings/redaction.js';
import {
  ForecastScheduler,
  type ForecastRequest,
  type ForecastTrigger,
} from './forecast-scheduler.js';
import {
  ForecastsRepository,
  type ForecastFigures,
  type ForecastRecord,
} from './forecasts.repository.js';
import { planMarginToDate } from './plan-to-date.js';

/** The states whose contests have a forecast: counting, or closed (the final outcome). */
const FORECAST_STATES: readonly ContestState[] = ['live', 'closing', 'closed'];

/** One point of `GET /api/contests/:id/forecast/history`. */
export interface ForecastHistoryPoint {
  readonly day: string;
  readonly seq: number;
  readonly asOf: string;
  readonly checkpoint: number | null;
  readonly fund: {
    readonly p10Minor: number;
    readonly p50Minor: number;
    readonly p90Minor: number;
  };
  readonly pAllPrizesFunded: number;
  readonly pace: { readonly planMarginToDateMinor: number; readonly actualMarginMinor: number };
  readonly participants: readonly { readonly participantId: string; readonly pPrize: number }[];
}

/** Listens to the contests' new forecasts (the socket gateway pushes them to the rooms). */
export type ForecastListener = (contestId: string) => void;

/** The figures a stored forecast keeps of the model's answer (what screens show). */
export function figuresOf(result: LiveForecast): ForecastFigures {
  return {
    elapsedFraction: result.elapsedFraction,
    final: result.final,
    trials: result.trials,
    fund: {
      meanMinor: result.fund.meanMinor,
      p10Minor: result.fund.p10Minor,
      p50Minor: result.fund.p50Minor,
      p90Minor: result.fund.p90Minor,
    },
    pAllPrizesFunded: result.pAllPrizesFunded,
    prizes: result.prizes.map(({ place, league, title, costMinor, pUnlocked }) => ({
      place,
      league,
      title,
      costMinor,
      pUnlocked,
    })),
    participants: result.participants.map(({ participantId, pFirst, pPrize, expectedRank }) => ({
      participantId,
      pFirst,
      pPrize,
      expectedRank,
    })),
    pace: {
      planMarginToDateMinor: result.pace.planMarginToDateMinor,
      actualMarginMinor: result.pace.actualMarginMinor,
      projectedMarginP50Minor: result.pace.projectedMarginP50Minor,
    },
  };
}

/** A stored forecast as the API answers it, before the viewer's redaction. */
function viewOf(record: ForecastRecord): LiveForecastView {
  return {
    contestId: record.contestId,
    seq: record.seq,
    asOf: record.asOf.toISOString(),
    computedAt: record.computedAt.toISOString(),
    ...record.figures,
    approved: null,
  };
}

/** The approved scenario's simulation settings, without the approval's bookkeeping. */
function scenarioOf(contest: ContestRecord): Partial<SimulationScenario> {
  const stored = contest.scenario ?? {};
  const scenario: Partial<SimulationScenario> = {};
  for (const key of ['uplift', 'correlation', 'trials', 'seed'] as const) {
    const value = stored[key];
    if (typeof value === 'number') scenario[key] = value;
  }
  return scenario;
}

/**
 * The live forecast of every contest (DESIGN §3.7): computed on a worker pool of its own after a
 * launch, a published checkpoint and, while events arrive, at most once per interval (see
 * {@link ForecastScheduler}); stored with the seq it counted (the latest, a day's latest, a
 * checkpoint's); told to every process, whose gateway pushes it to its own sockets.
 *
 * Several processes: every process hears every event, and computes a contest's forecast only
 * under the contest's forecast lock. For events, a process that finds the lock taken leaves the
 * work to the holder (which heard the same events and computes them, now or after the interval),
 * and one that gets the lock first checks whether a stored forecast already counted them. A launch,
 * a state change or a checkpoint is handled by the process where it happened alone, which waits
 * for the lock. So a forecast is computed once whatever the number of processes, and the stored
 * seq never goes down.
 */
@Injectable()
export class ForecastsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ForecastsService.name);
  private readonly scheduler: ForecastScheduler;
  private readonly listeners = new Set<ForecastListener>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly alertMargin: number;
  private readonly workers: number;
  /** One computation at a time in this process: the pool runs one run at a time. */
  private slot: Promise<unknown> = Promise.resolve();
  private pool: SimulationPool | null = null;
  private readonly abort = new AbortController();
  /** The approved simulation's chance that every prize is funded, per contest (frozen at launch). */
  private readonly approvedChances = new Map<string, Promise<number | null>>();

  constructor(
    private readonly records: ContestRecordsService,
    private readonly events: EventLogService,
    private readonly forecasts: ForecastsRepository,
    private readonly participants: ContestParticipantsService,
    private readonly plans: PlansService,
    private readonly simulations: SimulationsService,
    private readonly cluster: ClusterService,
    private readonly standings: StandingsService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.alertMargin = config.forecastAlertMargin ?? FORECAST_DEFAULTS.alertMargin;
    this.workers = config.forecastWorkers ?? FORECAST_DEFAULTS.workers;
    this.scheduler = new ForecastScheduler({
      intervalMs: (config.forecastIntervalSeconds ?? FORECAST_DEFAULTS.intervalSeconds) * 1_000,
      clock,
      run: (contestId, request) => this.run(contestId, request),
      onError: (contestId, error) =>
        this.logger.error(`forecast of contest ${contestId} failed: ${String(error)}`),
    });
    this.unsubscribe.push(
      standings.onUpdate((update) => {
        if (update.events.length > 0)
          this.trigger(update.contestId, { kind: 'events', seq: update.seq });
      }),
      cluster.subscribe((message, origin) => {
        if (message.kind === 'forecast') {
          for (const listener of this.listeners) listener(message.contestId);
        } else if (message.kind === 'bus' && origin === 'local') {
          // Only the process where the launch, transition or publication happened: it hears it
          // at once, where another might hear it after a forecast that already serves it.
          const { event } = message;
          if (event.kind === 'state') {
            if (FORECAST_STATES.includes(event.state))
              this.trigger(event.contestId, { kind: 'launch' });
          } else if (event.checkpoint.publishedAt !== null) {
            const { contestId, number } = event.checkpoint;
            this.trigger(contestId, { kind: 'checkpoint', number });
          }
        }
      }),
    );
  }

  /** Counting contests without a forecast yet (first start, or one stopped mid-way) get one. */
  onApplicationBootstrap(): void {
    void this.records
      .list({ states: ['live', 'closing'] })
      .then(async (contests) => {
        for (const contest of contests)
          if ((await this.forecasts.latest(contest.id)) === null)
            this.trigger(contest.id, { kind: 'launch' });
      })
      .catch((error: unknown) =>
        this.logger.warn(`forecasts to catch up not read: ${String(error)}`),
      );
  }

  async onModuleDestroy(): Promise<void> {
    for (const stop of this.unsubscribe) stop();
    this.scheduler.stop();
    this.abort.abort(new Error('the server is stopping'));
    await this.slot.catch(() => undefined);
    const pool = this.pool;
    this.pool = null;
    await pool?.close();
  }

  /** Listens to new forecasts of any contest, stored here or by another process. */
  onForecast(listener: ForecastListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  trigger(contestId: string, trigger: ForecastTrigger): void {
    this.scheduler.trigger(contestId, trigger);
  }

  /** Settles once the contest has no computation in flight or waiting in this process. */
  settled(contestId: string): Promise<void> {
    return this.scheduler.settled(contestId);
  }

  /**
   * `GET /api/contests/:id/forecast`: the latest forecast as the viewer may see it, computed on
   * the spot when none is stored yet. 404 as for the standings; 409 `not_live` before the
   * contest counts.
   */
  async forecastFor(contestId: string, viewer: Principal): Promise<LiveForecastView> {
    const contest = await this.readable(contestId, viewer);
    const record = (await this.forecasts.latest(contestId)) ?? (await this.computeMissing(contest));
    return this.audienceView(viewOf(record), contest, isStaff(viewer));
  }

  /** `GET /api/contests/:id/forecast/history`: a point per day and per published checkpoint. */
  async historyFor(
    contestId: string,
    viewer: Principal,
  ): Promise<{ points: ForecastHistoryPoint[] }> {
    await this.readable(contestId, viewer);
    const records = await this.forecasts.history(contestId);
    return {
      points: records.map((record) => ({
        day: record.day,
        seq: record.seq,
        asOf: record.asOf.toISOString(),
        checkpoint: record.checkpoint,
        fund: {
          p10Minor: record.figures.fund.p10Minor,
          p50Minor: record.figures.fund.p50Minor,
          p90Minor: record.figures.fund.p90Minor,
        },
        pAllPrizesFunded: record.figures.pAllPrizesFunded,
        pace: {
          planMarginToDateMinor: record.figures.pace.planMarginToDateMinor,
          actualMarginMinor: record.figures.pace.actualMarginMinor,
        },
        participants: forecastHistoryRowsFor(
          record.figures.participants.map(({ participantId, pPrize }) => ({
            participantId,
            pPrize,
          })),
          viewer,
        ),
      })),
    };
  }

  /**
   * The latest forecast as an audience of the contest's room sees it (staff with the comparison
   * with the approved simulation); null when there is none (or no such contest).
   */
  async latestFor(contestId: string, staff: boolean): Promise<LiveForecastView | null> {
    const [contest, record] = await Promise.all([
      this.records.find(contestId),
      this.forecasts.latest(contestId),
    ]);
    if (contest === null || record === null) return null;
    return this.audienceView(viewOf(record), contest, staff);
  }

  private async readable(contestId: string, viewer: Principal): Promise<ContestRecord> {
    const contest = await this.records.require(contestId, viewer);
    if (!FORECAST_STATES.includes(contest.state))
      throw conflictError(
        'not_live',
        `contest ${contestId} is ${contest.state}: it has a forecast once it is live`,
      );
    return contest;
  }

  private async audienceView(
    view: LiveForecastView,
    contest: ContestRecord,
    staff: boolean,
  ): Promise<LiveForecastView> {
    if (!staff) return redactForecast(view, false);
    const approved = await this.approvedChance(contest);
    return redactForecast(
      {
        ...view,
        approved: {
          pAllPrizesFunded: approved,
          alertMargin: this.alertMargin,
          below: approved !== null && view.pAllPrizesFunded < approved - this.alertMargin,
        },
      },
      true,
    );
  }

  /**
   * The approved simulation's chance that every prize is funded: its stored run's, else the one
   * the approval recorded from a run elsewhere (the browser); null when neither says.
   */
  private approvedChance(contest: ContestRecord): Promise<number | null> {
    const recorded = contest.scenario?.['pAllPrizesFunded'];
    const simulationId = contest.approval?.simulationId ?? null;
    if (simulationId === null)
      return Promise.resolve(typeof recorded === 'number' ? recorded : null);
    const key = `${contest.id}|${simulationId}`;
    let chance = this.approvedChances.get(key);
    if (!chance) {
      chance = this.simulations.get(simulationId).then(
        (simulation) => {
          const result = simulation.result as { pAllPrizesFunded?: unknown } | null | undefined;
          return typeof result?.pAllPrizesFunded === 'number' ? result.pAllPrizesFunded : null;
        },
        () => null,
      );
      this.approvedChances.set(key, chance);
    }
    return chance;
  }

  /**
   * None stored yet: this process computes it now, waiting for the contest's lock when another
   * process holds it (then that one's forecast is usually there once it has it).
   */
  private async computeMissing(contest: ContestRecord): Promise<ForecastRecord> {
    const stored = await this.exclusive(() =>
      this.forecasts.exclusively(contest.id, true, async () => {
        if ((await this.forecasts.latest(contest.id)) === null)
          await this.compute(contest.id, null);
      }),
    );
    if (!stored.locked) throw new Error('the forecast lock was not taken');
    const record = await this.forecasts.latest(contest.id);
    if (record === null) throw new Error(`contest ${contest.id} has no forecast to compute`);
    return record;
  }

  /** A computation the scheduler asked for (see the class comment for who computes). */
  private async run(contestId: string, request: ForecastRequest): Promise<void> {
    await this.exclusive(() =>
      this.forecasts.exclusively(contestId, request.forced, async () => {
        const [latest, contest] = await Promise.all([
          this.forecasts.latest(contestId),
          this.records.find(contestId),
        ]);
        if (contest === null || !FORECAST_STATES.includes(contest.state)) return;
        if (latest !== null && this.serves(latest, request)) return;
        await this.compute(contestId, request.checkpoint);
      }),
    );
  }

  /**
   * Whether a stored forecast (of another process, perhaps) already answers the request: for
   * events, it counted them (its seq is theirs or higher: every process hears every event, and
   * the first to get the lock computes for all); for a launch or a checkpoint, it stands at an
   * instant after the request came (so its log was read after that, see `compute`) and is the
   * checkpoint's when the request is.
   */
  private serves(latest: ForecastRecord, request: ForecastRequest): boolean {
    const forced =
      !request.forced ||
      (latest.asOf > request.requestedAt &&
        (request.checkpoint === null || latest.checkpoint === request.checkpoint));
    return forced && (request.seq === null || latest.seq >= request.seq);
  }

  /** Runs `work` when this process's earlier computations have ended. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.slot.then(work, work);
    this.slot = next.catch(() => undefined);
    return next;
  }

  /** Computes the contest's forecast as of now, stores it, and tells every process. */
  private async compute(contestId: string, checkpoint: number | null): Promise<void> {
    const contest = await this.records.find(contestId);
    if (contest?.frozenFile == null || !FORECAST_STATES.includes(contest.state)) return;
    // Read before the events: a forecast standing after a trigger has read every event committed
    // before it (what `serves` relies on).
    const asOf = this.clock.now();
    const started = Date.now();
    // A counting contest's figures come from its live standings (no replay on this thread); a
    // closed one's from its log, once.
    const live = await this.standings.counted(contestId);
    let seq: number;
    let figures: ForecastFigures;
    if (live === null) {
      const entries = await this.events.contestLog(contestId);
      seq = entries.at(-1)?.seq ?? 0;
      figures = await this.figuresAt(
        contest,
        { events: entries.map((entry) => entry.event) },
        asOf,
      );
    } else {
      seq = live.seq;
      figures = await this.figuresAt(contest, { counted: live.counted }, asOf);
    }
    const stored = await this.forecasts.store({
      contestId,
      seq,
      asOf,
      computedAt: this.clock.now(),
      checkpoint,
      figures,
    });
    this.logger.log(
      `contest ${contestId}: forecast at seq ${seq} in ${Date.now() - started} ms${stored ? '' : ' (a newer one was stored meanwhile)'}`,
    );
    if (stored) this.cluster.forecastStored(contestId);
  }

  /**
   * The forecasts the contest would have had on past days, for its history (a contest launched
   * with its period under way, like the demo's): as of each instant, on the events that had
   * occurred by then, kept with the highest seq among them. Not the latest, never told; in the
   * background, one after the other like every computation of this process.
   */
  async backfill(contestId: string, instants: readonly Date[]): Promise<void> {
    await this.exclusive(() =>
      this.forecasts.exclusively(contestId, true, async () => {
        const contest = await this.records.find(contestId);
        if (contest?.frozenFile == null || !FORECAST_STATES.includes(contest.state)) return;
        const entries = await this.events.contestLog(contestId);
        for (const asOf of instants) {
          if (this.abort.signal.aborted) return;
          const before = entries.filter((entry) => Date.parse(entry.event.occurredAt) < +asOf);
          const seq = before.reduce((highest, entry) => Math.max(highest, entry.seq), 0);
          const figures = await this.figuresAt(
            contest,
            { events: before.map((entry) => entry.event) },
            asOf,
          );
          await this.forecasts.storePast({
            contestId,
            seq,
            asOf,
            computedAt: this.clock.now(),
            checkpoint: null,
            figures,
          });
        }
      }),
    );
  }

  /**
   * The model's forecast of the contest as of `asOf`, as it is kept: on what its live standings
   * counted, or on these events (replayed by the model).
   */
  private async figuresAt(
    contest: ContestRecord,
    input: { readonly events: ContestEvent[] } | { readonly counted: CountedFigures },
    asOf: Date,
  ): Promise<ForecastFigures> {
    if (contest.frozenFile === null) throw new Error(`contest ${contest.id} is not launched`);
    const events = 'events' in input ? input.events : [];
    const file = await this.withHistory({ ...parseStoredFile(contest.frozenFile), events });
    const participantIds = file.participants.map((participant) => participant.id);
    const planToDate = planMarginToDate({
      startMs: contest.periodStart.getTime(),
      endMs: contest.periodEnd.getTime(),
      asOfMs: asOf.getTime(),
      participantIds,
      plans: await this.plans.ofParticipants(participantIds),
    });
    try {
      return figuresOf(
        await forecast(file, {
          asOf,
          ...('counted' in input ? { counted: input.counted } : {}),
          scenario: scenarioOf(contest),
          executor: this.executor(),
          signal: this.abort.signal,
          ...(planToDate === undefined ? {} : { planMarginToDateMinor: planToDate }),
        }),
      );
    } catch (error) {
      // A worker that failed may leave the pool unusable: the next computation gets a fresh one.
      const pool = this.pool;
      this.pool = null;
      await pool?.close();
      throw error;
    }
  }

  /**
   * The participants' figures the approved simulation used: the file's history or stats, else
   * the history stored in the database (DESIGN §3.7).
   */
  private async withHistory(file: ContestFile): Promise<ContestFile> {
    const missing = file.participants
      .filter((participant) => !participant.stats && (participant.history ?? []).length === 0)
      .map((participant) => participant.id);
    if (missing.length === 0) return file;
    const profiles = new Map(
      (await this.participants.contestProfiles(missing)).map((profile) => [profile.id, profile]),
    );
    return {
      ...file,
      participants: file.participants.map((participant) => {
        const history = profiles.get(participant.id)?.history ?? [];
        return history.length > 0 ? { ...participant, history } : participant;
      }),
    };
  }

  private executor() {
    this.pool ??= createSimulationPool({ workers: this.workers });
    return this.pool.executor;
  }
}
