import {
  parseBooleanCell,
  parseInstantCell,
  parsePositiveCell,
  saleEventSchema,
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
  externalId: field('externalId', text(200), true),
  source: field('source', text(100)),
  participantId: field('participantId', text(200), true),
  occurredAt: field('occurredAt', parseInstantCell, true),
  amountMinor: field('amount', money(0), true),
  marginMinor: field('margin', money(null), true),
  clientId: field('clientId', text(200)),
  isNewClient: field('isNewClient', parseBooleanCell),
  product: field('product', text(200)),
  quantity: field('quantity', parsePositiveCell),
};

/** Deals without a `source` column come from this source. */
export const DEFAULT_DEAL_SOURCE = 'import';

/**
 * Deals, ingested as `POST /api/events` ingests sales: idempotent on source and externalId,
 * counted by every live contest whose period and participants match.
 */
export const dealsKind: KindSpec<SaleEvent> = {
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
    const values = readFields(row, FIELDS);
    if (values === null) return null;
    const sale = { type: 'sale', ...values, source: values.source ?? DEFAULT_DEAL_SOURCE };
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
