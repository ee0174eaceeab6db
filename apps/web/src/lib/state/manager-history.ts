import { LiveStandings, parseContestFile, type ContestEvent } from '@podium/contest-model';

/** Per-day figures of a contest, replayed from its events. */
export interface ContestHistory {
  /** UTC days (`YYYY-MM-DD`), from the period start to today or the end. */
  days: string[];
  /** Points at the end of each day, per participant id. */
  points: Map<string, number[]>;
  fundMinor: number[];
  aboveplanMarginMinor: number[];
}

const DAY = 86_400_000;

/**
 * The contest day by day: its events (any order) replayed through the same `LiveStandings` the
 * server runs, sampled at the end of every UTC day. Events are applied in the order they
 * occurred, so a day's figures are what the standings were that evening.
 */
export function replayHistory({
  file,
  events,
  now,
}: {
  file: unknown;
  events: readonly ContestEvent[];
  now: number;
}): ContestHistory {
  const parsed = parseContestFile(file);
  if (!parsed.success) {
    throw new Error(parsed.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '));
  }
  const standings = LiveStandings.fromFile(parsed.data);
  const start = Date.parse(parsed.data.period.start);
  const end = Math.min(Date.parse(parsed.data.period.end), now);
  const ordered = events
    .map((event) => ({ event, at: Date.parse(event.occurredAt) }))
    .sort((a, b) => a.at - b.at);
  const history: ContestHistory = {
    days: [],
    points: new Map(),
    fundMinor: [],
    aboveplanMarginMinor: [],
  };
  let next = 0;
  for (let dayStart = start; dayStart < end; dayStart += DAY) {
    const dayEnd = dayStart + DAY;
    for (let item = ordered[next]; item !== undefined && item.at < dayEnd; item = ordered[next]) {
      standings.applyEvent(item.event);
      next += 1;
    }
    history.days.push(new Date(dayStart).toISOString().slice(0, 10));
    for (const row of standings.page(0, standings.size)) {
      const series = history.points.get(row.participantId) ?? [];
      series.push(row.points);
      history.points.set(row.participantId, series);
    }
    const funding = standings.funding();
    history.fundMinor.push(funding.fundMinor);
    history.aboveplanMarginMinor.push(funding.aboveplanMarginMinor);
  }
  return history;
}
