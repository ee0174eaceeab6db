import type { LeadEvent, SaleEvent } from '@podium/contest-model';
import type { HistoryRowDto } from '../participants/dto/history.dto.js';
import type { PlanRow } from '../participants/plans.dto.js';
import { dealsKind } from './kinds/deals.kind.js';
import { historyKind } from './kinds/history.kind.js';
import type { KindSpec } from './kinds/kind.js';
import { participantsKind, type ParticipantImportItem } from './kinds/participants.kind.js';
import { plansKind } from './kinds/plans.kind.js';

export { DEFAULT_DEAL_SOURCE } from './kinds/deals.kind.js';
export type { ColumnSpec, KindSpec, RowReader, WriteContext, Written } from './kinds/kind.js';
export type { ParticipantImportItem } from './kinds/participants.kind.js';
export { SIMULATOR_PARTICIPANT_COLUMNS } from './kinds/simulator.columns.js';

export const IMPORT_KINDS = ['participants', 'plans', 'history', 'deals'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** The item a row of each kind becomes. */
export interface KindItems {
  participants: ParticipantImportItem;
  plans: PlanRow;
  history: HistoryRowDto;
  deals: SaleEvent | LeadEvent;
}

/** Each kind of file, in its own module: its columns, its rows' checks and its writer. */
export const KIND_SPECS: { readonly [K in ImportKind]: KindSpec<KindItems[K]> } = {
  participants: participantsKind,
  plans: plansKind,
  history: historyKind,
  deals: dealsKind,
};
