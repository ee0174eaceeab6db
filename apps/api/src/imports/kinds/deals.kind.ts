import {
  leadEventSchema,
  parseBooleanCell,
  parseDealTypeCell,
  parseInstantCell,
  parseIntegerCell,
  parsePositiveCell,
  saleEventSchema,
  type LeadEvent,
  type SaleEvent,
} from '@podium/contest-model';
import {
  checked,
  columnOf,
  field,
  money,
  MONEY_EN,
  MONEY_RU,
  readFields,
  text,
  type KindSpec,
} from './kind.js';

const FIELDS = {
  type: field('type', parseDealTypeCell),
  externalId: field('externalId', text(200), true),
  line: field('line', (cell) => parseIntegerCell(cell, { min: 1, max: MAX_LINES })),
  source: field('source', text(100)),
  participantId: field('participantId', text(200), true),
  occurredAt: field('occurredAt', parseInstantCell, true),
  amountMinor: field('amount', money(0)),
  marginMinor: field('margin', money(null)),
  clientId: field('clientId', text(200)),
  isNewClient: field('isNewClient', parseBooleanCell),
  product: field('product', text(200)),
  quantity: field('quantity', parsePositiveCell),
};

/** The columns only a sale has: a lead's row leaves them blank. */
const SALE_ONLY = [
  'line',
  'amountMinor',
  'marginMinor',
  'isNewClient',
  'product',
  'quantity',
] as const;

/** Product rows of one deal a file may number. */
const MAX_LINES = 10_000;

/** Deals without a `source` column come from this source. */
export const DEFAULT_DEAL_SOURCE = 'import';

/**
 * Deals and leads, ingested as `POST /api/events` ingests sales and leads: idempotent on source
 * and externalId, counted by every live contest whose period and participants match. A lead
 * row's event is `<externalId>/lead`, so a deal's lead and its sale can share the deal's id. A deal's
 * product rows are rows with the same externalId numbered by `line`: each is a sale
 * `<externalId>#<line>` with its own product, quantity, amount and margin, as the CRM
 * connectors count a deal per product row.
 */
export const dealsKind: KindSpec<SaleEvent | LeadEvent> = {
  columns: [
    {
      name: 'type',
      required: false,
      example: 'sale',
      en: 'sale (default) or lead: a lead counts for conversion and needs no amount',
      ru: 'sale/продажа (по умолчанию) или lead/лид: лид идёт в конверсию, сумма ему не нужна',
    },
    {
      name: 'externalId',
      required: true,
      example: 'crm-1',
      en: 'Deal id in its source; importing it again is harmless',
      ru: 'Номер сделки в источнике; повторный импорт не задвоит её',
    },
    {
      name: 'line',
      required: false,
      example: '',
      en: "Product row of the deal (1, 2, …): rows with the same externalId are the deal's products",
      ru: 'Номер товарной строки сделки (1, 2, …): строки с одним externalId — товары одной сделки',
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
      en: 'When the deal was won (a lead: created); without a zone it is UTC',
      ru: 'Когда выиграна сделка (лид — когда создан); без часового пояса — UTC',
    },
    {
      name: 'amount',
      required: false,
      example: '180000.50',
      en: `Deal turnover${MONEY_EN}; required for a sale`,
      ru: `Сумма сделки${MONEY_RU}; обязательна для продажи`,
    },
    {
      name: 'margin',
      required: false,
      example: '36000',
      en: `Deal margin${MONEY_EN}; may be negative; required for a sale`,
      ru: `Маржа сделки${MONEY_RU}; может быть отрицательной; обязательна для продажи`,
    },
    {
      name: 'clientId',
      required: false,
      example: 'c1',
      en: 'Client id, the same for every deal and lead of the client',
      ru: 'Идентификатор клиента, один для всех его сделок и лидов',
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
    const values = readFields(row, FIELDS);
    if (values === null) return null;
    const { type = 'sale', line, ...fields } = values;
    const source = fields.source ?? DEFAULT_DEAL_SOURCE;
    if (type === 'lead') {
      const given = SALE_ONLY.filter((name) => values[name] !== undefined);
      for (const name of given)
        row.problem(FIELDS[name].column, {
          code: 'saleOnly',
          reason: 'only a sale has this; leave it blank for a lead',
        });
      if (given.length > 0) return null;
      // As the CRM connectors name a deal's lead: a lead and a sale of one deal id both count.
      const lead = {
        type,
        source,
        externalId: fields.externalId === undefined ? undefined : `${fields.externalId}/lead`,
        participantId: fields.participantId,
        occurredAt: fields.occurredAt,
        ...(fields.clientId === undefined ? {} : { clientId: fields.clientId }),
      };
      return checked(row, leadEventSchema, lead, columnOf(FIELDS));
    }
    let missing = false;
    for (const name of ['amountMinor', 'marginMinor'] as const)
      if (values[name] === undefined) {
        row.problem(FIELDS[name].column, { code: 'required', reason: 'is required for a sale' });
        missing = true;
      }
    if (missing) return null;
    const externalId =
      line === undefined || fields.externalId === undefined
        ? fields.externalId
        : `${fields.externalId}#${line}`;
    const sale = { type, ...fields, externalId, source };
    return checked(row, saleEventSchema, sale, columnOf(FIELDS));
  },
  key: (item) => `${item.source}\u0000${item.externalId}`,
  keyColumn: 'externalId',
  identicalRepeatsAllowed: true,
  references: (item) => item.participantId,
  columnOfField: { amountMinor: 'amount', marginMinor: 'margin' },
  async write(deals, { manager, author, events, eventKeys }) {
    // Deals stored before (an import repeated) are answered as stored, not counted again.
    const before = await eventKeys.findKeys(deals, manager);
    const { contestIds } = await events.ingestWithin(manager, [...deals], {
      author: `import:${author}`,
    });
    return { created: deals.length - before.length, updated: 0, contestIds };
  },
};
