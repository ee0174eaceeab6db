import { LIVE_NEIGHBORS, type LiveFocus, type LiveStandings } from '@podium/contest-model';

/** One participant's row with what it takes, and the rows around it, as a phone follows them. */
export function focusOf(standings: LiveStandings, participantId: string): LiveFocus | null {
  const row = standings.row(participantId);
  const rank = standings.rank(participantId);
  if (row === null || rank === null) return null;
  const whatItTakes = standings.whatItTakes(participantId);
  const neighbors = standings
    .page(Math.max(0, rank - 1 - LIVE_NEIGHBORS), 2 * LIVE_NEIGHBORS + 1)
    .map((neighbor) =>
      neighbor.participantId === participantId
        ? { ...row, ...(whatItTakes ? { whatItTakes } : {}) }
        : neighbor,
    );
  return { participantId, row: { ...row, ...(whatItTakes ? { whatItTakes } : {}) }, neighbors };
}
