import { saleEventSchema, type SaleEvent } from '@podium/contest-model';
import type { z } from 'zod';
import { historyRowSchema, type HistoryRowDto } from '../participants/dto/history.dto.js';
import {
  bulkParticipantSchema,
  type BulkParticipantDto,
} from '../participants/dto/participant.dto.js';
import { planRowSchema, type PlanRow } from '../participants/plans.dto.js';
import * as cells from './cells.js';
import type { Cell, CellProblem, Parsed } from './cells.js';

export const IMPORT_KINDS = ['participants', 'plans', 'history', 'deals'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** One column of a file: its header, whether every row needs it, and what it holds. */
export interface ColumnSpec {
  readonly name: string;
  readonly required: boolean;
  /** The template's example row. */
  readonly example: string | number;
  readonly en: string;
  readonly ru: string;
}

/** A participant row: the bulk upsert's item and, optionally, one month of plan. */
export interface ParticipantImportItem {
  readonly participant: BulkParticipantDto;
  readonly plan: PlanRow | null;
}

export interface KindItems {
  participants: ParticipantImportItem;
  plans: PlanRow;
  history: HistoryRowDto;
  deals: SaleEvent;
}

/** Reads one row: `cell(column)` the raw cell; `problem` records a bad one. */
interface RowReader {
  cell(column: string): Cell;
  problem(column: string, problem: CellProblem): void;
}

export interface KindSpec<K extends ImportKind> {
  readonly kind: K;
  readonly columns: readonly ColumnSpec[];
  /** The row's item, or null when a cell was bad (then `problem` was called). */
  build(row: RowReader): KindItems[K] | null;
  /** The key rows must not repeat (participant id; participant and month; source and id). */
  key(item: KindItems[K]): string;
  /** The participant the row refers to, which must exist (null: the row creates it). */
  references(item: KindItems[K]): string | null;
}

/** Money columns are in major units (roubles, not kopecks), as people keep them in sheets. */
const MONEY_EN = ', in major units (180000.50 or 180 000,50)';
const MONEY_RU = ', в рублях (180000.50 или 180 000,50)';
const COUNT = { min: 0, max: 2_147_483_647 };

/** How one field of a row's item is read: from which column, with what parser. */
interface Field<T = unknown> {
  readonly column: string;
  readonly parse: (cell: Cell) => Parsed<T>;
  /** A blank cell is a problem (`required`) rather than a field left out. */
  readonly required?: boolean;
}

type Fields = Readonly<Record<string, Field>>;

/** The fields read from a row; a blank optional cell leaves its field out. */
type Values<F extends Fields> = { [K in keyof F]?: F[K] extends Field<infer T> ? T : never };

/**
 * Reads every field of `fields` from the row, in their order, recording each bad or missing
 * cell; null when any was.
 */
function readFields<F extends Fields>(row: RowReader, fields: F): Values<F> | null {
  const values: Record<string, unknown> = {};
  let failed = false;
  for (const [name, { column, parse, required }] of Object.entries(fields)) {
    const cell = row.cell(column);
    if (cells.isBlank(cell)) {
      if (required) {
        row.problem(column, { code: 'required', reason: 'is required' });
        failed = true;
      }
      continue;
    }
    const parsed = parse(cell);
    if (parsed.ok) values[name] = parsed.value;
    else {
      row.problem(column, parsed);
      failed = true;
    }
  }
  return failed ? null : (values as Values<F>);
}

/** The column a field of `fields` is read from (the field's own name when none is). */
const columnOf =
  (fields: Fields) =>
  (name: string): string =>
    fields[name]?.column ?? name;

/** Runs the API's own schema on the built item, so a file obeys the same rules as JSON. */
function checked<T>(
  row: RowReader,
  schema: z.ZodType<T>,
  value: unknown,
  columnOfField: (field: string) => string,
): T | null {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    row.problem(columnOfField(String(issue.path[0] ?? '')), {
      code: 'rule',
      reason: issue.message,
    });
  }
  return null;
}

const text = (max: number) => (cell: Cell) => cells.text(cell, max);
const money = (min: number | null) => (cell: Cell) => cells.money(cell, { min });
const count = (cell: Cell) => cells.integer(cell, COUNT);

/** A field whose column has the field's name. */
const field = <T>(column: string, parse: (cell: Cell) => Parsed<T>, required = false) => ({
  column,
  parse,
  required,
});

/** The participant file's fields, each read from the column of its name. */
const PARTICIPANT_FIELDS = {
  id: field('id', text(200), true),
  name: field('name', text(200), true),
  team: field('team', text(200)),
  role: field('role', cells.role),
  hiredOn: field('hiredOn', cells.date),
  isNewcomer: field('isNewcomer', cells.boolean),
  league: field('league', text(100)),
  planMonth: field('planMonth', cells.month),
  planTurnover: field('planTurnover', money(0)),
  planMargin: field('planMargin', money(null)),
  planDeals: field('planDeals', count),
  planNewClients: field('planNewClients', count),
};

const participants: KindSpec<'participants'> = {
  kind: 'participants',
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
  build(row) {
    const values = readFields(row, PARTICIPANT_FIELDS);
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
    const participant = checked(row, bulkParticipantSchema, person, columnOf(PARTICIPANT_FIELDS));
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
  },
  key: (item) => item.participant.id,
  references: () => null,
};

const PLAN_COLUMNS: Record<string, string> = {
  participantId: 'id',
  month: 'planMonth',
  turnoverMinor: 'planTurnover',
  marginMinor: 'planMargin',
  deals: 'planDeals',
  newClients: 'planNewClients',
};

/** A plan's or a history month's fields: the item's field names, read from these columns. */
const PLAN_FIELDS = {
  participantId: field('participantId', text(200), true),
  month: field('month', cells.month, true),
  turnoverMinor: field('turnover', money(0), true),
  marginMinor: field('margin', money(null), true),
  deals: field('deals', count),
  newClients: field('newClients', count),
};

const HISTORY_FIELDS = { ...PLAN_FIELDS, leads: field('leads', count) };

/** Builds a plan or a history month: its fields read, then the API's schema for it. */
function monthly<F extends Fields, T>(fields: F, schema: z.ZodType<T>) {
  return (row: RowReader): T | null => {
    const values = readFields(row, fields);
    return values === null ? null : checked(row, schema, values, columnOf(fields));
  };
}

/** A participant's month: plans and history rows must not repeat one. */
const participantMonth = (item: { participantId: string; month: string }) =>
  `${item.participantId}\u0000${item.month}`;

const PARTICIPANT_ID_COLUMN: ColumnSpec = {
  name: 'participantId',
  required: true,
  example: 'p1',
  en: 'Participant id (must exist)',
  ru: 'Идентификатор участника (должен существовать)',
};

const monthColumn = (example: string): ColumnSpec => ({
  name: 'month',
  required: true,
  example,
  en: 'Month YYYY-MM',
  ru: 'Месяц ГГГГ-ММ или ММ.ГГГГ',
});

const plans: KindSpec<'plans'> = {
  kind: 'plans',
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
  build: monthly(PLAN_FIELDS, planRowSchema),
  key: participantMonth,
  references: (item) => item.participantId,
};

const history: KindSpec<'history'> = {
  kind: 'history',
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
  references: (item) => item.participantId,
};

const DEAL_FIELDS = {
  externalId: field('externalId', text(200), true),
  source: field('source', text(100)),
  participantId: field('participantId', text(200), true),
  occurredAt: field('occurredAt', cells.instant, true),
  amountMinor: field('amount', money(0), true),
  marginMinor: field('margin', money(null), true),
  clientId: field('clientId', text(200)),
  isNewClient: field('isNewClient', cells.boolean),
  product: field('product', text(200)),
  quantity: field('quantity', cells.positive),
};

/** Deals without a `source` column come from this source. */
export const DEFAULT_DEAL_SOURCE = 'import';

const deals: KindSpec<'deals'> = {
  kind: 'deals',
  columns: [
    {
      name: 'externalId',
      required: true,
      example: 'crm-1',
      en: 'Deal id in its source; importing it again is harmless',
      ru: 'Номер сделки в источнике; повторный импорт не задвоит её',
    },
    {
      name: 'source',
      required: false,
      example: 'crm',
      en: `System the deal comes from (default "${DEFAULT_DEAL_SOURCE}")`,
      ru: `Система-источник (по умолчанию "${DEFAULT_DEAL_SOURCE}")`,
    },
    {
      name: 'participantId',
      required: true,
      example: 'p1',
      en: 'Seller (participant id, must exist)',
      ru: 'Продавец (идентификатор участника, должен существовать)',
    },
    {
      name: 'occurredAt',
      required: true,
      example: '2026-03-02T10:00:00+03:00',
      en: 'When the deal was won; without a zone it is UTC',
      ru: 'Когда выиграна сделка; без часового пояса — UTC',
    },
    {
      name: 'amount',
      required: true,
      example: '180000.50',
      en: `Deal turnover${MONEY_EN}`,
      ru: `Сумма сделки${MONEY_RU}`,
    },
    {
      name: 'margin',
      required: true,
      example: '36000',
      en: `Deal margin${MONEY_EN}; may be negative`,
      ru: `Маржа сделки${MONEY_RU}; может быть отрицательной`,
    },
    {
      name: 'clientId',
      required: false,
      example: 'c1',
      en: 'Client id',
      ru: 'Идентификатор клиента',
    },
    {
      name: 'isNewClient',
      required: false,
      example: 'yes',
      en: 'yes/no: a new client (default no)',
      ru: 'да/нет: новый клиент (по умолчанию нет)',
    },
    { name: 'product', required: false, example: 'X', en: 'Product', ru: 'Продукт' },
    {
      name: 'quantity',
      required: false,
      example: 1,
      en: 'Units (default 1)',
      ru: 'Количество (по умолчанию 1)',
    },
  ],
  build(row) {
    const values = readFields(row, DEAL_FIELDS);
    if (values === null) return null;
    const sale = { type: 'sale', ...values, source: values.source ?? DEFAULT_DEAL_SOURCE };
    return checked(row, saleEventSchema, sale, columnOf(DEAL_FIELDS));
  },
  key: (item) => `${item.source}\u0000${item.externalId}`,
  references: (item) => item.participantId,
};

export const KIND_SPECS: { readonly [K in ImportKind]: KindSpec<K> } = {
  participants,
  plans,
  history,
  deals,
};

/**
 * The simulator's participants file (read in the browser through `POST /api/imports/sheet`, never
 * written): plans for the whole contest rather than a month; empty plan cells take the history's
 * monthly mean × the contest's months. Its history file has the `history` kind's columns.
 */
export const SIMULATOR_PARTICIPANT_COLUMNS: readonly ColumnSpec[] = [
  { name: 'id', required: true, example: 'p1', en: 'Seller id', ru: 'Идентификатор продавца' },
  { name: 'name', required: true, example: 'Anna Petrova', en: 'Full name', ru: 'Имя и фамилия' },
  { name: 'team', required: false, example: 'North', en: 'Team', ru: 'Команда' },
  {
    name: 'role',
    required: false,
    example: 'hunter',
    en: 'hunter or farmer',
    ru: 'hunter (охотник) или farmer (фермер)',
  },
  {
    name: 'hiredOn',
    required: false,
    example: '2021-02-01',
    en: 'Hiring date YYYY-MM-DD',
    ru: 'Дата приёма ГГГГ-ММ-ДД',
  },
  {
    name: 'newcomer',
    required: false,
    example: 'no',
    en: 'yes/no: overrides the newcomer rule',
    ru: 'да/нет: переопределяет правило новичка',
  },
  {
    name: 'planTurnover',
    required: false,
    example: '',
    en: `Plan turnover for the whole contest${MONEY_EN}; empty: the history's mean`,
    ru: `План по обороту на весь конкурс${MONEY_RU}; пусто — среднее по истории`,
  },
  {
    name: 'planMargin',
    required: false,
    example: '',
    en: `Plan margin for the whole contest${MONEY_EN}; empty: the history's mean`,
    ru: `План по марже на весь конкурс${MONEY_RU}; пусто — среднее по истории`,
  },
  {
    name: 'planDeals',
    required: false,
    example: '',
    en: 'Plan deals for the whole contest',
    ru: 'План по сделкам на весь конкурс',
  },
  {
    name: 'planNewClients',
    required: false,
    example: 3,
    en: 'Plan new clients for the whole contest',
    ru: 'План по новым клиентам на весь конкурс',
  },
];
