import {
  parseBooleanCell,
  parseDateCell,
  parseMonthCell,
  parseRoleCell,
} from '@podium/contest-model';
import {
  bulkParticipantSchema,
  type BulkParticipantDto,
} from '../../participants/dto/participant.dto.js';
import { planRowSchema, type PlanRow } from '../../participants/plans.dto.js';
import {
  checked,
  columnOf,
  count,
  field,
  money,
  MONEY_EN,
  MONEY_RU,
  readFields,
  text,
  type KindSpec,
  type RowReader,
} from './kind.js';

/** A participant row: the bulk upsert's item and, optionally, one month of plan. */
export interface ParticipantImportItem {
  readonly participant: BulkParticipantDto;
  readonly plan: PlanRow | null;
}

/** The participant file's fields, each read from the column of its name. */
const FIELDS = {
  id: field('id', text(200), true),
  name: field('name', text(200), true),
  team: field('team', text(200)),
  role: field('role', parseRoleCell),
  hiredOn: field('hiredOn', parseDateCell),
  isNewcomer: field('isNewcomer', parseBooleanCell),
  league: field('league', text(100)),
  planMonth: field('planMonth', parseMonthCell),
  planTurnover: field('planTurnover', money(0)),
  planMargin: field('planMargin', money(null)),
  planDeals: field('planDeals', count),
  planNewClients: field('planNewClients', count),
};

/** The plan's fields → the participant file's columns. */
const PLAN_COLUMNS: Record<string, string> = {
  participantId: 'id',
  month: 'planMonth',
  turnoverMinor: 'planTurnover',
  marginMinor: 'planMargin',
  deals: 'planDeals',
  newClients: 'planNewClients',
};

function build(row: RowReader): ParticipantImportItem | null {
  const values = readFields(row, FIELDS);
  if (values === null) return null;
  const { planMonth, planTurnover, planMargin, planDeals, planNewClients, ...person } = values;
  const planGiven = [planTurnover, planMargin, planDeals, planNewClients].some(
    (value) => value !== undefined,
  );
  if (planGiven || planMonth !== undefined) {
    let complete = true;
    for (const [column, value] of [
      ['planMonth', planMonth],
      ['planTurnover', planTurnover],
      ['planMargin', planMargin],
    ] as const) {
      if (value === undefined) {
        row.problem(column, { code: 'planIncomplete', reason: 'is required for a plan' });
        complete = false;
      }
    }
    if (!complete) return null;
  }
  const participant = checked(row, bulkParticipantSchema, person, columnOf(FIELDS));
  const plan =
    planMonth === undefined
      ? null
      : checked(
          row,
          planRowSchema,
          {
            participantId: person.id,
            month: planMonth,
            turnoverMinor: planTurnover,
            marginMinor: planMargin,
            ...(planDeals === undefined ? {} : { deals: planDeals }),
            ...(planNewClients === undefined ? {} : { newClients: planNewClients }),
          },
          (name) => PLAN_COLUMNS[name] ?? name,
        );
  if (participant === null || (planMonth !== undefined && plan === null)) return null;
  return { participant, plan };
}

/** Participants, created or updated by id, each with an optional month of plan. */
export const participantsKind: KindSpec<ParticipantImportItem> = {
  columns: [
    {
      name: 'id',
      required: true,
      example: 'p1',
      en: 'Participant id (as CRM and contest files know it)',
      ru: 'Идентификатор участника (как в CRM и файлах конкурсов)',
    },
    { name: 'name', required: true, example: 'Anna Petrova', en: 'Full name', ru: 'Имя и фамилия' },
    {
      name: 'team',
      required: false,
      example: 'North',
      en: 'Team name; created when new',
      ru: 'Команда; создаётся, если её нет',
    },
    {
      name: 'role',
      required: false,
      example: 'hunter',
      en: 'hunter or farmer (default hunter)',
      ru: 'hunter (охотник) или farmer (фермер), по умолчанию hunter',
    },
    {
      name: 'hiredOn',
      required: false,
      example: '2021-02-01',
      en: 'Hiring date YYYY-MM-DD',
      ru: 'Дата приёма ГГГГ-ММ-ДД или ДД.ММ.ГГГГ',
    },
    {
      name: 'isNewcomer',
      required: false,
      example: 'no',
      en: 'yes/no: overrides the newcomer rule',
      ru: 'да/нет: переопределяет правило новичка',
    },
    {
      name: 'league',
      required: false,
      example: '',
      en: 'League, for leagues by field',
      ru: 'Лига (для лиг по полю)',
    },
    {
      name: 'planMonth',
      required: false,
      example: '2026-03',
      en: 'Month of the plan below YYYY-MM (needed when a plan column is filled)',
      ru: 'Месяц плана ГГГГ-ММ (нужен, если заполнен план)',
    },
    {
      name: 'planTurnover',
      required: false,
      example: '500000',
      en: `Plan turnover of that month${MONEY_EN}`,
      ru: `План по обороту за месяц${MONEY_RU}`,
    },
    {
      name: 'planMargin',
      required: false,
      example: '100000',
      en: `Plan margin of that month${MONEY_EN}`,
      ru: `План по марже за месяц${MONEY_RU}`,
    },
    {
      name: 'planDeals',
      required: false,
      example: 12,
      en: 'Plan deals of that month (whole number)',
      ru: 'План по сделкам за месяц (целое число)',
    },
    {
      name: 'planNewClients',
      required: false,
      example: 3,
      en: 'Plan new clients of that month (whole number)',
      ru: 'План по новым клиентам за месяц (целое число)',
    },
  ],
  build,
  key: (item) => item.participant.id,
  keyColumn: 'id',
  identicalRepeatsAllowed: false,
  references: () => null,
  columnOfField: { externalIds: 'id' },
  async write(items, { manager, participants, plans }) {
    const result = await participants.bulkUpsertWithin(
      manager,
      items.map((item) => item.participant),
    );
    await plans.upsertWithin(
      manager,
      items.flatMap((item) => (item.plan === null ? [] : [item.plan])),
    );
    return { created: result.created, updated: result.updated, contestIds: [] };
  },
};
