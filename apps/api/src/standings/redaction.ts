import type { StandingRow } from '@podium/contest-model';
import type { Principal } from '../auth/principal.js';

/** Admins, directors and managers see every amount (and unpublished checkpoints). */
export function isStaff(viewer: Principal): boolean {
  return viewer.kind === 'user' && viewer.role !== 'seller';
}

/**
 * Rows as a viewer may see them: every rank and points; their own amounts and what it takes;
 * others' amounts (`criteria[].value`) only when `allVisible` (staff, or a contest that shows
 * amounts). The one place REST standings, checkpoints and live updates are redacted.
 */
export function redactRows(
  rows: readonly StandingRow[],
  { allVisible, self }: { allVisible: boolean; self: string | null },
): StandingRow[] {
  if (allVisible) return [...rows];
  return rows.map((row) => {
    if (row.participantId === self) return row;
    const { whatItTakes: _hidden, ...visible } = row;
    return {
      ...visible,
      criteria: row.criteria.map((criterion) => ({ ...criterion, value: null })),
    };
  });
}
