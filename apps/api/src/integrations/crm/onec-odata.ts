import { setTimeout as sleep } from 'node:timers/promises';
import currencyCodes from 'currency-codes';
import { z } from 'zod';
import { inServerPace } from './bitrix24-client.js';
import { offsetMinutes } from './bitrix24.js';
import { crmMinor } from './deal-observation.js';
import { nonPublicAddressOf, PRIVATE_PORTAL_REFUSED } from './portal-address.js';

/**
 * 1C:Enterprise 8.3's standard OData interface (OData v3, "Стандартный интерфейс OData" of the
 * platform's developer guide): entity sets named `Document_<name>`, `Catalog_<name>`,
 * `AccumulationRegister_<name>_RecordType`; `$format=json` answers
 * `{"odata.metadata": "…/$metadata#<set>", "value": [...]}`; a failure answers a 4xx/5xx with
 * `{"odata.error":{"code":"-1","message":{"lang":"ru","value":"…"}}}`. References are GUIDs, an
 * empty one the zero GUID; dates carry no time zone (`2026-03-05T14:30:00`), an empty one is
 * `0001-01-01T00:00:00`.
 */

export const SALES_DOCUMENTS = 'Document_РеализацияТоваровУслуг';
export const USERS_CATALOG = 'Catalog_Пользователи';
export const PRODUCTS_CATALOG = 'Catalog_Номенклатура';
export const CURRENCIES_CATALOG = 'Catalog_Валюты';
export const SALES_REGISTER = 'AccumulationRegister_ВыручкаИСебестоимостьПродаж_RecordType';
/** The recorder's type as 1C names it in a composite reference (`Recorder_Type`). */
export const SALES_DOCUMENT_TYPE = `StandardODATA.${SALES_DOCUMENTS}`;

export const ZERO_GUID = '00000000-0000-0000-0000-000000000000';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A call that failed; `retryable` ones were retried already and may heal by themselves. */
export class OnecError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface OnecConnection {
  /** `https://<server>/<base>/odata/standard.odata`, no trailing slash. */
  readonly baseUrl: string;
  readonly username: string;
  readonly password: string;
  readonly timeoutMs: number;
  /** PODIUM_ALLOW_PRIVATE_CRM: an infobase on the local network (tests, on-premises servers). */
  readonly allowPrivate: boolean;
  readonly signal?: AbortSignal | undefined;
  /** Tries after the first for a 5xx, a timeout or a network error; default 3. */
  readonly retries?: number;
}

/** The message of 1C's `odata.error` body, or null when the body is not one. */
export function odataErrorOf(text: string): string | null {
  try {
    const body = JSON.parse(text) as {
      'odata.error'?: { code?: unknown; message?: { value?: unknown } | unknown };
    };
    const error = body['odata.error'];
    if (error === undefined || error === null || typeof error !== 'object') return null;
    const message = error.message as { value?: unknown } | string | undefined;
    const value =
      typeof message === 'string'
        ? message
        : typeof message?.value === 'string'
          ? message.value
          : '';
    const code = typeof error.code === 'string' || typeof error.code === 'number' ? error.code : '';
    return `${value}${code === '' ? '' : ` (code ${code})`}`.slice(0, 300);
  } catch {
    return null;
  }
}

/** `'…'` inside an OData string literal. */
const literal = (value: string) => value.replace(/'/g, "''");

/** `Ref_Key eq guid'…' or …`: a filter matching any of `keys` (GUIDs only). */
export function keysFilter(keys: readonly string[], field = 'Ref_Key'): string {
  return keys
    .filter((key) => GUID.test(key))
    .map((key) => `${field} eq guid'${key}'`)
    .join(' or ');
}

/** `datetime'2026-03-01T00:00:00'`: a 1C date as OData v3 filters take it. */
export function datetimeLiteral(wallTime: string): string {
  return `datetime'${literal(wallTime.slice(0, 19))}'`;
}

/**
 * A polite client of one infobase's OData interface: every request waits its turn in the pace
 * Podium keeps with the servers it reads (two a second, one at a time), 5xx, timeouts and network
 * errors are retried with backoff, and what cannot heal (401, 403, 404 of a set, 400) fails at
 * once in 1C's own words. The credentials travel in the Authorization header only: never in a
 * URL, never in an error.
 */
export class OnecOdata {
  private readonly authorization: string;

  constructor(private readonly connection: OnecConnection) {
    this.authorization = `Basic ${Buffer.from(
      `${connection.username}:${connection.password}`,
      'utf8',
    ).toString('base64')}`;
  }

  /** One page of an entity set: `value` of `GET <set>?$format=json&<query>`. */
  async list(
    entitySet: string,
    query: Readonly<Record<string, string | number>>,
  ): Promise<Record<string, unknown>[]> {
    const body = await this.get(entitySet, query);
    const value = body?.value;
    if (!Array.isArray(value)) {
      throw new OnecError(`${entitySet}: 1C answered no list ("value")`, null, false);
    }
    return value.filter(
      (row): row is Record<string, unknown> => row !== null && typeof row === 'object',
    );
  }

  /** One object by its key (`<set>(guid'…')`); null when 1C answers 404 (it does not exist). */
  async one(entitySet: string, key: string): Promise<Record<string, unknown> | null> {
    if (!GUID.test(key)) return null;
    return this.get(`${entitySet}(guid'${key}')`, {}, true);
  }

  private async get(
    path: string,
    query: Readonly<Record<string, string | number>>,
    missingIsNull = false,
  ): Promise<Record<string, unknown> | null> {
    const url = `${this.connection.baseUrl}/${encodeURIComponent(path)}?${[
      ['$format', 'json'],
      ...Object.entries(query),
    ]
      .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
      .join('&')}`;
    if (!this.connection.allowPrivate && (await nonPublicAddressOf(url)) !== null) {
      throw new OnecError(`settings.baseUrl ${PRIVATE_PORTAL_REFUSED}`, null, false);
    }
    const host = new URL(url).host;
    const retries = this.connection.retries ?? 3;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await inServerPace(host, this.connection.signal, () =>
          this.request(path, url, missingIsNull),
        );
      } catch (error) {
        const failure =
          error instanceof OnecError ? error : new OnecError(String(error), null, true);
        if (!failure.retryable || attempt >= retries || this.connection.signal?.aborted) {
          throw failure;
        }
        await sleep(1_000 * 2 ** attempt, undefined, { signal: this.connection.signal });
      }
    }
  }

  private async request(
    path: string,
    url: string,
    missingIsNull: boolean,
  ): Promise<Record<string, unknown> | null> {
    const { signal, timeoutMs } = this.connection;
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        headers: { accept: 'application/json', authorization: this.authorization },
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      });
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw new OnecError('the call was stopped', null, false);
      const name = (error as { name?: string }).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new OnecError(`1C did not answer ${path} within ${timeoutMs} ms`, null, true);
      }
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new OnecError(`1C could not be reached (${cause ?? 'network error'})`, null, true);
    }
    if (response.status === 404 && missingIsNull) return null;
    if (!response.ok) {
      const said = odataErrorOf(text);
      const words = said === null ? '' : `: ${said}`;
      if (response.status === 401) {
        throw new OnecError(
          `1C refused the credentials (401)${words}: check settings.username and settings.password`,
          401,
          false,
        );
      }
      throw new OnecError(
        `1C answered ${response.status} to ${path}${words}`.slice(0, 500),
        response.status,
        response.status >= 500 || response.status === 429,
      );
    }
    try {
      const body: unknown = JSON.parse(text);
      if (body !== null && typeof body === 'object') return body as Record<string, unknown>;
    } catch {
      // Answered below.
    }
    throw new OnecError(
      `1C answered ${path} with something other than JSON`,
      response.status,
      false,
    );
  }
}

/** A number as 1C's JSON writes it: a number, or a string for what a double cannot hold. */
const onecNumber = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/, { error: 'must be a number' })
    .transform(Number),
]);
/** An amount as 1C's JSON writes it: kept as given, read by the one money parser. */
const onecAmount = z.union([z.number(), z.string()]);
const reference = z.string().regex(GUID, { error: 'must be a GUID' });
const onecDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, { error: 'must be a 1C date' });

const goodsRow = z.looseObject({
  LineNumber: onecNumber,
  Номенклатура_Key: reference,
  Количество: onecNumber,
  Сумма: onecAmount,
});

/**
 * A sale document (Документ.РеализацияТоваровУслуг) as the OData interface answers it, the
 * fields Podium reads. УТ 11/ERP name the seller `Менеджер` and the currency `Валюта`; БП 3.0
 * `Ответственный` and `ВалютаДокумента`. Both keep goods in `Товары`; БП 3.0 keeps services in
 * `Услуги`, with the same columns.
 */
export const onecDocumentSchema = z.looseObject({
  Ref_Key: reference,
  DataVersion: z.string().min(1),
  DeletionMark: z.boolean(),
  Posted: z.boolean(),
  Number: z.string().optional(),
  Date: onecDate,
  СуммаДокумента: onecAmount,
  Менеджер_Key: reference.optional(),
  Ответственный_Key: reference.optional(),
  Контрагент_Key: reference.optional(),
  Валюта_Key: reference.optional(),
  ВалютаДокумента_Key: reference.optional(),
  Товары: z.array(goodsRow).optional(),
  Услуги: z.array(goodsRow).optional(),
});
export type OnecDocument = z.output<typeof onecDocumentSchema>;

/** The empty date 1C writes for a date not filled. */
export const EMPTY_DATE = '0001-01-01T00:00:00';

export const filledReference = (key: string | undefined): string | null =>
  key === undefined || key === ZERO_GUID ? null : key;

/**
 * A 1C wall time (`2026-03-05T14:30:00`, no zone) read in `timeZone` → the instant with that
 * zone's offset (`2026-03-05T14:30:00+03:00`). The offset is the zone's at that wall time (found
 * by asking twice: once at the wall time read as UTC, then at the instant that gives).
 */
export function wallTimeIn(wallTime: string, timeZone: string): string {
  const asUtc = Date.parse(`${wallTime.slice(0, 19)}Z`);
  const first = offsetMinutes(new Date(asUtc), timeZone);
  const offset = offsetMinutes(new Date(asUtc - first * 60_000), timeZone);
  const sign = offset < 0 ? '-' : '+';
  const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const minutes = String(Math.abs(offset) % 60).padStart(2, '0');
  return `${wallTime.slice(0, 19)}${sign}${hours}:${minutes}`;
}

/** An instant as a 1C wall time in `timeZone` (`2026-03-01T00:00:00`): what 1C's filters take. */
export function wallTimeOf(at: Date, timeZone: string): string {
  const shifted = new Date(at.getTime() + offsetMinutes(at, timeZone) * 60_000);
  return shifted.toISOString().slice(0, 19);
}

/**
 * A currency entry of Catalog_Валюты → its ISO 4217 letter code: the entry's name when it is
 * one (`RUB`, as УТ 11 names them), else by its numeric `Code` (`643`, the ISO 4217 list as the
 * currency-codes package keeps it); neither: the code as
 * 1C has it, which no integration counts (the document is held with the reason "currency").
 */
export function currencyCodeOf(entry: { Code?: unknown; Description?: unknown }): string {
  const name = typeof entry.Description === 'string' ? entry.Description.trim() : '';
  if (/^[A-Z]{3}$/.test(name)) return name;
  const code = typeof entry.Code === 'string' ? entry.Code.trim() : String(entry.Code ?? '');
  return currencyCodes.number(code.padStart(3, '0'))?.code ?? (code || name || '?');
}

/** Σ of `values` as 1C writes amounts, in integer minor units; null if one is not an amount. */
export function sumMinor(values: readonly (string | number)[]): number | null {
  let total = 0;
  for (const value of values) {
    const minor = crmMinor(value);
    if (minor === null) return null;
    total += minor;
  }
  return total;
}
