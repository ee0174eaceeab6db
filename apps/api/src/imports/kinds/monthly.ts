import { parseMonthCell } from '@podium/contest-model';
import type { z } from 'zod';
import {
  checked,
  columnOf,
  count,
  field,
  money,
  readFields,
  text,
  type ColumnSpec,
  type Fields,
  type RowReader,
} from './kind.js';

/** A plan's or a history month's fields: the item's field names, read from these columns. */
export const MONTHLY_FIELDS = {
  participantId: field('participantId', text(200), true),
  month: field('month', parseMonthCell, true),
  turnoverMinor: field('turnover', money(0), true),
  marginMinor: field('margin', money(null), true),
  deals: field('deals', count),
  newClients: field('newClients', count),
};

/** Builds a plan or a history month: its fields read, then the API's schema for it. */
export function monthly<F extends Fields, T>(fields: F, schema: z.ZodType<T>) {
  return (row: RowReader): T | null => {
    const values = readFields(row, fields);
    return values === null ? null : checked(row, schema, values, columnOf(fields));
  };
}

/** A participant's month: plans and history rows must not repeat one. */
export const participantMonth = (item: { participantId: string; month: string }) =>
  `${item.participantId}\u0000${item.month}`;

export const MONTHLY_COLUMN_OF_FIELD = { turnoverMinor: 'turnover', marginMinor: 'margin' };

export const PARTICIPANT_ID_COLUMN: ColumnSpec = {
  name: 'participantId',
  required: true,
  example: 'p1',
  en: 'Participant id (must exist)',
  ru: 'Идентификатор участника (должен существовать)',
};

export const monthColumn = (example: string): ColumnSpec => ({
  name: 'month',
  required: true,
  example,
  en: 'Month YYYY-MM',
  ru: 'Месяц ГГГГ-ММ или ММ.ГГГГ',
});
