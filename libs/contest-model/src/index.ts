export {
  allocateProportionally,
  isSafeMinor,
  roundHalfAwayFromZero,
  roundTo,
  type Minor,
} from './money/money.js';

export {
  cellProblem,
  cellText,
  cellValue,
  isBlankCell,
  parseBooleanCell,
  parseDealTypeCell,
  parseRoleCell,
  parseTextCell,
  type Cell,
  type CellCode,
  type CellParsed,
  type CellProblem,
} from './parse/cell.js';
export {
  decimalText,
  parseDecimalCell,
  parseIntegerCell,
  parseMoneyCell,
  parsePositiveCell,
} from './parse/number.js';
export { excelSerialOf, parseDateCell, parseInstantCell, parseMonthCell } from './parse/date.js';

export {
  contestEventSchema,
  counterEventSchema,
  leadEventSchema,
  MAX_EVENT_MINOR,
  MAX_EVENT_QUANTITY,
  reversalEventSchema,
  saleEventSchema,
  saleMarginProblem,
  type ContestEvent,
  type ContestEventInput,
  type CounterEvent,
  type LeadEvent,
  type ReversalEvent,
  type SaleEvent,
} from './rules/event.schema.js';
export {
  basisSchema,
  contestDefinitionSchema,
  contestFileSchema,
  criterionSchema,
  eligibilityGateSchema,
  fundingModeSchema,
  fundingSchema,
  historyMonthSchema,
  isMoneyMetric,
  isRatioMetric,
  leaguesSchema,
  metricNames,
  metricSchema,
  participantSchema,
  participantStatsSchema,
  periodSchema,
  planFor,
  planSchema,
  prizeSchema,
  scenarioSchema,
  teamStandingsSchema,
  type Basis,
  type ContestFile,
  type ContestFileInput,
  type Criterion,
  type EligibilityGate,
  type Funding,
  type FundingMode,
  type HistoryMonth,
  type Leagues,
  type Measure,
  type MetricName,
  type Participant,
  type ParticipantStats,
  type Period,
  type Plan,
  type Prize,
  type Scenario,
  type TeamStandingsRules,
} from './rules/contest-file.schema.js';
export {
  CELL_ISSUE_CODES,
  ISSUE_CODES,
  issueCode,
  issueParams,
  OWN_ISSUE_CODES,
  parseContestEvent,
  ZOD_ISSUE_CODES,
  type IssueCode,
  parseContestFile,
  type ParseResult,
  type ValidationIssue,
} from './rules/parse.js';
export { formatJsonPath } from './rules/json-path.js';
export { contestEventJsonSchema, contestFileJsonSchema } from './rules/json-schema.js';
export {
  baselineFor,
  compileContest,
  DEFAULT_NEWCOMER_MONTHS,
  isNewcomerAt,
  prizeGroupOf,
  type Contest,
  type ContestParticipant,
  type MeasureReference,
} from './rules/contest.js';
export { addUtcMonths, monthsBetween, parseInstant } from './rules/period.js';
export {
  periodMonths,
  planFromHistory,
  planFromStored,
  type ProposedPlan,
  type StoredPlanMonth,
} from './rules/plan-proposal.js';
export { contestRulesOf, contestRulesSchema, type ContestRules } from './rules/contest-rules.js';
export {
  describeRules,
  type CriterionFacts,
  type FundingFacts,
  type GateFacts,
  type LeagueFacts,
  type PrizeFacts,
  type RulesAmount,
  type RulesFacts,
  type RulesLevel,
  type RulesMeasure,
  type RulesMinSample,
} from './rules/describe-rules.js';

export {
  addEventToMetrics,
  emptyMetrics,
  measureKey,
  newClientCount,
  readMetric,
  type MetricAdjustment,
  type MetricEvent,
  type MetricReading,
  type ParticipantMetrics,
} from './metrics/participant-metrics.js';
export { compareCountedEvents, eventKey, type CountedEvent } from './metrics/counted-event.js';
export { resolveCountedEvents } from './metrics/resolve-counted-events.js';
export { EventLedger, type LedgerOutcome, type LedgerStatus } from './metrics/event-ledger.js';

export {
  emptyScore,
  normalizeCriterion,
  normalizeMeasure,
  POINTS_DECIMALS,
  scoreParticipant,
  type CriterionScore,
  type ParticipantScore,
} from './scoring/score-participant.js';
export { replayParticipant, type ParticipantState } from './scoring/replay.js';
export {
  computeWhatItTakes,
  type CriterionWhatItTakes,
  type PrizeTarget,
  type WhatItTakes,
} from './scoring/what-it-takes.js';
export {
  recomputableWhenHidden,
  type RecomputableCriterion,
  type RecomputableReason,
} from './scoring/hidden-amounts.js';

export {
  aboveplanMarginForFund,
  computeAboveplanMargin,
  computeFund,
  computeFunding,
  fundPrizes,
  ROI_DECIMALS,
  turnoverAtPlanRate,
  type BreakEven,
  type FundingResult,
  type PrizeFunding,
  type PrizeResult,
} from './funding/funding.js';

export { compareRankKeys, type RankKey } from './ranking/rank-key.js';
export { OrderStatisticsTree } from './ranking/order-statistics-tree.js';

export { evaluate, type EvaluateOptions } from './standings/evaluate.js';
export { LiveStandings, type ApplyResult } from './standings/live-standings.js';
export {
  teamStandings,
  type CriterionRow,
  type EvaluationResult,
  type StandingRow,
  type TeamRow,
} from './standings/standings-result.js';

export { streamGenerator, uniformOpen, type Rng } from './rng/streams.js';
export { normal } from './rng/normal.js';
export { logFactorial, poisson } from './rng/poisson.js';
export { mix32, tieBreakHash } from './rng/hash.js';

export {
  buildSamplingModel,
  DEFAULT_SCENARIO,
  DEFAULT_TURNOVER_CV,
  MAX_TRIALS,
  MIN_MONTHS_FOR_CV,
  resolveScenario,
  sellerProfiles,
  simulationIssues,
  type CountedFigures,
  type ForecastCondition,
  type ProfileSource,
  type SamplingModel,
  type SellerProfile,
  type SimulationScenario,
} from './simulation/sampling-model.js';
export {
  BLOCK_SIZE,
  blockCount,
  simulateBlock,
  type BlockResult,
} from './simulation/trial-block.js';
export {
  HISTOGRAM_BINS,
  MAX_BREAK_EVEN_UPLIFT,
  PROBABILITY_DECIMALS,
  probabilityError,
  quantile,
  summarizeBlocks,
  type AmountDistribution,
  type Forecast,
  type HistogramBin,
  type ParticipantForecast,
  type PrizeForecast,
} from './simulation/summary.js';
export { assessFairness, FAIRNESS_THRESHOLDS, type Fairness } from './simulation/fairness.js';
export {
  formatMoney,
  formatMoneyIn,
  formatShare,
  SIMULATION_MESSAGES,
  simulationMessage,
  type LocalizedText,
  type MessageKey,
  type SimulationMessage,
} from './simulation/messages.js';
export {
  applyRemedy,
  CAP_OVER_MEDIAN,
  proposeRemedies,
  type RemedyChanges,
  type RemedyKey,
  type RemedyProposal,
} from './simulation/remedies.js';
export {
  inProcessExecutor,
  simulate,
  type RemedyForecast,
  type SimulateOptions,
  type SimulationExecutor,
  type SimulationJob,
  type SimulationProgress,
  type SimulationResult,
} from './simulation/simulate.js';
export {
  forecast,
  forecastCondition,
  type ForecastOptions,
  type ForecastPace,
  type LiveForecast,
} from './simulation/forecast.js';
export {
  simulationStates,
  type SimulationEndState,
  type SimulationState,
} from './simulation/simulation-state.js';
export {
  createPoolExecutor,
  createWorkerHandler,
  transferables,
  type WorkerPort,
  type WorkerRequest,
  type WorkerResponse,
} from './simulation/worker-protocol.js';

export {
  canTransition,
  CONTEST_STATES,
  CONTEST_TRANSITIONS,
  countsEvents,
  COUNTING_STATES,
  isContestState,
  nextState,
  rulesEditable,
  type ContestState,
  type ContestTransition,
  type CountingState,
} from './lifecycle/contest-lifecycle.js';

export {
  LIVE_NEIGHBORS,
  LIVE_TOP,
  type LiveCheckpoint,
  type LiveClientEvents,
  type LiveContestState,
  type LiveDeal,
  type LiveFocus,
  type LiveForecastView,
  type LiveFund,
  type LiveServerEvents,
  type LiveServerPayload,
  type LiveSnapshot,
  type LiveView,
  type SubscribeAck,
} from './live/live-events.js';

export {
  DISPLAY_DEFAULTS,
  DISPLAY_LANGUAGES,
  DISPLAY_SLIDE_SECONDS,
  DISPLAY_SLIDES,
  type DisplayLanguage,
  type DisplaySlide,
} from './live/display-settings.js';
