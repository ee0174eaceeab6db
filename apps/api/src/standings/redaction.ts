import type { LiveDeal, LiveForecastView, StandingRow } from '@podium/contest-model';
import type { Principal } from '../auth/principal.js';

/** Admins, directors and managers see every amount (and unpublished checkpoints). */
export function isStaff(viewer: Principal): boolean {
  return viewer.kind === 'user' && viewer.role !== 'seller';
}

/**
 * What one viewer may see: everything (`allVisible`: staff, or a contest that shows amounts), or
 * only the figures of `self` (a seller's own participant; null for a display or a shared room).
 */
export interface Redaction {
  readonly allVisible: boolean;
  readonly self: string | null;
}

/** The redaction for a viewer of a contest with this amounts rule. */
export function redactionFor(viewer: Principal, showAmounts: boolean): Redaction {
  return {
    allVisible: showAmounts || isStaff(viewer),
    self: viewer.kind === 'user' ? viewer.participantId : null,
  };
}

/**
 * THE rule of hidden amounts: may this viewer see the figures behind this participant's total?
 * Every channel (REST standings and checkpoints, socket snapshots, updates, focus and deals, the
 * CSV/XLSX downloads built on the REST answers) asks here, through the functions below.
 */
export function seesFiguresOf(redaction: Redaction, participantId: string): boolean {
  return redaction.allVisible || participantId === redaction.self;
}

/**
 * A row as the viewer may see it. Rank, total points, eligibility and prize place stay for
 * everyone. Of another participant's row a viewer without the figures loses the raw value, the
 * normalized value and the per-criterion points of each criterion (normalized = value / unit on
 * an absolute basis, points = weight × normalized, so either gives the amount back) and what it
 * takes (its targets are gaps in the metric's own units).
 */
export function redactRow(row: StandingRow, redaction: Redaction): StandingRow {
  if (seesFiguresOf(redaction, row.participantId)) return row;
  const { whatItTakes: _hidden, ...visible } = row;
  return {
    ...visible,
    criteria: row.criteria.map((criterion) => ({
      ...criterion,
      value: null,
      normalized: null,
      points: null,
    })),
  };
}

export function redactRows(rows: readonly StandingRow[], redaction: Redaction): StandingRow[] {
  return redaction.allVisible ? [...rows] : rows.map((row) => redactRow(row, redaction));
}

/**
 * A deal celebration as the viewer may see it: who and when stay (the celebration DESIGN §6
 * promises); the amount and whether it won a new client (a count of the new-clients metric) go.
 */
export function redactDeal(deal: LiveDeal, redaction: Redaction): LiveDeal {
  if (seesFiguresOf(redaction, deal.participantId)) return deal;
  return { ...deal, amountMinor: null, isNewClient: null };
}

/**
 * A forecast as the viewer may see it. Per participant it carries chances and the expected rank
 * only, never an amount, so it shows no one's figures whatever the amounts rule; its fund and pace
 * are the contest's totals, shown to every reader like the live fund (`LiveFund`). How it compares
 * with the approved simulation (`approved`) is for staff (`allVisible` alone would also let a
 * display of a contest that shows amounts see it).
 */
export function redactForecast(forecast: LiveForecastView, staff: boolean): LiveForecastView {
  return staff ? forecast : { ...forecast, approved: null };
}

/**
 * Whose chances a viewer sees in the forecast's history: staff everyone's, a seller (or their
 * personal link) their own only, a display no one's.
 */
export function forecastHistoryRowsFor<Row extends { readonly participantId: string }>(
  rows: readonly Row[],
  viewer: Principal,
): Row[] {
  if (isStaff(viewer)) return [...rows];
  const self = viewer.kind === 'user' ? viewer.participantId : null;
  return rows.filter((row) => row.participantId === self);
}
