import { resolveCountedEvents } from '../metrics/resolve-counted-events.js';
import { roundHalfAwayFromZero, roundTo } from '../money/money.js';
import { compileContest, type Contest } from '../rules/contest.js';
import type { ContestFile } from '../rules/contest-file.schema.js';
import { addUtcMonths, parseInstant } from '../rules/period.js';
import { replayParticipant } from '../scoring/replay.js';
import { inProcessExecutor, type SimulationExecutor, type SimulationJob } from './simulate.js';
import {
  buildSamplingModel,
  resolveScenario,
  type CountedFigures,
  type ForecastCondition,
  type SimulationScenario,
} from './sampling-model.js';
import { summarizeBlocks, type Forecast } from './summary.js';
import { BLOCK_SIZE } from './trial-block.js';

export interface ForecastOptions {
  /**
   * The instant the forecast stands at: the file's events that occurred before it count (as in
   * `evaluate` with `now`), the rest of the period is drawn. The model never reads the clock.
   */
  asOf: Date | string;
  /** Over the file's `scenario` (the one the approved simulation used) and the defaults. */
  scenario?: Partial<SimulationScenario> | undefined;
  /** Where blocks run; default in this thread. */
  executor?: SimulationExecutor | undefined;
  signal?: AbortSignal | undefined;
  /**
   * The plan's margin up to `asOf` when stored monthly plans give it; default the whole plan's
   * margin × the elapsed share of the period.
   */
  planMarginToDateMinor?: number | undefined;
  /**
   * What has been counted at `asOf`, when the caller keeps it (live standings:
   * `LiveStandings.counted()`); the file's events are then not read. Default: the file's events
   * that occurred before `asOf`, replayed.
   */
  counted?: CountedFigures | undefined;
}

/** How the margin so far compares with the plan so far, and where it is heading. */
export interface ForecastPace {
  planMarginToDateMinor: number;
  actualMarginMinor: number;
  /** The median of the final margin over the trials. */
  projectedMarginP50Minor: number;
}

/** The live forecast of DESIGN §3.7: `simulate`'s figures of the final outcome, as of `asOf`. */
export interface LiveForecast extends Omit<
  Forecast,
  'criteriaPointsShare' | 'meanValue' | 'meanNormalized' | 'baseline' | 'breakEvenUplift'
> {
  name: string;
  currency: string;
  /** ISO instant. */
  asOf: string;
  /** Share of the period's time elapsed at `asOf`, in [0, 1]. */
  elapsedFraction: number;
  /** `asOf` is at or after the end: nothing is drawn, the forecast is the standings. */
  final: boolean;
  scenario: SimulationScenario & {
    blockSize: number;
    sampledMonths: number;
    /** Sampled months with some of their time still to come. */
    remainingMonths: number;
  };
  pace: ForecastPace;
}

let jobCounter = 0;

/**
 * The forecast of a live contest (DESIGN §3.7): each participant's final metrics are their
 * counted metrics up to `asOf` plus the rest of the period drawn as in §3.5, and every trial goes
 * through the real scoring and funding code. At or after the end it is `evaluate`'s outcome (every
 * probability 0 or 1); at the start with no events it draws exactly what `simulate` draws. The
 * same inputs and seed give the same result whatever executor and number of workers run it.
 */
export async function forecast(file: ContestFile, options: ForecastOptions): Promise<LiveForecast> {
  const scenario = resolveScenario({ file, overrides: options.scenario });
  const asOfMs = options.asOf instanceof Date ? options.asOf.getTime() : parseInstant(options.asOf);
  if (!Number.isFinite(asOfMs)) throw new RangeError(`asOf is not a valid instant`);
  const contest = compileContest({ file });
  const condition = forecastCondition({ file, contest, asOfMs, counted: options.counted });
  // The workers need the rules and the figures, not the events already folded into `condition`.
  const rules: ContestFile = { ...file, events: [] };
  const job: SimulationJob = {
    key: `forecast-${(jobCounter += 1)}`,
    file: rules,
    scenario,
    condition,
  };
  const executor = options.executor ?? inProcessExecutor();
  const [blocks] = await executor.run([job], { signal: options.signal });
  const model = buildSamplingModel({ file: rules, scenario, condition });
  const {
    criteriaPointsShare: _share,
    meanValue: _value,
    meanNormalized: _normalized,
    baseline: _baseline,
    breakEvenUplift: _breakEven,
    ...figures
  } = summarizeBlocks({ model, blocks: blocks ?? [] });
  const elapsedFraction = elapsedShare({ contest, asOfMs });
  const actualMarginMinor = condition.actual.reduce((sum, metrics) => sum + metrics.marginMinor, 0);
  return {
    name: file.name,
    currency: file.currency,
    asOf: new Date(asOfMs).toISOString(),
    elapsedFraction: roundTo({ value: elapsedFraction, decimals: 6 }),
    final: asOfMs >= contest.endMs,
    ...figures,
    scenario: {
      ...scenario,
      blockSize: BLOCK_SIZE,
      sampledMonths: model.months,
      remainingMonths: model.drawnMonths.length,
    },
    pace: {
      planMarginToDateMinor:
        options.planMarginToDateMinor ??
        roundHalfAwayFromZero(contest.planMarginMinor * elapsedFraction),
      actualMarginMinor,
      projectedMarginP50Minor: figures.actualMargin.p50Minor,
    },
  };
}

/**
 * What the trials are conditioned on at `asOfMs`: each participant's counted metrics and when
 * their total was reached (given, or the file's events replayed as the standings are), and per
 * sampled month the share of it still to come. Months are consecutive calendar-month steps from
 * the start; the last one ends at the period's end (its draw is already scaled by its length in
 * the sampling model).
 */
export function forecastCondition({
  file,
  contest,
  asOfMs,
  counted = countedFrom({ file, contest, asOfMs }),
}: {
  file: ContestFile;
  contest: Contest;
  asOfMs: number;
  counted?: CountedFigures | undefined;
}): ForecastCondition {
  if (
    counted.actual.length !== contest.participants.length ||
    counted.reachedAtMs.length !== contest.participants.length
  ) {
    throw new RangeError(
      `counted figures of ${counted.actual.length} participants for a contest of ${contest.participants.length}`,
    );
  }
  const months = Math.max(1, Math.ceil(contest.months - 1e-9));
  const remaining = Array.from({ length: months }, (_value, month) => {
    const monthStart = addUtcMonths({ ms: contest.startMs, months: month });
    const monthEnd = Math.min(
      addUtcMonths({ ms: contest.startMs, months: month + 1 }),
      contest.endMs,
    );
    if (asOfMs <= monthStart) return 1;
    if (asOfMs >= monthEnd) return 0;
    return (monthEnd - asOfMs) / (monthEnd - monthStart);
  });
  return { remaining, actual: counted.actual, reachedAtMs: counted.reachedAtMs };
}

/** The file's events that occurred before `asOfMs`, replayed per participant. */
function countedFrom({
  file,
  contest,
  asOfMs,
}: {
  file: ContestFile;
  contest: Contest;
  asOfMs: number;
}): CountedFigures {
  const counted = resolveCountedEvents({ contest, events: file.events, untilMs: asOfMs });
  const states = contest.participants.map((participant) =>
    replayParticipant({ contest, participant, events: counted.get(participant.id) ?? [] }),
  );
  return {
    actual: states.map((state) => state.metrics),
    reachedAtMs: states.map((state) => state.reachedAtMs),
  };
}

function elapsedShare({ contest, asOfMs }: { contest: Contest; asOfMs: number }): number {
  const length = contest.endMs - contest.startMs;
  if (!(length > 0)) return 1;
  return Math.min(1, Math.max(0, (asOfMs - contest.startMs) / length));
}
