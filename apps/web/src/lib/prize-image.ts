/** The picture of a prize place (a league's, when it has one); a 404 when the contest has none. */
export function prizeImageSrc(contestId: string, place: number, league: string | null): string {
  return (
    `/api/contests/${encodeURIComponent(contestId)}/prizes/${place}/image` +
    (league === null ? '' : `?league=${encodeURIComponent(league)}`)
  );
}
