import { setTimeout as sleep } from 'node:timers/promises';
import { RateLimiterMemory, RateLimiterQueue } from 'rate-limiter-flexible';
import { z } from 'zod';
import { nonPublicAddressOf, PRIVATE_PORTAL_REFUSED } from './portal-address.js';

/**
 * amoCRM's documented budget: 7 requests a second per integration (amoCRM developers,
 * "Ограничения и требования"); past it amoCRM answers 429, and an account that keeps going over
 * is blocked with 403 (crm_platform/error-codes.md, "Другие ответы"). amoCRM counts the requests
 * as they arrive, and the network may bunch requests sent evenly, so Podium sends one every
 * 200 ms (5 a second): 8 requests would have to arrive 400 ms closer together than they left to
 * go over. Every process keeps every account under it; several processes share it only through
 * amoCRM's 429s, which are retried.
 */
export const AMOCRM_REQUESTS_PER_SECOND = 7;
export const AMOCRM_SPACING_MS = 200;
/** `GET /api/v4/leads` pages hold at most 250 leads, `GET /api/v4/events` 100 events. */
export const LEADS_PAGE_LIMIT = 250;
export const EVENTS_PAGE_LIMIT = 100;
/** `filter[entity_id]` takes at most 10 ids (events-and-notes.md, GET параметры). */
export const EVENTS_ENTITY_IDS = 10;

/** One queue of calls per account: a call waits for its turn instead of drawing a 429. */
const turns = new RateLimiterQueue(
  new RateLimiterMemory({ points: 1, duration: AMOCRM_SPACING_MS / 1000 }),
  { maxQueueSize: 10_000 },
);

const int = z.union([z.int(), z.string().regex(/^\d+$/).transform(Number)]);
const unixTime = int.nullable().optional();

/** A lead of API v4 as Podium reads it (leads-api.md, "Параметры ответа"). */
export const amocrmApiLeadSchema = z.looseObject({
  id: int,
  price: z.union([z.number().nonnegative(), z.string()]).nullable().optional(),
  responsible_user_id: int,
  status_id: int,
  pipeline_id: int.nullable().optional(),
  updated_at: int,
  created_at: unixTime,
  closed_at: unixTime,
  is_deleted: z.boolean().optional(),
  custom_fields_values: z
    .array(
      z.looseObject({
        field_id: int,
        values: z
          .array(z.looseObject({ value: z.unknown() }))
          .nullable()
          .optional(),
      }),
    )
    .nullable()
    .optional(),
  /**
   * What `with=contacts,catalog_elements` adds (leads-api.md, "Параметры для GET-параметра
   * with"): the lead's company (at most one), its contacts (`is_main` for the main one) and the
   * catalog elements (products) linked to it, each with `metadata.quantity` and `catalog_id`.
   */
  _embedded: z
    .looseObject({
      companies: z.array(z.looseObject({ id: int })).optional(),
      contacts: z.array(z.looseObject({ id: int, is_main: z.boolean().optional() })).optional(),
      catalog_elements: z
        .array(
          z.looseObject({
            id: int,
            metadata: z
              .looseObject({
                quantity: z.union([z.number(), z.string()]).nullable().optional(),
                catalog_id: int.optional(),
                price_id: int.nullable().optional(),
              })
              .nullable()
              .optional(),
          }),
        )
        .optional(),
    })
    .optional(),
});
export type AmocrmApiLead = z.output<typeof amocrmApiLeadSchema>;

/**
 * An element of a list (catalog) as `GET /api/v4/catalogs/{id}/elements` answers it
 * (catalogs-api.md, "Параметры ответа"): its name and custom fields, among them the products
 * catalog's price (`field_code` `PRICE`, its value a string such as "999.12").
 */
export const amocrmCatalogElementSchema = z.looseObject({
  id: int,
  name: z.string(),
  custom_fields_values: z
    .array(
      z.looseObject({
        field_id: int.optional(),
        field_code: z.string().nullable().optional(),
        values: z
          .array(z.looseObject({ value: z.unknown() }))
          .nullable()
          .optional(),
      }),
    )
    .nullable()
    .optional(),
});
export type AmocrmCatalogElement = z.output<typeof amocrmCatalogElementSchema>;

/** Ids a list filter takes in one query, kept well under the length of a URL. */
export const FILTER_IDS = 50;

const statusValue = z
  .array(z.looseObject({ lead_status: z.looseObject({ id: int, pipeline_id: int }).optional() }))
  .nullable()
  .optional();

/** A `lead_status_changed` event (events-and-notes.md, "Тип события: lead_status_changed"). */
const eventSchema = z.looseObject({
  id: z.string(),
  type: z.string(),
  entity_id: int,
  created_at: int,
  value_after: statusValue,
  value_before: statusValue,
});

export interface StatusChange {
  readonly leadId: string;
  readonly statusId: number;
  readonly pipelineId: number;
  /** Unix seconds. */
  readonly at: number;
}

/** A page of a list: what it held and whether `_links.next` points further. */
export interface ApiPage<T> {
  readonly items: T[];
  readonly hasNext: boolean;
}

/** A call that failed: `retryable` ones were already retried and may heal by themselves. */
export class AmocrmApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface AmocrmApiOptions {
  /** PODIUM_ALLOW_PRIVATE_CRM: a local account (tests, an on-premises proxy). */
  readonly allowPrivate: boolean;
  readonly timeoutMs?: number;
  /** Tries of one call before it is given up; 429, 5xx and network errors are tried again. */
  readonly attempts?: number;
  /** The first wait before a retry, doubled each time (a 429's Retry-After wins). */
  readonly backoffMs?: number;
}

/** amoCRM's problem+json error body: `{ title, type, status, detail }` (error-codes.md). */
function problemOf(text: string): string {
  try {
    const body = JSON.parse(text) as { title?: unknown; detail?: unknown; hint?: unknown };
    const parts = [body.title, body.detail, body.hint].filter(
      (part): part is string => typeof part === 'string' && part !== '',
    );
    return parts.join(': ').slice(0, 300);
  } catch {
    return '';
  }
}

/**
 * A polite client of one account's API v4, with its long-lived token: every call waits for the
 * account's turn, 429, 5xx and network errors are retried with backoff, and what cannot heal
 * (401, 403, 402, a body Podium cannot read) fails at once with amoCRM's own words. The token
 * never appears in an error.
 */
export class AmocrmApi {
  private readonly origin: string;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly backoffMs: number;

  constructor(
    baseUrl: string,
    private readonly token: string,
    private readonly options: AmocrmApiOptions,
  ) {
    this.origin = new URL(baseUrl).origin;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.attempts = options.attempts ?? 6;
    this.backoffMs = options.backoffMs ?? 500;
  }

  /** `GET /api/v4/leads/:id`; null when amoCRM answers 204 (no such lead). */
  async lead(id: string): Promise<AmocrmApiLead | null> {
    const body = await this.get(`/api/v4/leads/${encodeURIComponent(id)}`, new URLSearchParams());
    return body === null ? null : this.parse(amocrmApiLeadSchema, body, `lead ${id}`);
  }

  /**
   * A page of leads, `order[updated_at]`: changed since `updatedFrom` (Unix seconds, inclusive)
   * when given, else every lead (newest first, for accounts where the filter is off).
   */
  async leads(query: {
    updatedFrom: number | null;
    order: 'asc' | 'desc';
    page: number;
  }): Promise<ApiPage<AmocrmApiLead>> {
    const params = new URLSearchParams({
      limit: String(LEADS_PAGE_LIMIT),
      page: String(query.page),
      [`order[updated_at]`]: query.order,
    });
    if (query.updatedFrom !== null)
      params.set('filter[updated_at][from]', String(query.updatedFrom));
    const body = await this.get('/api/v4/leads', params);
    const page = this.embedded(body, 'leads');
    return {
      items: page.items.map((lead, index) =>
        this.parse(amocrmApiLeadSchema, lead, `leads[${index}]`),
      ),
      hasNext: page.hasNext,
    };
  }

  /**
   * Leads by id (`filter[id][]`, at most 50), with what `with` adds (`contacts`,
   * `catalog_elements`); every page.
   */
  async leadsById(ids: readonly string[], withs: readonly string[]): Promise<AmocrmApiLead[]> {
    const leads: AmocrmApiLead[] = [];
    for (let page = 1; ids.length > 0; page += 1) {
      const params = new URLSearchParams({ limit: String(LEADS_PAGE_LIMIT), page: String(page) });
      for (const id of ids) params.append('filter[id][]', id);
      if (withs.length > 0) params.set('with', withs.join(','));
      const found = this.embedded(await this.get('/api/v4/leads', params), 'leads');
      leads.push(
        ...found.items.map((lead, index) =>
          this.parse(amocrmApiLeadSchema, lead, `leads[${index}]`),
        ),
      );
      if (!found.hasNext) break;
    }
    return leads;
  }

  /**
   * The ids of the leads linked to a company or a contact (`GET /api/v4/companies/:id?with=leads`,
   * companies-api.md and contacts-api.md, "Параметры для GET-параметра with": `leads`); empty
   * when amoCRM answers 204 (no such company or contact).
   */
  async leadIdsOf(entity: 'companies' | 'contacts', id: string): Promise<string[]> {
    const body = await this.get(
      `/api/v4/${entity}/${encodeURIComponent(id)}`,
      new URLSearchParams({ with: 'leads' }),
    );
    if (body === null) return [];
    const parsed = this.parse(
      z.looseObject({
        _embedded: z
          .looseObject({ leads: z.array(z.looseObject({ id: int })).optional() })
          .optional(),
      }),
      body,
      `${entity} ${id}`,
    );
    return (parsed._embedded?.leads ?? []).map((lead) => String(lead.id));
  }

  /** Elements of a catalog by id (`filter[id][]`, at most 50); every page. */
  async catalogElements(
    catalogId: string,
    ids: readonly string[],
  ): Promise<AmocrmCatalogElement[]> {
    const elements: AmocrmCatalogElement[] = [];
    for (let page = 1; ids.length > 0; page += 1) {
      const params = new URLSearchParams({ limit: String(LEADS_PAGE_LIMIT), page: String(page) });
      for (const id of ids) params.append('filter[id][]', id);
      const path = `/api/v4/catalogs/${encodeURIComponent(catalogId)}/elements`;
      const found = this.embedded(await this.get(path, params), 'elements');
      elements.push(
        ...found.items.map((element, index) =>
          this.parse(amocrmCatalogElementSchema, element, `elements[${index}]`),
        ),
      );
      if (!found.hasNext) break;
    }
    return elements;
  }

  /** A page of `lead_status_changed` events of these leads (at most 10), since `createdFrom`. */
  async statusChanges(query: {
    leadIds: readonly string[];
    createdFrom: number | null;
    page: number;
  }): Promise<ApiPage<StatusChange>> {
    const params = new URLSearchParams({
      limit: String(EVENTS_PAGE_LIMIT),
      page: String(query.page),
      'filter[type]': 'lead_status_changed',
      'filter[entity]': 'lead',
    });
    for (const id of query.leadIds) params.append('filter[entity_id][]', id);
    if (query.createdFrom !== null) {
      params.set('filter[created_at][from]', String(query.createdFrom));
    }
    const body = await this.get('/api/v4/events', params);
    const page = this.embedded(body, 'events');
    const items: StatusChange[] = [];
    for (const [index, raw] of page.items.entries()) {
      const event = this.parse(eventSchema, raw, `events[${index}]`);
      const status = event.value_after?.[0]?.lead_status;
      if (event.type !== 'lead_status_changed' || status === undefined) continue;
      items.push({
        leadId: String(event.entity_id),
        statusId: status.id,
        pipelineId: status.pipeline_id,
        at: event.created_at,
      });
    }
    return { items, hasNext: page.hasNext };
  }

  /** `_embedded.<name>` and `_links.next` of a list; 204 (null) is an empty last page. */
  private embedded(body: unknown, name: string): ApiPage<unknown> {
    if (body === null) return { items: [], hasNext: false };
    const parsed = z
      .looseObject({
        _embedded: z.looseObject({ [name]: z.array(z.unknown()) }),
        _links: z.looseObject({ next: z.unknown().optional() }).optional(),
      })
      .safeParse(body);
    if (!parsed.success) {
      throw new AmocrmApiError(`amoCRM answered a list without _embedded.${name}`, 200, false);
    }
    const items = parsed.data._embedded[name] as unknown[];
    return { items, hasNext: parsed.data._links?.next !== undefined };
  }

  private parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw new AmocrmApiError(
      `amoCRM answered ${what} Podium cannot read (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'})`,
      200,
      false,
    );
  }

  /** One GET with the account's turn and retries; null for 204 No Content. */
  private async get(path: string, params: URLSearchParams): Promise<unknown> {
    // Checked when saved too; again here because what the name resolves to may have changed.
    if (!this.options.allowPrivate && (await nonPublicAddressOf(this.origin)) !== null) {
      throw new AmocrmApiError(`settings.baseUrl ${PRIVATE_PORTAL_REFUSED}`, null, false);
    }
    const query = params.size > 0 ? `?${params.toString()}` : '';
    let last = new AmocrmApiError('amoCRM was not called', null, true);
    for (let attempt = 1; attempt <= this.attempts; attempt += 1) {
      await turns.removeTokens(1, this.origin);
      let waitMs = this.backoffMs * 2 ** (attempt - 1);
      try {
        const response = await fetch(`${this.origin}${path}${query}`, {
          headers: { authorization: `Bearer ${this.token}`, accept: 'application/hal+json' },
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        const text = await response.text();
        if (response.status === 204) return null;
        if (response.ok) {
          try {
            return JSON.parse(text) as unknown;
          } catch {
            throw new AmocrmApiError(
              `amoCRM answered ${path} with a body that is not JSON`,
              200,
              false,
            );
          }
        }
        const problem = problemOf(text);
        const message = `amoCRM answered ${response.status}${problem ? ` ${problem}` : ''}`;
        const retryable = response.status === 429 || response.status >= 500;
        if (!retryable) throw new AmocrmApiError(message, response.status, false);
        last = new AmocrmApiError(message, response.status, true);
        const retryAfter = Number(response.headers.get('retry-after'));
        if (Number.isFinite(retryAfter) && retryAfter > 0) waitMs = retryAfter * 1000;
      } catch (error) {
        if (error instanceof AmocrmApiError) throw error;
        const name = (error as { name?: string }).name;
        const cause = (error as { cause?: { code?: string } }).cause?.code;
        last = new AmocrmApiError(
          name === 'TimeoutError'
            ? `amoCRM did not answer within ${this.timeoutMs} ms`
            : `amoCRM could not be reached (${cause ?? 'network error'})`,
          null,
          true,
        );
      }
      if (attempt < this.attempts) await sleep(waitMs * (0.75 + Math.random() / 2));
    }
    throw new AmocrmApiError(
      `${last.message} (gave up after ${this.attempts} tries)`,
      last.status,
      true,
    );
  }
}

/**
 * When a lead was won: the newest change into one of `wonStatusIds` among its status changes,
 * else amoCRM's `closed_at`, else null (the caller falls back to the lead's `updated_at`).
 */
export function wonMoment(
  lead: AmocrmApiLead,
  changes: readonly StatusChange[],
  wonStatusIds: readonly number[],
): number | null {
  let moment: number | null = null;
  for (const change of changes) {
    if (change.leadId !== String(lead.id) || !wonStatusIds.includes(change.statusId)) continue;
    if (moment === null || change.at > moment) moment = change.at;
  }
  return moment ?? lead.closed_at ?? null;
}
