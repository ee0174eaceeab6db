/** What ranks a participant: points, then when the total was reached, then id. */
export interface RankKey {
  points: number;
  /** null: the total has held since the start, which ranks as earliest. */
  reachedAtMs: number | null;
  participantId: string;
}

/**
 * Ranking order (DESIGN §3.4): points descending; on equal points whoever reached that total
 * first; then participant id (code-unit order, not locale-dependent). A total order: no two
 * participants share a rank.
 */
export function compareRankKeys(a: RankKey, b: RankKey): number {
  if (a.points !== b.points) return b.points - a.points;
  const reachedA = a.reachedAtMs ?? Number.NEGATIVE_INFINITY;
  const reachedB = b.reachedAtMs ?? Number.NEGATIVE_INFINITY;
  if (reachedA !== reachedB) return reachedA < reachedB ? -1 : 1;
  return a.participantId < b.participantId ? -1 : a.participantId > b.participantId ? 1 : 0;
}
