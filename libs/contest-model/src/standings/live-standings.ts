import type { FundingResult } from '../funding/funding.js';
import { EventLedger, type LedgerStatus } from '../metrics/event-ledger.js';
import { copyMetrics, emptyMetrics } from '../metrics/participant-metrics.js';
import { computeFunding } from '../funding/funding.js';
import { OrderStatisticsTree } from '../ranking/order-statistics-tree.js';
import { compareRankKeys, type RankKey } from '../ranking/rank-key.js';
import { compileContest, prizeGroupOf, type Contest } from '../rules/contest.js';
import type { ContestFile } from '../rules/contest-file.schema.js';
import type { ContestEvent } from '../rules/event.schema.js';
import { replayParticipant, type ParticipantState } from '../scoring/replay.js';
import {
  emptyScore,
  scoreParticipant,
  type ParticipantScore,
} from '../scoring/score-participant.js';
import { computeWhatItTakes, type WhatItTakes } from '../scoring/what-it-takes.js';
import type { CountedFigures } from '../simulation/sampling-model.js';
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
  /** The participant's counted events (ledger records) in time order: the first `count`. */
  records: Int32Array;
  count: number;
  /**
   * Every figure of the counted events is an integer and their magnitudes add up to at most
   * 2⁵³ − 1 (every partial sum is then a safe integer), so
   * the totals do not depend on the order they were summed in and a record can be subtracted
   * exactly. Once false, it stays false (out-of-order events then replay the participant).
   */
  whole: boolean;
  magnitude: number;
  /**
   * A second score object: a new score is written into it and the two swap, so that applying an
   * event allocates no score (a score replaced only at the participant's next event lives long
   * enough to reach the old generation; a million of them were most of a rebuild's garbage).
   */
  spare: ParticipantScore;
  /** The key the entry is filed under in the trees (kept until it is re-filed). */
  key: RankKey;
  group: string;
}

/**
 * Standings kept up to date one event at a time, for live contests and for each simulation trial.
 *
 * Cost per event: O(log n) in the number of participants to re-file the participant in the
 * ranking (an order-statistics tree keyed by points desc, reachedAt asc, id asc) plus one scoring
 * of that participant. Memory per event: the ledger's record (no event object is kept) and one
 * slot in its participant's time-ordered list.
 *
 * Only the tie-break time needs time order: `reachedAtMs` is the time of the last event (in time
 * order, ties by key) that changed the rounded points. Totals are sums, so an event older than
 * the participant's latest one, or a reversal, changes them in O(1); the tie-break time is then
 * found by walking back from the newest event, taking events out of the totals until the points
 * differ from the final ones — usually one or two steps (an uncapped criterion moves with every
 * sale), at most the events since the points last changed. Totals with fractional quantities or
 * counter values are order-dependent floats: such a participant is replayed in time order, as
 * `evaluate` does. The result always equals `evaluate` of the same events from scratch, whatever
 * their arrival order.
 */
export class LiveStandings {
  readonly contest: Contest;
  readonly #ledger: EventLedger;
  readonly #entries = new Map<string, Entry>();
  readonly #ranking = new OrderStatisticsTree<Entry>(compareEntries);
  /** Eligible participants per prize group, in rank order. */
  readonly #eligible = new Map<string, OrderStatisticsTree<Entry>>();
  readonly #byIndex: Entry[] = [];
  /** What the walk back scores into (its scores are compared, never kept). */
  readonly #scratchScore: ParticipantScore;
  #actualMarginMinor = 0;
  #scorings = 0;

  /**
   * `expectedEvents`: how many events are about to be applied (a rebuild from a log), to size
   * the ledger once.
   */
  constructor({ contest, expectedEvents = 0 }: { contest: Contest; expectedEvents?: number }) {
    this.contest = contest;
    this.#ledger = new EventLedger({ contest });
    this.#ledger.reserve(expectedEvents);
    this.#scratchScore = emptyScore(contest);
    for (const group of contest.prizeGroups) {
      this.#eligible.set(group, new OrderStatisticsTree<Entry>(compareEntries));
    }
    for (const participant of contest.participants) {
      const state = replayParticipant({ contest, participant, events: [] });
      const entry: Entry = {
        state,
        records: EMPTY,
        count: 0,
        whole: true,
        magnitude: 0,
        spare: emptyScore(contest),
        key: rankKeyOf(state),
        group: prizeGroupOf(participant),
      };
      this.#entries.set(participant.id, entry);
      this.#byIndex.push(entry);
      this.#file(entry);
    }
  }

  /** Standings of a validated contest file's rules and participants, with no event applied yet. */
  static fromFile(file: ContestFile, { expectedEvents = 0 } = {}): LiveStandings {
    return new LiveStandings({ contest: compileContest({ file }), expectedEvents });
  }

  get size(): number {
    return this.#entries.size;
  }

  get actualMarginMinor(): number {
    return this.#actualMarginMinor;
  }

  /**
   * Scorings of a participant run so far: the work the events cost, since a scoring is most of
   * an event's. One per event in time order for its participant; an older event or a reversal
   * adds the steps of the walk back; a replay, one per counted event of the participant.
   */
  get scorings(): number {
    return this.#scorings;
  }

  applyEvent(event: ContestEvent): ApplyResult {
    const outcome = this.#ledger.apply(event);
    const changed = outcome.added ?? outcome.removed;
    if (changed === undefined) return { status: outcome.status, participantId: null };
    // The ledger counts only events of the contest's participants.
    const entry = this.#byIndex[this.#ledger.participantOf(changed)] as Entry;
    this.#unfile(entry);
    const marginBefore = entry.state.metrics.marginMinor;
    if (outcome.added !== undefined) this.#add(entry, outcome.added);
    else this.#remove(entry, changed);
    this.#actualMarginMinor += entry.state.metrics.marginMinor - marginBefore;
    // Re-keyed in place: the entry is out of the trees until it is filed again.
    entry.key.points = entry.state.score.points;
    entry.key.reachedAtMs = entry.state.reachedAtMs;
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
        this.#prizeGroup(group)
          .slice(0, count)
          .map((entry) => entry.state.participant.id),
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
    // The leader asks for position -1, where `at` finds nobody.
    const above = this.#ranking.at(this.#ranking.indexOf(entry) - 1);
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
        lowestHolder: (places) => this.#prizeGroup(entry.group).at(places - 1)?.state ?? null,
      }),
    });
  }

  /**
   * What a live forecast conditions on (DESIGN §3.7): each participant's counted metrics (copies)
   * and when their total was reached, in the contest's participant order. O(n), no replay.
   */
  counted(): CountedFigures {
    return {
      actual: this.#byIndex.map((entry) => copyMetrics(entry.state.metrics)),
      reachedAtMs: this.#byIndex.map((entry) => entry.state.reachedAtMs),
    };
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

  #add(entry: Entry, id: number): void {
    const ledger = this.#ledger;
    const { state } = entry;
    entry.whole &&= ledger.isWhole(id);
    entry.magnitude += ledger.magnitude(id);
    const at = this.#find(entry, id);
    // Stryker disable next-line ConditionalExpression: `true` (a new list for every event) keeps the same records, only slower
    if (entry.count === entry.records.length) {
      const records = new Int32Array(Math.max(8, entry.records.length * 2));
      records.set(entry.records);
      entry.records = records;
    }
    entry.records.copyWithin(at + 1, at, entry.count);
    entry.records[at] = id;
    entry.count += 1;
    if (at === entry.count - 1) {
      // In time order (the usual case): one scoring, no walk back.
      ledger.addTo(state.metrics, id);
      const score = this.#score(entry, entry.spare);
      if (score.points !== state.score.points) state.reachedAtMs = ledger.occurredAtMs(id);
      entry.spare = state.score;
      state.score = score;
    } else if (this.#exact(entry)) {
      ledger.addTo(state.metrics, id);
      this.#settle(entry);
    } else {
      this.#replay(entry);
    }
  }

  #remove(entry: Entry, id: number): void {
    // The ledger reports a removal only of a record it counted for this participant.
    const at = this.#find(entry, id);
    entry.records.copyWithin(at, at + 1, entry.count);
    entry.count -= 1;
    if (this.#exact(entry)) {
      this.#ledger.subtractFrom(entry.state.metrics, id);
      this.#settle(entry);
    } else {
      this.#replay(entry);
    }
  }

  #exact(entry: Entry): boolean {
    return entry.whole && entry.magnitude <= Number.MAX_SAFE_INTEGER;
  }

  #score(entry: Entry, into?: ParticipantScore): ParticipantScore {
    const { state } = entry;
    this.#scorings += 1;
    return scoreParticipant({
      contest: this.contest,
      participant: state.participant,
      metrics: state.metrics,
      into,
    });
  }

  /**
   * Scores the totals (already final) and finds the tie-break time: walks back from the newest
   * event, taking each out of the totals, until the points differ from the final ones; the event
   * just taken out is the last that changed them (none: the points held from the start). Then
   * puts the events taken out back, in time order.
   */
  #settle(entry: Entry): void {
    const ledger = this.#ledger;
    const { state, records } = entry;
    const score = this.#score(entry, entry.spare);
    let reachedAtMs: number | null = null;
    let index = entry.count - 1;
    for (; index >= 0; index -= 1) {
      const id = records[index] as number;
      ledger.subtractFrom(state.metrics, id);
      if (this.#score(entry, this.#scratchScore).points !== score.points) {
        reachedAtMs = ledger.occurredAtMs(id);
        break;
      }
    }
    for (let back = Math.max(index, 0); back < entry.count; back += 1) {
      ledger.addTo(state.metrics, records[back] as number);
    }
    entry.spare = state.score;
    state.score = score;
    state.reachedAtMs = reachedAtMs;
  }

  /** Re-scores the participant from nothing over their events in time order, as `evaluate`. */
  #replay(entry: Entry): void {
    const ledger = this.#ledger;
    const { state } = entry;
    state.metrics = emptyMetrics();
    let score = this.#score(entry);
    let reachedAtMs: number | null = null;
    for (let index = 0; index < entry.count; index += 1) {
      const id = entry.records[index] as number;
      ledger.addTo(state.metrics, id);
      const next = this.#score(entry);
      if (next.points !== score.points) reachedAtMs = ledger.occurredAtMs(id);
      score = next;
    }
    state.score = score;
    state.reachedAtMs = reachedAtMs;
  }

  /**
   * Position of the first counted record not before `id` (binary search): `count` for an event
   * after the participant's last one, the usual case.
   */
  #find(entry: Entry, id: number): number {
    let low = 0;
    let high = entry.count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.#ledger.compare(entry.records[middle] as number, id) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The eligible participants of a group with prize places (each has its tree from the start). */
  #prizeGroup(group: string): OrderStatisticsTree<Entry> {
    return this.#eligible.get(group) as OrderStatisticsTree<Entry>;
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

const EMPTY = new Int32Array(0);
