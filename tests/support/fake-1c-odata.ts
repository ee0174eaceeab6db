import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for 1C:Enterprise 8.3's standard OData interface (OData v3) of one infobase
 * published at `/trade/odata/standard.odata`, answering as the platform does. Sources of the
 * shapes:
 * - 1C:Enterprise 8.3 developer guide, "Стандартный интерфейс OData": entity set names
 *   (`Document_<name>`, `Catalog_<name>`, `AccumulationRegister_<name>_RecordType`), the
 *   `$format=json` body `{"odata.metadata": "<root>/$metadata#<set>", "value": [...]}`, an object
 *   addressed as `<set>(guid'<key>')`, the standard fields `Ref_Key`, `DataVersion`,
 *   `DeletionMark`, `Number`, `Date`, `Posted`, tabular sections inline as arrays of rows with
 *   `LineNumber`, references as `<name>_Key` GUIDs (the zero GUID when empty), dates without a
 *   zone (`0001-01-01T00:00:00` when empty), a register record's composite recorder as
 *   `Recorder` and `Recorder_Type` (`StandardODATA.Document_<name>`), `$filter` literals
 *   `guid'…'` and `datetime'…'`, and errors as
 *   `{"odata.error":{"code":"…","message":{"lang":"ru","value":"…"}}}`.
 * - handbrake79/TradeOdata (an Android client of УТ's OData interface),
 *   `…/Requests/TestRequest.java` and the `Model/Documents` classes: `GET
 *   <base>/odata/standard.odata/Document_РеализацияТоваровУслуг` with `$format=json` query maps,
 *   and the document fields it reads (Ref_Key, DataVersion, Number, Date, Posted,
 *   Контрагент_Key, СуммаДокумента, Товары rows with Номенклатура_Key, Количество, Цена, Сумма).
 * - the tests of the `odata1c` Python client of 1C's OData interface (its write service's 1C
 *   mock): a sale document `{"Ref_Key", "DataVersion": "AAAAAQAAAAA=", "DeletionMark": false,
 *   "Posted": false, "Number": "УТ-000711", "Date": "2026-08-26T12:00:00",
 *   "СуммаДокумента": 1500.0}`, tabular rows with `"LineNumber": "1"` (a string), and a missing
 *   object answered 404
 *   `{"odata.error":{"code":"9","message":{"lang":"ru","value":"Экземпляр сущности не найден"}}}`.
 * The fake honours `$filter` (the `and`/`or` comparisons Podium sends), `$orderby`, `$top`,
 * `$skip` and `$select`, HTTP Basic authentication (401 with 1C's error body otherwise) and
 * URL-encoded Cyrillic paths. Values are answered as the test stored them: a test stores an
 * amount as a string where 1C writes one (large numbers beyond a double's exact range).
 */

export const ZERO_GUID = '00000000-0000-0000-0000-000000000000';
export const EMPTY_DATE = '0001-01-01T00:00:00';

export type Row = Record<string, unknown>;

/** A goods (or services) row of a sale document. */
export interface FakeGoodsRow {
  LineNumber: string;
  Номенклатура_Key: string;
  Количество: number;
  Цена: number;
  Сумма: number | string;
  [field: string]: unknown;
}

/** A sale document (Документ.РеализацияТоваровУслуг) as 1C answers it. */
export interface FakeSaleDocument {
  Ref_Key: string;
  DataVersion: string;
  DeletionMark: boolean;
  Number: string;
  Date: string;
  Posted: boolean;
  СуммаДокумента: number | string;
  Контрагент_Key: string;
  Товары: FakeGoodsRow[];
  [field: string]: unknown;
}

/** A failure answered instead of the next call: its status and 1C's `odata.error` body. */
export interface OnecFailure {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

export const ONEC_ERRORS = {
  notFound: { status: 404, code: '9', message: 'Экземпляр сущности не найден' },
  unauthorized: { status: 401, code: '-1', message: 'Ошибка аутентификации' },
  internal: {
    status: 500,
    code: '-1',
    message: 'Ошибка СУБД: превышено время ожидания блокировки',
  },
  badQuery: { status: 400, code: '-1', message: 'Неправильный формат параметра запроса $filter' },
} as const satisfies Record<string, OnecFailure>;

/** A DataVersion as 1C writes it: 8 bytes in base64 (`AAAAAgAAAAA=`). */
export function dataVersion(): string {
  return randomBytes(8).toString('base64');
}

/** A fresh GUID, as 1C keys its objects. */
export function guid(): string {
  const hex = randomBytes(16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** One comparison of a `$filter`. */
interface Comparison {
  field: string;
  op: 'eq' | 'ne' | 'ge' | 'gt' | 'le' | 'lt';
  value: string | number | boolean;
}

/** `Date ge datetime'…' and Posted eq true or …` → alternatives of conjunctions; null: unknown. */
function parseFilter(filter: string): Comparison[][] | null {
  const alternatives: Comparison[][] = [];
  for (const part of filter.split(/\s+or\s+/)) {
    const all: Comparison[] = [];
    for (const clause of part.split(/\s+and\s+/)) {
      const match = /^\s*([\p{L}\p{N}_]+)\s+(eq|ne|ge|gt|le|lt)\s+(.+?)\s*$/u.exec(clause);
      if (!match) return null;
      const [, field, op, literal] = match as unknown as [string, string, Comparison['op'], string];
      let value: Comparison['value'];
      const quoted = /^(?:datetime|guid)?'((?:[^']|'')*)'$/.exec(literal);
      if (quoted) value = (quoted[1] ?? '').replace(/''/g, "'");
      else if (literal === 'true' || literal === 'false') value = literal === 'true';
      else if (/^-?\d+(\.\d+)?$/.test(literal)) value = Number(literal);
      else return null;
      all.push({ field, op, value });
    }
    alternatives.push(all);
  }
  return alternatives;
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = String(a);
  const right = String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

function holds(row: Row, comparison: Comparison): boolean {
  const actual = row[comparison.field];
  const order = compare(actual, comparison.value);
  switch (comparison.op) {
    case 'eq':
      return order === 0;
    case 'ne':
      return order !== 0;
    case 'ge':
      return order >= 0;
    case 'gt':
      return order > 0;
    case 'le':
      return order <= 0;
    case 'lt':
      return order < 0;
  }
}

const json = (body: unknown): string => JSON.stringify(body);

export class FakeOnecOdata {
  readonly username = 'podium';
  readonly password = 'Пароль-1С 42';
  readonly base = '/trade/odata/standard.odata';
  /**
   * Entity sets by name: the documents, catalogs and register records the test put there. The
   * sets the interface publishes exist from the start, empty (an unpublished one answers 404).
   */
  readonly sets = new Map<string, Row[]>(
    [
      'Document_РеализацияТоваровУслуг',
      'Catalog_Пользователи',
      'Catalog_Валюты',
      'Catalog_Номенклатура',
      'AccumulationRegister_ВыручкаИСебестоимостьПродаж_RecordType',
    ].map((set) => [set, []]),
  );
  /** Every call: the entity set (decoded), the query, and whether it was authorised. */
  readonly calls: { set: string; query: Record<string, string>; authorised: boolean }[] = [];
  /** Failures answered to the next calls, in order. */
  readonly script: OnecFailure[] = [];
  /** Called as each call arrives, before it is answered: a test changes 1C between two calls. */
  onCall: ((call: { set: string; query: Record<string, string> }) => void) | null = null;
  private server: http.Server | null = null;

  get baseUrl(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('the fake 1C server is not listening');
    return `http://127.0.0.1:${address.port}${this.base}`;
  }

  rows(set: string): Row[] {
    let rows = this.sets.get(set);
    if (rows === undefined) {
      rows = [];
      this.sets.set(set, rows);
    }
    return rows;
  }

  get documents(): FakeSaleDocument[] {
    return this.rows('Document_РеализацияТоваровУслуг') as FakeSaleDocument[];
  }

  document(ref: string): FakeSaleDocument {
    const found = this.documents.find((document) => document.Ref_Key === ref);
    if (!found) throw new Error(`no document ${ref}`);
    return found;
  }

  /** A write of the document in 1C: its fields change and it gets a new DataVersion. */
  write(ref: string, change: Partial<FakeSaleDocument>): void {
    Object.assign(this.document(ref), change, { DataVersion: dataVersion() });
  }

  /** Deletes the document for good (after its deletion mark: "Удаление помеченных объектов"). */
  remove(ref: string): void {
    const rows = this.documents;
    rows.splice(
      rows.findIndex((document) => document.Ref_Key === ref),
      1,
    );
  }

  /** Calls of the sale documents' list (not by key). */
  documentLists() {
    return this.calls.filter((call) => call.set === 'Document_РеализацияТоваровУслуг');
  }

  async start(): Promise<void> {
    this.server = http.createServer((request, response) => this.answer(request, response));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private fail(response: http.ServerResponse, failure: OnecFailure): void {
    const headers: Record<string, string> = { 'content-type': 'application/json;charset=utf-8' };
    if (failure.status === 401) headers['www-authenticate'] = 'Basic realm="1C:Enterprise"';
    response.writeHead(failure.status, headers);
    response.end(
      json({
        'odata.error': { code: failure.code, message: { lang: 'ru', value: failure.message } },
      }),
    );
  }

  private answer(request: http.IncomingMessage, response: http.ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://fake');
    const path = decodeURIComponent(url.pathname);
    const query = Object.fromEntries(url.searchParams.entries());
    const expected = `Basic ${Buffer.from(`${this.username}:${this.password}`).toString('base64')}`;
    const authorised = request.headers.authorization === expected;
    const set = path.startsWith(`${this.base}/`) ? path.slice(this.base.length + 1) : path;
    this.calls.push({ set, query, authorised });
    if (!authorised) return this.fail(response, ONEC_ERRORS.unauthorized);
    this.onCall?.({ set, query });
    const scripted = this.script.shift();
    if (scripted) return this.fail(response, scripted);
    if (request.method !== 'GET' || !path.startsWith(`${this.base}/`)) {
      return this.fail(response, { status: 404, code: '-1', message: 'Не найден ресурс' });
    }
    if (query.$format !== 'json') {
      // Without $format=json 1C answers Atom XML, which Podium never asks for.
      response.writeHead(200, { 'content-type': 'application/atom+xml;charset=utf-8' });
      response.end('<?xml version="1.0" encoding="UTF-8"?><feed/>');
      return;
    }
    const root = `${url.origin.replace('http://fake', `http://${request.headers.host}`)}${this.base}`;
    const byKey = /^([\p{L}\p{N}_]+)\(guid'([0-9a-f-]{36})'\)$/u.exec(set);
    if (byKey) {
      const [, name, key] = byKey as unknown as [string, string, string];
      const found = this.sets.get(name)?.find((row) => row.Ref_Key === key);
      if (!found) return this.fail(response, ONEC_ERRORS.notFound);
      response.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
      response.end(json({ 'odata.metadata': `${root}/$metadata#${name}/@Element`, ...found }));
      return;
    }
    const rows = this.sets.get(set);
    if (rows === undefined) {
      return this.fail(response, {
        status: 404,
        code: '6',
        message: `Не найден сегмент URL: ${set}`,
      });
    }
    let listed = [...rows];
    if (query.$filter !== undefined) {
      const filter = parseFilter(query.$filter);
      if (filter === null) return this.fail(response, ONEC_ERRORS.badQuery);
      listed = listed.filter((row) => filter.some((all) => all.every((one) => holds(row, one))));
    }
    if (query.$orderby !== undefined) {
      const keys = query.$orderby.split(',').map((part) => {
        const [field, direction] = part.trim().split(/\s+/);
        return { field: field ?? '', sign: direction === 'desc' ? -1 : 1 };
      });
      listed.sort((a, b) => {
        for (const { field, sign } of keys) {
          const order = compare(a[field], b[field]);
          if (order !== 0) return sign * order;
        }
        return 0;
      });
    }
    const skip = Number(query.$skip ?? 0);
    const top = query.$top === undefined ? listed.length : Number(query.$top);
    listed = listed.slice(skip, skip + top);
    if (query.$select !== undefined) {
      const fields = query.$select.split(',').map((field) => field.trim());
      listed = listed.map((row) =>
        Object.fromEntries(Object.entries(row).filter(([field]) => fields.includes(field))),
      );
    }
    response.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
    response.end(json({ 'odata.metadata': `${root}/$metadata#${set}`, value: listed }));
  }
}
