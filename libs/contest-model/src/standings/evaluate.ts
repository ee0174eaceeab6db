import { resolveCountedEvents } from '../metrics/resolve-counted-events.js';
import { compareRankKeys } from '../ranking/rank-key.js';
import { compileContest } from '../rules/contest.js';
import type { ContestFile } from '../rules/contest-file.schema.js';
import { parseInstant } from '../rules/period.js';
import { replayParticipant, type ParticipantState } from '../scoring/replay.js';
import { buildEvaluationResult, type EvaluationResult } from './standings-result.js';

export interface EvaluateOptions {
  /**
   * Interim results: only events that occurred before this instant count (time is a parameter;
   * the model never reads the clock). Omitted: the whole period.
   */
  now?: Date | string | undefined;
  /** Compute "what it takes" for every participant (default true). */
  whatItTakes?: boolean | undefined;
}

/**
 * Scores a validated contest file (see `parseContestFile`) from scratch: fund, prizes, break-even,
 * ROI, standings and team standings (DESIGN §10). Pure: the same file gives the same result.
 */
export function evaluate(file: ContestFile, options: EvaluateOptions = {}): EvaluationResult {
  const contest = compileContest({ file });
  const asOfMs =
    options.now === undefined
      ? null
      : options.now instanceof Date
        ? options.now.getTime()
        : parseInstant(options.now);
  const counted = resolveCountedEvents({
    contest,
    events: file.events,
    untilMs: asOfMs ?? undefined,
  });
  const ordered = contest.participants
    .map((participant): ParticipantState =>
      replayParticipant({ contest, participant, events: counted.get(participant.id) ?? [] }),
    )
    .sort((a, b) => compareRankKeys(rankKeyOf(a), rankKeyOf(b)));
  return buildEvaluationResult({
    contest,
    ordered,
    asOfMs,
    withWhatItTakes: options.whatItTakes ?? true,
  });
}

export function rankKeyOf(state: ParticipantState): {
  points: number;
  reachedAtMs: number | null;
  participantId: string;
} {
  return {
    points: state.score.points,
    reachedAtMs: state.reachedAtMs,
    participantId: state.participant.id,
  };
}
