import { measureKey, type ParticipantMetrics } from '../metrics/participant-metrics.js';
import { compileContest, DEFAULT_NEWCOMER_MONTHS, type Contest } from '../rules/contest.js';
import type { ContestFile, Measure, Participant } from '../rules/contest-file.schema.js';
import { monthsBetween, parseInstant } from '../rules/period.js';
import type { ValidationIssue } from '../rules/parse.js';
import { formatJsonPath } from '../rules/json-path.js';

/** What a simulation assumes (DESIGN §3.5); the file's `scenario` with options over it. */
export interface SimulationScenario {
  /** What the contest adds to every seller's expected turnover (0.1 = +10 %). */
  uplift: number;
  /** Correlation ρ of the common monthly market shock, in [0, 1]. */
  correlation: number;
  trials: number;
  seed: number;
}

export const DEFAULT_SCENARIO: SimulationScenario = {
  uplift: 0.1,
  correlation: 0.3,
  trials: 10_000,
  seed: 1,
};
/** Coefficient of variation assumed with fewer than {@link MIN_MONTHS_FOR_CV} history months. */
export const DEFAULT_TURNOVER_CV = 0.25;
export const MIN_MONTHS_FOR_CV = 3;
export const MAX_TRIALS = 1_000_000;

/** Where a seller's monthly figures come from. */
export type ProfileSource = 'history' | 'stats' | 'teamMedian';

/** One seller's monthly sampling parameters (before uplift and ramp). */
export interface SellerProfile {
  participantId: string;
  source: ProfileSource;
  turnoverMeanMinor: number;
  turnoverCv: number;
  marginRate: number;
  /** Productivity per sampled month (1 = full); below 1 only for newcomers on a team median. */
  ramp: number[];
  /** Monthly means of the counts the contest reads (deals, newClients, leads, productUnits:X, counter:Y). */
  countMeans: Record<string, number>;
  /** Share of turnover per product the contest reads (productTurnover:X). */
  turnoverShares: Record<string, number>;
}

/** A count or share one participant may lack (then borrowed from the team median). */
interface Figure {
  key: string;
  kind: 'count' | 'share';
  read: (participant: Participant) => number | null;
}

/** What has been counted of a contest so far, per participant (file order). */
export interface CountedFigures {
  /** The metrics of each participant's counted events. */
  actual: ParticipantMetrics[];
  /**
   * When each participant's total was reached (DESIGN §3.4); the tie-break once nothing is left
   * to draw, so that the forecast at the end is the standings.
   */
  reachedAtMs: (number | null)[];
}

/**
 * What a live forecast (DESIGN §3.7) conditions the trials on: what has been counted so far, and
 * how much of each sampled month is still to come. Plain data, so it crosses to a worker.
 */
export interface ForecastCondition extends CountedFigures {
  /** Per sampled month, the share still to come at `asOf` (0: past, 1: not begun). */
  remaining: number[];
}

/**
 * Everything a trial needs, in flat typed arrays (index = participant order of the file). Built
 * once per simulation; trials then only sample and call the real scoring and funding code.
 */
export interface SamplingModel {
  file: ContestFile;
  contest: Contest;
  scenario: SimulationScenario;
  profiles: SellerProfile[];
  participants: number;
  /** Sampled months: the contest length rounded up; the last one is scaled by its fraction. */
  months: number;
  turnoverMean: Float64Array;
  sigma: Float64Array;
  halfSigmaSquared: Float64Array;
  marginRate: Float64Array;
  /**
   * ramp × month fraction × the share still to come, month-major:
   * `[month * participants + participant]`.
   */
  rampFraction: Float64Array;
  /** The months drawn in a trial, in order: all of them, or those a forecast has still to come. */
  drawnMonths: Int32Array;
  /** Count figures sampled per trial (Poisson), each a monthly mean per participant, added to `base`. */
  counts: { key: string; mean: Float64Array; base: Float64Array }[];
  /** Product turnover shares, per product key; the drawn part is added to `base`. */
  shares: { key: string; share: Float64Array; base: Float64Array }[];
  /** What a forecast adds every trial's draws to; null for a simulation from the start. */
  condition: ForecastCondition | null;
}

/** The scenario of a file, options over it, defaults under it; throws on an impossible value. */
export function resolveScenario({
  file,
  overrides = {},
}: {
  file: ContestFile;
  overrides?: Partial<SimulationScenario> | undefined;
}): SimulationScenario {
  const scenario: SimulationScenario = {
    ...DEFAULT_SCENARIO,
    ...file.scenario,
    ...Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)),
  };
  if (!Number.isInteger(scenario.trials) || scenario.trials < 1 || scenario.trials > MAX_TRIALS) {
    throw new RangeError(`trials must be an integer in 1..${MAX_TRIALS}, got ${scenario.trials}`);
  }
  if (!(scenario.correlation >= 0 && scenario.correlation <= 1)) {
    throw new RangeError(`correlation must be in [0, 1], got ${scenario.correlation}`);
  }
  if (!(scenario.uplift >= -1) || !Number.isFinite(scenario.uplift)) {
    throw new RangeError(`uplift must be at least -1, got ${scenario.uplift}`);
  }
  if (!Number.isSafeInteger(scenario.seed)) {
    throw new RangeError(`seed must be a safe integer, got ${scenario.seed}`);
  }
  return scenario;
}

/**
 * What a valid contest file still lacks for a simulation: somebody to take sales figures from. A
 * participant without `history` or `stats` borrows their team's median, so only a file where
 * nobody has figures is refused (each participant's `history` is named).
 */
export function simulationIssues(file: ContestFile): ValidationIssue[] {
  if (file.participants.some(hasOwnTurnover)) return [];
  return file.participants.map((_participant, index) => ({
    path: formatJsonPath(['participants', index, 'history']),
    message:
      'is required for a simulation (or stats): nobody in the file has sales figures to borrow',
    code: 'noHistory',
  }));
}

function hasOwnTurnover(participant: Participant): boolean {
  return (participant.history?.length ?? 0) > 0 || participant.stats !== undefined;
}

/** Builds the sampling model of DESIGN §3.5 for a validated file (see {@link simulationIssues}). */
export function buildSamplingModel({
  file,
  scenario,
  condition = null,
}: {
  file: ContestFile;
  scenario: SimulationScenario;
  condition?: ForecastCondition | null | undefined;
}): SamplingModel {
  const contest = compileContest({ file });
  const profiles = sellerProfiles({ file, contest });
  const n = profiles.length;
  const months = Math.max(1, Math.ceil(contest.months - 1e-9));
  const turnoverMean = new Float64Array(n);
  const sigma = new Float64Array(n);
  const halfSigmaSquared = new Float64Array(n);
  const marginRate = new Float64Array(n);
  const rampFraction = new Float64Array(months * n);
  profiles.forEach((profile, i) => {
    turnoverMean[i] = profile.turnoverMeanMinor;
    const variance = Math.log(1 + profile.turnoverCv * profile.turnoverCv);
    sigma[i] = Math.sqrt(variance);
    halfSigmaSquared[i] = variance / 2;
    marginRate[i] = profile.marginRate;
    for (let month = 0; month < months; month += 1) {
      const fraction = Math.min(1, contest.months - month);
      const toCome = condition === null ? 1 : (condition.remaining[month] ?? 0);
      rampFraction[month * n + i] = (profile.ramp[month] ?? 1) * fraction * toCome;
    }
  });
  if (condition !== null && condition.actual.length !== n) {
    throw new RangeError(
      `a forecast needs the actual metrics of ${n} participants, got ${condition.actual.length}`,
    );
  }
  const countKeys = Object.keys(profiles[0]?.countMeans ?? {});
  const shareKeys = Object.keys(profiles[0]?.turnoverShares ?? {});
  const baseOf = (read: (metrics: ParticipantMetrics) => number): Float64Array =>
    condition === null ? new Float64Array(n) : Float64Array.from(condition.actual, read);
  const drawnMonths: number[] = [];
  for (let month = 0; month < months; month += 1) {
    if (condition === null || (condition.remaining[month] ?? 0) > 0) drawnMonths.push(month);
  }
  return {
    file,
    contest,
    scenario,
    profiles,
    participants: n,
    months,
    turnoverMean,
    sigma,
    halfSigmaSquared,
    marginRate,
    rampFraction,
    drawnMonths: Int32Array.from(drawnMonths),
    counts: countKeys.map((key) => ({
      key,
      mean: Float64Array.from(profiles, (profile) => profile.countMeans[key] ?? 0),
      base: baseOf((metrics) => countOf(metrics, key)),
    })),
    shares: shareKeys.map((key) => ({
      key,
      share: Float64Array.from(profiles, (profile) => profile.turnoverShares[key] ?? 0),
      base: baseOf(
        (metrics) => metrics.products.get(key.slice(key.indexOf(':') + 1))?.turnoverMinor ?? 0,
      ),
    })),
    condition,
  };
}

/** The value of a sampled count key (see {@link figuresRead}) in counted metrics. */
function countOf(metrics: ParticipantMetrics, key: string): number {
  switch (key) {
    case 'deals':
      return metrics.deals;
    case 'leads':
      return metrics.leads;
    case 'newClients':
      // Drawn new clients are anonymous: they add to the anonymous ones counted so far.
      return metrics.anonymousNewClients;
  }
  const colon = key.indexOf(':');
  const name = key.slice(colon + 1);
  return key.slice(0, colon) === 'counter'
    ? (metrics.counters.get(name) ?? 0)
    : (metrics.products.get(name)?.units ?? 0);
}

/**
 * Each participant's monthly figures (DESIGN §3.5): from `history` (mean, sample CV — 0.25 with
 * fewer than 3 months —, Σ margin / Σ turnover, count means over the months that have them), else
 * from `stats`, else the median of their team (everyone's, without a team or when nobody in the
 * team has figures), ramped for a newcomer. A count or share a participant lacks is borrowed the
 * same way.
 */
export function sellerProfiles({
  file,
  contest,
}: {
  file: ContestFile;
  contest: Contest;
}): SellerProfile[] {
  const measures: Measure[] = [...file.criteria, ...file.eligibility];
  const figures = figuresRead(measures);
  const own = file.participants.map((participant) => ownFigures({ participant, figures }));
  const teamOf = (index: number): string | null => file.participants[index]?.team ?? null;
  // The median depends only on the figure and the team: computed once each, not per newcomer.
  const medians = new Map<string, number>();
  const borrow = (
    index: number,
    figure: string,
    pick: (figures: OwnFigures) => number | null,
  ): number => {
    const team = teamOf(index);
    const cacheKey = JSON.stringify([figure, team]);
    const cached = medians.get(cacheKey);
    if (cached !== undefined) return cached;
    const teamValues: number[] = [];
    const allValues: number[] = [];
    own.forEach((figures, other) => {
      const value = pick(figures);
      if (value === null) return;
      allValues.push(value);
      if (team !== null && teamOf(other) === team) teamValues.push(value);
    });
    const value = median(teamValues) ?? median(allValues) ?? 0;
    medians.set(cacheKey, value);
    return value;
  };
  const rampMonths = file.leagues?.newcomerMonths ?? DEFAULT_NEWCOMER_MONTHS;
  const sampledMonths = Math.max(1, Math.ceil(contest.months - 1e-9));
  return file.participants.map((participant, index): SellerProfile => {
    const mine = own[index] as OwnFigures;
    const compiled = contest.participants[index];
    const borrowed = mine.turnoverMeanMinor === null;
    const ramp: number[] = [];
    for (let month = 0; month < sampledMonths; month += 1) {
      if (borrowed && compiled?.isNewcomer === true) {
        const tenure =
          participant.hiredOn === undefined
            ? 0
            : Math.max(
                0,
                monthsBetween({
                  startMs: Math.min(parseInstant(participant.hiredOn), contest.startMs),
                  endMs: contest.startMs,
                }),
              );
        ramp.push(Math.min(1, (tenure + month + 1) / rampMonths));
      } else {
        ramp.push(1);
      }
    }
    const pick = <T extends keyof OwnFigures>(key: T) =>
      (mine[key] as number | null) ??
      borrow(index, key, (figures) => figures[key] as number | null);
    return {
      participantId: participant.id,
      source: borrowed
        ? 'teamMedian'
        : (participant.history?.length ?? 0) > 0
          ? 'history'
          : 'stats',
      turnoverMeanMinor: pick('turnoverMeanMinor'),
      turnoverCv: pick('turnoverCv'),
      marginRate: pick('marginRate'),
      ramp,
      countMeans: Object.fromEntries(
        figures
          .filter((figure) => figure.kind === 'count')
          .map((figure) => [
            figure.key,
            mine.figures[figure.key] ??
              borrow(index, `figures.${figure.key}`, (other) => other.figures[figure.key] ?? null),
          ]),
      ),
      turnoverShares: Object.fromEntries(
        figures
          .filter((figure) => figure.kind === 'share')
          .map((figure) => [
            figure.key,
            mine.figures[figure.key] ??
              borrow(index, `figures.${figure.key}`, (other) => other.figures[figure.key] ?? null),
          ]),
      ),
    };
  });
}

interface OwnFigures {
  turnoverMeanMinor: number | null;
  turnoverCv: number | null;
  marginRate: number | null;
  figures: Record<string, number | null>;
}

function ownFigures({
  participant,
  figures,
}: {
  participant: Participant;
  figures: Figure[];
}): OwnFigures {
  const history = participant.history ?? [];
  if (history.length > 0) {
    const turnovers = history.map((month) => month.turnoverMinor);
    const mean = turnovers.reduce((sum, value) => sum + value, 0) / turnovers.length;
    let cv = DEFAULT_TURNOVER_CV;
    if (turnovers.length >= MIN_MONTHS_FOR_CV && mean > 0) {
      const squares = turnovers.reduce((sum, value) => sum + (value - mean) ** 2, 0);
      cv = Math.sqrt(squares / (turnovers.length - 1)) / mean;
    }
    const turnoverSum = turnovers.reduce((sum, value) => sum + value, 0);
    const marginSum = history.reduce((sum, month) => sum + month.marginMinor, 0);
    return {
      turnoverMeanMinor: mean,
      turnoverCv: cv,
      marginRate: turnoverSum > 0 ? marginSum / turnoverSum : null,
      figures: Object.fromEntries(figures.map((figure) => [figure.key, figure.read(participant)])),
    };
  }
  const { stats } = participant;
  if (stats !== undefined) {
    const planRate =
      participant.plan.turnoverMinor > 0
        ? participant.plan.marginMinor / participant.plan.turnoverMinor
        : null;
    return {
      turnoverMeanMinor: stats.turnoverMeanMinor,
      turnoverCv: stats.turnoverCv ?? DEFAULT_TURNOVER_CV,
      // Without a margin rate in stats, the plan's rate is the best guess the file holds.
      marginRate: stats.marginRate ?? planRate,
      figures: Object.fromEntries(figures.map((figure) => [figure.key, figure.read(participant)])),
    };
  }
  return {
    turnoverMeanMinor: null,
    turnoverCv: null,
    marginRate: null,
    figures: Object.fromEntries(figures.map((figure) => [figure.key, null])),
  };
}

/** The counts and shares the contest's criteria and gates read, each once. */
function figuresRead(measures: readonly Measure[]): Figure[] {
  const figures = new Map<string, Figure>();
  const add = (figure: Figure) => {
    if (!figures.has(figure.key)) figures.set(figure.key, figure);
  };
  const historyMean = (
    participant: Participant,
    read: (month: NonNullable<Participant['history']>[number]) => number | undefined,
  ): number | null => {
    const values = (participant.history ?? [])
      .map(read)
      .filter((value): value is number => value !== undefined);
    return values.length === 0
      ? null
      : values.reduce((sum, value) => sum + value, 0) / values.length;
  };
  const statsOr = (participant: Participant, value: number | undefined): number | null =>
    (participant.history?.length ?? 0) > 0 ? null : (value ?? null);
  const deals: Figure = {
    key: 'deals',
    kind: 'count',
    read: (participant) =>
      historyMean(participant, (month) => month.deals) ??
      statsOr(participant, participant.stats?.dealsMean),
  };
  for (const measure of measures) {
    switch (measure.metric) {
      case 'turnover':
      case 'margin':
        break;
      case 'deals':
      case 'avgCheck':
        add(deals);
        break;
      case 'conversion':
        add(deals);
        add({
          key: 'leads',
          kind: 'count',
          read: (participant) =>
            historyMean(participant, (month) => month.leads) ??
            statsOr(participant, participant.stats?.leadsMean),
        });
        break;
      case 'newClients':
        add({
          key: 'newClients',
          kind: 'count',
          read: (participant) =>
            historyMean(participant, (month) => month.newClients) ??
            statsOr(participant, participant.stats?.newClientsMean),
        });
        break;
      case 'productTurnover': {
        const product = measure.product ?? '';
        add({
          key: measureKey(measure),
          kind: 'share',
          read: (participant) => {
            let productTurnover = 0;
            let turnover = 0;
            for (const month of participant.history ?? []) {
              if (month.products === undefined) continue;
              productTurnover += month.products[product]?.turnoverMinor ?? 0;
              turnover += month.turnoverMinor;
            }
            return turnover > 0 ? productTurnover / turnover : null;
          },
        });
        break;
      }
      case 'productUnits': {
        const product = measure.product ?? '';
        add({
          key: measureKey(measure),
          kind: 'count',
          read: (participant) =>
            historyMean(participant, (month) =>
              month.products === undefined ? undefined : (month.products[product]?.units ?? 0),
            ),
        });
        break;
      }
      case 'counter': {
        const name = measure.name ?? '';
        add({
          key: measureKey(measure),
          kind: 'count',
          read: (participant) =>
            historyMean(participant, (month) =>
              month.counters === undefined ? undefined : (month.counters[name] ?? 0),
            ),
        });
        break;
      }
    }
  }
  return [...figures.values()];
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
