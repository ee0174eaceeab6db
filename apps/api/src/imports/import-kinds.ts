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

/** Reads the optional cell with `parse`; blank is undefined. */
function optional<T>(
  row: RowReader,
  column: string,
  parse: (cell: Cell) => Parsed<T>,
): T | undefined | typeof FAILED {
  const cell = row.cell(column);
  if (cells.isBlank(cell)) return undefined;
  const parsed = parse(cell);
  if (parsed.ok) return parsed.value;
  row.problem(column, parsed);
  return FAILED;
}

/** Reads the required cell with `parse`. */
function required<T>(
  row: RowReader,
  column: string,
  parse: (cell: Cell) => Parsed<T>,
): T | typeof FAILED {
  const value = optional(row, column, parse);
  if (value === undefined) {
    row.problem(column, { code: 'required', reason: 'is required' });
    return FAILED;
  }
  return value;
}

const FAILED = Symbol('failed');

/** Runs the API's own schema on the built item, so a file obeys the same rules as JSON. */
function checked<T>(
  row: RowReader,
  schema: z.ZodType<T>,
  value: unknown,
  columnOf: (field: string) => string,
): T | null {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    row.problem(columnOf(String(issue.path[0] ?? '')), { code: 'rule', reason: issue.message });
  }
  return null;
}

const text = (max: number) => (cell: Cell) => cells.text(cell, max);

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
    const id = required(row, 'id', text(200));
    const name = required(row, 'name', text(200));
    const team = optional(row, 'team', text(200));
    const role = optional(row, 'role', cells.role);
    const hiredOn = optional(row, 'hiredOn', cells.date);
    const isNewcomer = optional(row, 'isNewcomer', cells.boolean);
    const league = optional(row, 'league', text(100));
    const planMonth = optional(row, 'planMonth', cells.month);
    const planTurnover = optional(row, 'planTurnover', (cell) => cells.money(cell, { min: 0 }));
    const planMargin = optional(row, 'planMargin', (cell) => cells.money(cell, { min: null }));
    const planDeals = optional(row, 'planDeals', (cell) => cells.integer(cell, COUNT));
    const planNewClients = optional(row, 'planNewClients', (cell) => cells.integer(cell, COUNT));
    const values = [id, name, team, role, hiredOn, isNewcomer, league, planMonth, planTurnover];
    if ([...values, planMargin, planDeals, planNewClients].includes(FAILED)) return null;
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
    const participant = checked(
      row,
      bulkParticipantSchema,
      {
        id,
        name,
        ...(team === undefined ? {} : { team }),
        ...(role === undefined ? {} : { role }),
        ...(hiredOn === undefined ? {} : { hiredOn }),
        ...(isNewcomer === undefined ? {} : { isNewcomer }),
        ...(league === undefined ? {} : { league }),
      },
      (field) => field,
    );
    const plan =
      planMonth === undefined
        ? null
        : checked(
            row,
            planRowSchema,
            {
              participantId: id,
              month: planMonth,
              turnoverMinor: planTurnover,
              marginMinor: planMargin,
              ...(planDeals === undefined ? {} : { deals: planDeals }),
              ...(planNewClients === undefined ? {} : { newClients: planNewClients }),
            },
            (field) => PLAN_COLUMNS[field] ?? field,
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

const MONTHLY_COLUMNS: Record<string, string> = {
  participantId: 'participantId',
  month: 'month',
  turnoverMinor: 'turnover',
  marginMinor: 'margin',
  deals: 'deals',
  newClients: 'newClients',
  leads: 'leads',
};

const plans: KindSpec<'plans'> = {
  kind: 'plans',
  columns: [
    {
      name: 'participantId',
      required: true,
      example: 'p1',
      en: 'Participant id (must exist)',
      ru: 'Идентификатор участника (должен существовать)',
    },
    {
      name: 'month',
      required: true,
      example: '2026-03',
      en: 'Month YYYY-MM',
      ru: 'Месяц ГГГГ-ММ или ММ.ГГГГ',
    },
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
  build(row) {
    const participantId = required(row, 'participantId', text(200));
    const month = required(row, 'month', cells.month);
    const turnoverMinor = required(row, 'turnover', (cell) => cells.money(cell, { min: 0 }));
    const marginMinor = required(row, 'margin', (cell) => cells.money(cell, { min: null }));
    const deals = optional(row, 'deals', (cell) => cells.integer(cell, COUNT));
    const newClients = optional(row, 'newClients', (cell) => cells.integer(cell, COUNT));
    if ([participantId, month, turnoverMinor, marginMinor, deals, newClients].includes(FAILED)) {
      return null;
    }
    return checked(
      row,
      planRowSchema,
      {
        participantId,
        month,
        turnoverMinor,
        marginMinor,
        ...(deals === undefined ? {} : { deals }),
        ...(newClients === undefined ? {} : { newClients }),
      },
      (field) => MONTHLY_COLUMNS[field] ?? field,
    );
  },
  key: (item) => `${item.participantId}\u0000${item.month}`,
  references: (item) => item.participantId,
};

const history: KindSpec<'history'> = {
  kind: 'history',
  columns: [
    {
      name: 'participantId',
      required: true,
      example: 'p1',
      en: 'Participant id (must exist)',
      ru: 'Идентификатор участника (должен существовать)',
    },
    {
      name: 'month',
      required: true,
      example: '2026-02',
      en: 'Month YYYY-MM',
      ru: 'Месяц ГГГГ-ММ или ММ.ГГГГ',
    },
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
  build(row) {
    const participantId = required(row, 'participantId', text(200));
    const month = required(row, 'month', cells.month);
    const turnoverMinor = required(row, 'turnover', (cell) => cells.money(cell, { min: 0 }));
    const marginMinor = required(row, 'margin', (cell) => cells.money(cell, { min: null }));
    const deals = optional(row, 'deals', (cell) => cells.integer(cell, COUNT));
    const newClients = optional(row, 'newClients', (cell) => cells.integer(cell, COUNT));
    const leads = optional(row, 'leads', (cell) => cells.integer(cell, COUNT));
    const values = [participantId, month, turnoverMinor, marginMinor, deals, newClients, leads];
    if (values.includes(FAILED)) return null;
    return checked(
      row,
      historyRowSchema,
      {
        participantId,
        month,
        turnoverMinor,
        marginMinor,
        ...(deals === undefined ? {} : { deals }),
        ...(newClients === undefined ? {} : { newClients }),
        ...(leads === undefined ? {} : { leads }),
      },
      (field) => MONTHLY_COLUMNS[field] ?? field,
    );
  },
  key: (item) => `${item.participantId}\u0000${item.month}`,
  references: (item) => item.participantId,
};

const DEAL_COLUMNS: Record<string, string> = {
  amountMinor: 'amount',
  marginMinor: 'margin',
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
    const externalId = required(row, 'externalId', text(200));
    const source = optional(row, 'source', text(100));
    const participantId = required(row, 'participantId', text(200));
    const occurredAt = required(row, 'occurredAt', cells.instant);
    const amountMinor = required(row, 'amount', (cell) => cells.money(cell, { min: 0 }));
    const marginMinor = required(row, 'margin', (cell) => cells.money(cell, { min: null }));
    const clientId = optional(row, 'clientId', text(200));
    const isNewClient = optional(row, 'isNewClient', cells.boolean);
    const product = optional(row, 'product', text(200));
    const quantity = optional(row, 'quantity', cells.positive);
    const values = [externalId, source, participantId, occurredAt, amountMinor, marginMinor];
    if ([...values, clientId, isNewClient, product, quantity].includes(FAILED)) return null;
    return checked(
      row,
      saleEventSchema,
      {
        type: 'sale',
        externalId,
        source: source ?? DEFAULT_DEAL_SOURCE,
        participantId,
        occurredAt,
        amountMinor,
        marginMinor,
        ...(clientId === undefined ? {} : { clientId }),
        ...(isNewClient === undefined ? {} : { isNewClient }),
        ...(product === undefined ? {} : { product }),
        ...(quantity === undefined ? {} : { quantity }),
      },
      (field) => DEAL_COLUMNS[field] ?? field,
    );
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
