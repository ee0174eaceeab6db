import type { ContestFile, Criterion } from '../rules/contest-file.schema.js';
import { assessFairness, type Fairness } from './fairness.js';
import { proposeRemedies, type RemedyProposal } from './remedies.js';
import {
  buildSamplingModel,
  resolveScenario,
  type ForecastCondition,
  type SamplingModel,
  type SimulationScenario,
} from './sampling-model.js';
import { summarizeBlocks, type AmountDistribution, type Forecast } from './summary.js';
import { blockCount, BLOCK_SIZE, simulateBlock, type BlockResult } from './trial-block.js';

/** One run of trials to execute: a contest file under a scenario, cut into blocks. */
export interface SimulationJob {
  /** Unique within an executor's life: workers cache the compiled model under it. */
  key: string;
  file: ContestFile;
  scenario: SimulationScenario;
  /** A live forecast's condition (DESIGN §3.7); absent for a simulation from the start. */
  condition?: ForecastCondition | undefined;
}

/**
 * Runs the blocks of jobs, anywhere: in this thread, Node worker threads or browser Web Workers.
 * It must return every job's blocks (any order: results are put in block order), report each
 * finished block, and reject with the signal's reason when aborted.
 */
export interface SimulationExecutor {
  run(
    jobs: readonly SimulationJob[],
    hooks: {
      signal?: AbortSignal | undefined;
      onBlock?: ((job: SimulationJob, result: BlockResult) => void) | undefined;
    },
  ): Promise<BlockResult[][]>;
}

export interface SimulationProgress {
  /** `forecast`: the contest as written; `remedies`: the re-simulated remedies. */
  phase: 'forecast' | 'remedies';
  trialsDone: number;
  trialsTotal: number;
}

export interface SimulateOptions {
  /** Over the file's `scenario` (and the defaults: uplift 0.1, correlation 0.3, 10,000, seed 1). */
  scenario?: Partial<SimulationScenario> | undefined;
  /** Re-simulate remedies when the verdict is `unbalanced` (default true). */
  remedies?: boolean | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: SimulationProgress) => void) | undefined;
  /** Where blocks run; default {@link inProcessExecutor}. */
  executor?: SimulationExecutor | undefined;
}

/** A remedy re-simulated with the same seed, side by side with the contest as written. */
export interface RemedyForecast extends RemedyProposal {
  fund: Omit<AmountDistribution, 'standardErrorMinor'>;
  pAllPrizesFunded: number;
  pAllPrizesFundedSe: number;
  prizesPaidMeanMinor: number;
  roi: Forecast['roi'];
  fairness: Fairness;
}

/** The simulate output of DESIGN §10 and §3.5. */
export interface SimulationResult extends Omit<
  Forecast,
  'criteriaPointsShare' | 'meanValue' | 'meanNormalized'
> {
  name: string;
  currency: string;
  scenario: SimulationScenario & { blockSize: number; sampledMonths: number };
  planMarginMinor: number;
  planTurnoverMinor: number;
  prizesCostMinor: number;
  criteria: {
    metric: Criterion['metric'];
    basis: Criterion['basis'];
    title: string | null;
    /** Share of all points this criterion gives over trials and participants. */
    pointsShare: number;
  }[];
  fairness: Fairness;
  /** Empty when the contest is balanced (or remedies were not asked for). */
  remedies: RemedyForecast[];
}

/** Runs every block in this thread, yielding between blocks when it can be aborted. */
export function inProcessExecutor(): SimulationExecutor {
  return {
    async run(jobs, { signal, onBlock }) {
      const results: BlockResult[][] = [];
      for (const job of jobs) {
        const model = buildSamplingModel({
          file: job.file,
          scenario: job.scenario,
          condition: job.condition,
        });
        const blocks: BlockResult[] = [];
        for (let block = 0; block < blockCount(job.scenario.trials); block += 1) {
          if (signal !== undefined) {
            // Let an abort (a message, a timer) get through before the next block.
            await new Promise((resolve) => setTimeout(resolve, 0));
            signal.throwIfAborted();
          }
          const result = simulateBlock({ model, block });
          blocks.push(result);
          onBlock?.(job, result);
        }
        results.push(blocks);
      }
      return results;
    },
  };
}

let jobCounter = 0;

/**
 * The Monte Carlo forecast of DESIGN §3.5 for a validated contest file (see `parseContestFile`
 * and {@link simulationIssues}): fund, each participant's chances, the fairness verdict and, for
 * an unbalanced contest, the remedies re-simulated with the same seed. The same seed gives the
 * same result, byte for byte, whatever executor and number of workers run it.
 */
export async function simulate(
  file: ContestFile,
  options: SimulateOptions = {},
): Promise<SimulationResult> {
  const scenario = resolveScenario({ file, overrides: options.scenario });
  const executor = options.executor ?? inProcessExecutor();
  const model = buildSamplingModel({ file, scenario });
  const places = model.contest.prizes.length;
  const prefix = `simulation-${(jobCounter += 1)}`;

  const runPhase = async (
    phase: SimulationProgress['phase'],
    jobs: SimulationJob[],
  ): Promise<BlockResult[][]> => {
    const trialsTotal = jobs.length * scenario.trials;
    let trialsDone = 0;
    options.onProgress?.({ phase, trialsDone, trialsTotal });
    return executor.run(jobs, {
      signal: options.signal,
      onBlock: (_job, result) => {
        trialsDone += result.trials;
        options.onProgress?.({ phase, trialsDone, trialsTotal });
      },
    });
  };

  const [mainBlocks] = await runPhase('forecast', [{ key: `${prefix}-main`, file, scenario }]);
  const forecast = summarizeBlocks({ model, blocks: mainBlocks ?? [] });
  const fairness = assessFairness({ forecast, places });

  const remedies: RemedyForecast[] = [];
  if (fairness.verdict === 'unbalanced' && options.remedies !== false) {
    const proposals = proposeRemedies({ file, contest: model.contest, forecast });
    const jobs = proposals.map((remedy): SimulationJob => ({
      key: `${prefix}-${remedy.proposal.key}`,
      file: remedy.file,
      scenario,
    }));
    const results = jobs.length === 0 ? [] : await runPhase('remedies', jobs);
    proposals.forEach((remedy, index) => {
      const remedyModel: SamplingModel = buildSamplingModel({ file: remedy.file, scenario });
      const remedyForecast = summarizeBlocks({ model: remedyModel, blocks: results[index] ?? [] });
      const { standardErrorMinor: _error, ...fund } = remedyForecast.fund;
      const { histogram: _histogram, ...fundFigures } = fund;
      remedies.push({
        ...remedy.proposal,
        fund: fundFigures,
        pAllPrizesFunded: remedyForecast.pAllPrizesFunded,
        pAllPrizesFundedSe: remedyForecast.pAllPrizesFundedSe,
        prizesPaidMeanMinor: remedyForecast.prizesPaid.meanMinor,
        roi: remedyForecast.roi,
        fairness: assessFairness({
          forecast: remedyForecast,
          places: remedyModel.contest.prizes.length,
        }),
      });
    });
  }

  const {
    criteriaPointsShare,
    meanValue: _meanValue,
    meanNormalized: _meanNormalized,
    ...figures
  } = forecast;
  return {
    name: file.name,
    currency: file.currency,
    scenario: { ...scenario, blockSize: BLOCK_SIZE, sampledMonths: model.months },
    planMarginMinor: model.contest.planMarginMinor,
    planTurnoverMinor: model.contest.planTurnoverMinor,
    prizesCostMinor: model.contest.prizes.reduce((sum, prize) => sum + prize.costMinor, 0),
    ...figures,
    criteria: model.contest.criteria.map((criterion, index) => ({
      metric: criterion.metric,
      basis: criterion.basis,
      title: criterion.title ?? null,
      pointsShare: criteriaPointsShare[index] ?? 0,
    })),
    fairness,
    remedies,
  };
}
