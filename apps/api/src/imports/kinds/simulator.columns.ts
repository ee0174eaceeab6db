import { MONEY_EN, MONEY_RU, type ColumnSpec } from './kind.js';

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
