import { historyRowSchema, type HistoryRowDto } from '../../participants/dto/history.dto.js';
import { count, field, MONEY_EN, MONEY_RU, type KindSpec } from './kind.js';
import {
  monthColumn,
  monthly,
  MONTHLY_COLUMN_OF_FIELD,
  MONTHLY_FIELDS,
  PARTICIPANT_ID_COLUMN,
  participantMonth,
} from './monthly.js';

const HISTORY_FIELDS = { ...MONTHLY_FIELDS, leads: field('leads', count) };

/** Monthly history of existing participants: what the simulator and baselines learn from. */
export const historyKind: KindSpec<HistoryRowDto> = {
  columns: [
    PARTICIPANT_ID_COLUMN,
    monthColumn('2026-02'),
    {
      name: 'turnover',
      required: true,
      example: '480000',
      en: `Turnover of the month${MONEY_EN}`,
      ru: `Оборот за месяц${MONEY_RU}`,
    },
    {
      name: 'margin',
      required: true,
      example: '96000',
      en: `Margin of the month${MONEY_EN}`,
      ru: `Маржа за месяц${MONEY_RU}`,
    },
    {
      name: 'deals',
      required: false,
      example: 12,
      en: 'Deals won (whole number)',
      ru: 'Выигранные сделки (целое число)',
    },
    {
      name: 'newClients',
      required: false,
      example: 2,
      en: 'New clients (whole number)',
      ru: 'Новые клиенты (целое число)',
    },
    {
      name: 'leads',
      required: false,
      example: 30,
      en: 'Leads (whole number)',
      ru: 'Лиды (целое число)',
    },
  ],
  build: monthly(HISTORY_FIELDS, historyRowSchema),
  key: participantMonth,
  keyColumn: 'month',
  identicalRepeatsAllowed: false,
  references: (item) => item.participantId,
  columnOfField: MONTHLY_COLUMN_OF_FIELD,
  async write(rows, { manager, history }) {
    const created = await history.upsertWithin(manager, rows);
    return { created, updated: rows.length - created, contestIds: [] };
  },
};
