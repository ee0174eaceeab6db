import type { FundingResult } from '../funding/funding.js';
import { compareCountedEvents, type CountedEvent } from '../metrics/counted-event.js';
import { EventLedger, type LedgerStatus } from '../metrics/event-ledger.js';
import { addEventToMetrics } from '../metrics/participant-metrics.js';
import { computeFunding } from '../funding/funding.js';
import { OrderStatisticsTree } from '../ranking/order-statistics-tree.js';
import { compareRankKeys, type RankKey } from '../ranking/rank-key.js';
import { compileContest, prizeGroupOf, type Contest } from '../rules/contest.js';
import type { ContestFile } from '../rules/contest-file.schema.js';
import type { ContestEvent } from '../rules/event.schema.js';
import { replayParticipant, type ParticipantState } from '../scoring/replay.js';
import { scoreParticipant } from '../scoring/score-participant.js';
import { computeWhatItTakes, type WhatItTakes } from '../scoring/what-it-takes.js';
import { rankKeyOf } from './evaluate.js';
import {
  assignPrizes,
  buildEvaluationResult,
  placesOfGroup,
  prizeTargetOf,
  toStandingRow,
  type EvaluationResult,
  type StandingRow,
} from './standings-result.js';

export interface ApplyResult {
  status: LedgerStatus;
  /** The participant whose standing changed, if any. */
  participantId: string | null;
}

interface Entry {
  state: ParticipantState;
  /** The participant's counted events in time order. */
  events: CountedEvent[];
  /** The key the entry is filed under in the trees (kept until it is re-filed). */
  key: RankKey;
  group: string;
}

/**
 * Standings kept up to date one event at a time, for live contests and for each simulation trial.
 *
 * Cost per event: O(log n) in the number of participants to re-file the participant in the
 * ranking (an order-statistics tree keyed by points desc, reachedAt asc, id asc) plus one scoring
 * of that participant. An event older than the participant's latest counted event, or a reversal
 * of a counted one, replays that participant's own events, to keep the tie-break time exact. The
 * result always equals `evaluate` of the same events from scratch, whatever their arrival order.
 */
export class LiveStandings {
  readonly contest: Contest;
  readonly #ledger: EventLedger;
  readonly #entries = new Map<string, Entry>();
  readonly #ranking = new OrderStatisticsTree<Entry>(compareEntries);
  /** Eligible participants per prize group, in rank order. */
  readonly #eligible = new Map<string, OrderStatisticsTree<Entry>>();
  #actualMarginMinor = 0;

  constructor({ contest }: { contest: Contest }) {
    this.contest = contest;
    this.#ledger = new EventLedger({ contest });
    for (const group of contest.prizeGroups) {
      this.#eligible.set(group, new OrderStatisticsTree<Entry>(compareEntries));
    }
    for (const participant of contest.participants) {
      const state = replayParticipant({ contest, participant, events: [] });
      const entry: Entry = {
        state,
        events: [],
        key: rankKeyOf(state),
        group: prizeGroupOf(participant),
      };
      this.#entries.set(participant.id, entry);
      this.#file(entry);
    }
  }

  /** Standings of a validated contest file's rules and participants, with no event applied yet. */
  static fromFile(file: ContestFile): LiveStandings {
    return new LiveStandings({ contest: compileContest({ file }) });
  }

  get size(): number {
    return this.#entries.size;
  }

  get actualMarginMinor(): number {
    return this.#actualMarginMinor;
  }

  applyEvent(event: ContestEvent): ApplyResult {
    const outcome = this.#ledger.apply(event);
    const changed = outcome.added ?? outcome.removed;
    if (changed === undefined) return { status: outcome.status, participantId: null };
    const entry = this.#entries.get(changed.event.participantId);
    if (entry === undefined) return { status: outcome.status, participantId: null };
    this.#unfile(entry);
    const marginBefore = entry.state.metrics.marginMinor;
    if (outcome.added !== undefined) this.#add(entry, outcome.added);
    else this.#remove(entry, changed);
    this.#actualMarginMinor += entry.state.metrics.marginMinor - marginBefore;
    entry.key = rankKeyOf(entry.state);
    this.#file(entry);
    return { status: outcome.status, participantId: entry.state.participant.id };
  }

  applyEvents(events: Iterable<ContestEvent>): void {
    for (const event of events) this.applyEvent(event);
  }

  /** 1-based rank, or null for an unknown participant. */
  rank(participantId: string): number | null {
    const entry = this.#entries.get(participantId);
    return entry === undefined ? null : this.#ranking.indexOf(entry) + 1;
  }

  row(participantId: string): StandingRow | null {
    const entry = this.#entries.get(participantId);
    if (entry === undefined) return null;
    return this.#row(entry, this.#ranking.indexOf(entry) + 1);
  }

  top(count: number): StandingRow[] {
    return this.page(0, count);
  }

  /** Rows at ranks offset + 1 … offset + limit. */
  page(offset: number, limit: number): StandingRow[] {
    return this.#ranking
      .slice(Math.max(0, offset), Math.max(0, limit))
      .map((entry, index) => this.#row(entry, Math.max(0, offset) + index + 1));
  }

  /** Fund, prizes and their current holders: O(prizes × log n). */
  funding(): FundingResult {
    const { contest } = this;
    const holders = assignPrizes({
      contest,
      eligibleInOrder: (group, count) =>
        (this.#eligible.get(group)?.slice(0, count) ?? []).map(
          (entry) => entry.state.participant.id,
        ),
    });
    return computeFunding({
      funding: contest.funding,
      prizes: contest.prizes,
      planMarginMinor: contest.planMarginMinor,
      planTurnoverMinor: contest.planTurnoverMinor,
      actualMarginMinor: this.#actualMarginMinor,
      winners: holders.winners,
    });
  }

  whatItTakes(participantId: string): WhatItTakes | null {
    const entry = this.#entries.get(participantId);
    if (entry === undefined) return null;
    const index = this.#ranking.indexOf(entry);
    const above = index > 0 ? this.#ranking.at(index - 1) : undefined;
    const tree = this.#eligible.get(entry.group);
    return computeWhatItTakes({
      contest: this.contest,
      state: entry.state,
      nextUp:
        above === undefined
          ? null
          : { participantId: above.state.participant.id, points: above.state.score.points },
      prizeTarget: prizeTargetOf({
        contest: this.contest,
        state: entry.state,
        held: this.#heldPlace(entry),
        lowestHolder: (places) => tree?.at(places - 1)?.state ?? null,
      }),
    });
  }

  /** The full result, as `evaluate` gives it for the same events. O(n). */
  snapshot({ whatItTakes = true }: { whatItTakes?: boolean } = {}): EvaluationResult {
    return buildEvaluationResult({
      contest: this.contest,
      ordered: this.#ranking.toArray().map((entry) => entry.state),
      asOfMs: null,
      withWhatItTakes: whatItTakes,
    });
  }

  #add(entry: Entry, counted: CountedEvent): void {
    const last = entry.events[entry.events.length - 1];
    if (last === undefined || compareCountedEvents(last, counted) < 0) {
      // In time order (the usual case): one scoring, no replay.
      entry.events.push(counted);
      const { state } = entry;
      addEventToMetrics({ metrics: state.metrics, event: counted.event });
      const score = scoreParticipant({
        contest: this.contest,
        participant: state.participant,
        metrics: state.metrics,
      });
      if (score.points !== state.score.points) state.reachedAtMs = counted.occurredAtMs;
      state.score = score;
      return;
    }
    entry.events.splice(insertionIndex(entry.events, counted), 0, counted);
    this.#replay(entry);
  }

  #remove(entry: Entry, counted: CountedEvent): void {
    const index = insertionIndex(entry.events, counted);
    if (entry.events[index]?.key === counted.key) entry.events.splice(index, 1);
    this.#replay(entry);
  }

  #replay(entry: Entry): void {
    entry.state = replayParticipant({
      contest: this.contest,
      participant: entry.state.participant,
      events: entry.events,
    });
  }

  #file(entry: Entry): void {
    this.#ranking.insert(entry);
    if (entry.state.score.eligible) this.#eligible.get(entry.group)?.insert(entry);
  }

  #unfile(entry: Entry): void {
    this.#ranking.remove(entry);
    this.#eligible.get(entry.group)?.remove(entry);
  }

  #heldPlace(entry: Entry): { place: number; league: string | null } | null {
    const tree = this.#eligible.get(entry.group);
    if (tree === undefined || !entry.state.score.eligible) return null;
    const index = tree.indexOf(entry);
    const places = placesOfGroup({ contest: this.contest, group: entry.group });
    return index < places ? { place: index + 1, league: entry.state.participant.league } : null;
  }

  #row(entry: Entry, rank: number): StandingRow {
    return toStandingRow({
      contest: this.contest,
      state: entry.state,
      rank,
      prize: this.#heldPlace(entry),
    });
  }
}

function compareEntries(a: Entry, b: Entry): number {
  return compareRankKeys(a.key, b.key);
}

/** Position of the first event not before `counted` (binary search). */
function insertionIndex(events: readonly CountedEvent[], counted: CountedEvent): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const event = events[middle];
    if (event !== undefined && compareCountedEvents(event, counted) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
