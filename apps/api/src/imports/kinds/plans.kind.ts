import { planRowSchema, type PlanRow } from '../../participants/plans.dto.js';
import { MONEY_EN, MONEY_RU, type KindSpec } from './kind.js';
import {
  monthColumn,
  monthly,
  MONTHLY_COLUMN_OF_FIELD,
  MONTHLY_FIELDS,
  PARTICIPANT_ID_COLUMN,
  participantMonth,
} from './monthly.js';

/** Monthly plans of existing participants (`PUT /api/participants/:id/plans` in bulk). */
export const plansKind: KindSpec<PlanRow> = {
  columns: [
    PARTICIPANT_ID_COLUMN,
    monthColumn('2026-03'),
    {
      name: 'turnover',
      required: true,
      example: '500000',
      en: `Plan turnover${MONEY_EN}`,
      ru: `План по обороту${MONEY_RU}`,
    },
    {
      name: 'margin',
      required: true,
      example: '100000',
      en: `Plan margin${MONEY_EN}`,
      ru: `План по марже${MONEY_RU}`,
    },
    {
      name: 'deals',
      required: false,
      example: 12,
      en: 'Plan deals (whole number)',
      ru: 'План по сделкам (целое число)',
    },
    {
      name: 'newClients',
      required: false,
      example: 3,
      en: 'Plan new clients (whole number)',
      ru: 'План по новым клиентам (целое число)',
    },
  ],
  build: monthly(MONTHLY_FIELDS, planRowSchema),
  key: participantMonth,
  keyColumn: 'month',
  identicalRepeatsAllowed: false,
  references: (item) => item.participantId,
  columnOfField: MONTHLY_COLUMN_OF_FIELD,
  async write(rows, { manager, plans }) {
    const created = await plans.upsertWithin(manager, rows);
    return { created, updated: rows.length - created, contestIds: [] };
  },
};
