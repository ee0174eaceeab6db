import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { form } from './crm.js';

/**
 * A local amoCRM account speaking API v4 as amoCRM documents it (amoCRM developers docs,
 * mirrored as markdown: crm_platform/leads-api.md, events-and-notes.md, error-codes.md,
 * webhooks-format.md, digital_pipeline/webhooks.md):
 * - `GET /api/v4/leads/:id`: the lead (application/hal+json), 204 No Content when there is none;
 * - `GET /api/v4/leads?page&limit&filter[updated_at][from]&order[updated_at]`: `_page`,
 *   `_links.self|next`, `_embedded.leads`, at most 250 a page, 204 for an empty page
 *   (error-codes.md: code 2002 "nothing found" goes with HTTP 204);
 * - `GET /api/v4/events?filter[type]=lead_status_changed&filter[entity]=lead&filter[entity_id][]`:
 *   `_embedded.events` with `value_after/value_before: [{ lead_status: { id, pipeline_id } }]`,
 *   at most 100 a page;
 * - errors as application/problem+json `{ title, type: "https://httpstatus.es/<code>", status,
 *   detail }` (error-codes.md, "Пример ошибки валидации данных"): 401 for another token, 429 past
 *   7 requests in one second or when told to (the API's limits as the Kommo/amoCRM developer
 *   docs give them: at most 7 requests a second, 429 past it, 403 with the address blocked when
 *   it goes on; amoCRM counts a request as it arrives).
 * - `GET /api/v4/leads?filter[id][]=…&with=contacts,catalog_elements`: the leads by id, and with
 *   them `_embedded.contacts` (`{ id, is_main }`) and `_embedded.catalog_elements`
 *   (`{ id, metadata: { quantity, catalog_id } }`); `_embedded.companies` (`[{ id }]`, at most one)
 *   always (leads-api.md, "Параметры для GET-параметра with" and its example answer; the
 *   captured answer in the oGi4i/amocrm-client tests, client/lead_test.go);
 * - `GET /api/v4/companies/:id?with=leads`, `GET /api/v4/contacts/:id?with=leads`: the entity
 *   with `_embedded.leads` (`[{ id, _links }]`), 204 when there is none (companies-api.md,
 *   contacts-api.md, "Параметры для GET-параметра with");
 * - `GET /api/v4/catalogs/:id/elements?filter[id][]=…`: `_embedded.elements` with `name` and
 *   `custom_fields_values`, the price a `PRICE` field whose value is a string ("999.12")
 *   (catalogs-api.md, "Получение элементов списка", and the Kommo developer docs' example answer).
 * Ids and times are integers, `price` the budget in major units, as the API answers them.
 */
export interface FakeLead {
  id: number;
  name: string;
  price: number;
  responsible_user_id: number;
  status_id: number;
  pipeline_id: number;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  is_deleted: boolean;
  custom_fields_values: { field_id: number; values: { value: string | number }[] }[] | null;
  account_id: number;
}

interface FakeEvent {
  id: string;
  type: 'lead_status_changed';
  entity_id: number;
  entity_type: 'lead';
  created_by: number;
  created_at: number;
  value_after: [{ lead_status: { id: number; pipeline_id: number } }];
  value_before: [{ lead_status: { id: number; pipeline_id: number } }];
  account_id: number;
}

export const PIPELINE = 7039099;
/** amoCRM's "successfully realised" status, the same in every pipeline. */
export const WON = 142;
export const LOST = 143;

/** A product of a catalog: its name and price (major units). */
export interface FakeCatalogElement {
  id: number;
  name: string;
  price: number;
}

/** The "Товары" catalog every test account has. */
export const PRODUCTS_CATALOG = 4521;
/** Its price field (field_code PRICE). */
const PRICE_FIELD = 271211;

export class FakeAmocrm {
  readonly token = 'long-lived-token-0123456789abcdefghij';
  readonly account = { id: 29085955, subdomain: 'acme' };
  readonly leads = new Map<number, FakeLead>();
  readonly events: FakeEvent[] = [];
  /** A lead's company (at most one) and contacts. */
  readonly leadCompany = new Map<number, number>();
  readonly leadContacts = new Map<number, { id: number; is_main: boolean }[]>();
  /** The catalog elements linked to a lead, with the link's quantity. */
  readonly leadElements = new Map<number, { id: number; catalog_id: number; quantity: number }[]>();
  /** Catalog id → its elements by id. */
  readonly catalogs = new Map<number, Map<number, FakeCatalogElement>>();
  /** Every API request, as `<path>?<query>`, for the tests to look at. */
  readonly requests: string[] = [];
  /** false: `filter[updated_at]` is ignored, as on an account where the filter is off. */
  filterUpdatedAt = true;
  /** The next N requests are answered 429. */
  throttleNext = 0;
  /** The next requests are answered with these errors, in order (402, 503 …). */
  readonly refuseNext: { status: number; title: string; detail: string }[] = [];
  /** Requests answered 429 because they went over 7 in a second (not the ones told to). */
  overLimit = 0;
  private server!: Server;
  /** Arrival times (ms) of the requests of the last second. */
  private arrivals: number[] = [];
  private eventSeq = 0;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => this.handle(request, response));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A lead created at `at` in `status`; its status changes are recorded as amoCRM does. */
  create(lead: Partial<FakeLead> & { id: number; at: number }): FakeLead {
    const { at, ...fields } = lead;
    const created: FakeLead = {
      name: `Deal #${lead.id}`,
      price: 0,
      responsible_user_id: 5501,
      status_id: 1,
      pipeline_id: PIPELINE,
      created_at: at,
      updated_at: at,
      closed_at: null,
      is_deleted: false,
      custom_fields_values: null,
      account_id: this.account.id,
      ...fields,
    };
    this.leads.set(created.id, created);
    return created;
  }

  /** Edits a lead at `at`; a new status is a `lead_status_changed` event at `at`. */
  edit(id: number, at: number, change: Partial<FakeLead>): FakeLead {
    const lead = this.leads.get(id);
    if (!lead) throw new Error(`no lead ${id}`);
    if (change.status_id !== undefined && change.status_id !== lead.status_id) {
      this.eventSeq += 1;
      this.events.push({
        id: `01pz58t6p04ymgsgfbmfy${String(this.eventSeq).padStart(5, '0')}`,
        type: 'lead_status_changed',
        entity_id: id,
        entity_type: 'lead',
        created_by: lead.responsible_user_id,
        created_at: at,
        value_after: [
          {
            lead_status: {
              id: change.status_id,
              pipeline_id: change.pipeline_id ?? lead.pipeline_id,
            },
          },
        ],
        value_before: [{ lead_status: { id: lead.status_id, pipeline_id: lead.pipeline_id } }],
        account_id: this.account.id,
      });
      // amoCRM sets closed_at when a lead enters 142 or 143.
      if (change.status_id === WON || change.status_id === LOST) lead.closed_at = at;
    }
    Object.assign(lead, change, { updated_at: at });
    return lead;
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', this.url);
    this.requests.push(`${url.pathname}${url.search}`);
    const now = Date.now();
    this.arrivals = [...this.arrivals.filter((time) => time > now - 1000), now];
    const over = this.arrivals.length > 7;
    if (this.throttleNext > 0 || over) {
      if (this.throttleNext > 0) this.throttleNext -= 1;
      else this.overLimit += 1;
      return problem(
        response,
        429,
        'Too Many Requests',
        'Превышено допустимое количество запросов в секунду',
      );
    }
    const refusal = this.refuseNext.shift();
    if (refusal) return problem(response, refusal.status, refusal.title, refusal.detail);
    if (request.headers.authorization !== `Bearer ${this.token}`) {
      return problem(response, 401, 'Unauthorized', 'Unauthorized');
    }
    const one = /^\/api\/v4\/leads\/(\d+)$/.exec(url.pathname);
    if (one) {
      const lead = this.leads.get(Number(one[1]));
      return lead ? hal(response, this.leadBody(lead, withsOf(url))) : noContent(response);
    }
    const entity = /^\/api\/v4\/(companies|contacts)\/(\d+)$/.exec(url.pathname);
    if (entity)
      return this.entity(response, url, entity[1] as 'companies' | 'contacts', Number(entity[2]));
    const elements = /^\/api\/v4\/catalogs\/(\d+)\/elements$/.exec(url.pathname);
    if (elements) {
      const catalog = this.catalogs.get(Number(elements[1]));
      if (!catalog) return problem(response, 404, 'Not Found', 'Not Found');
      const ids = url.searchParams.getAll('filter[id][]').map(Number);
      const found = [...catalog.values()]
        .filter((element) => ids.length === 0 || ids.includes(element.id))
        .map((element) => this.elementBody(Number(elements[1]), element));
      return this.list(response, url, 'elements', found, 250);
    }
    if (url.pathname === '/api/v4/leads')
      return this.list(response, url, 'leads', this.leadList(url), 250);
    if (url.pathname === '/api/v4/events')
      return this.list(response, url, 'events', this.eventList(url), 100);
    return problem(response, 404, 'Not Found', 'Not Found');
  }

  private leadList(url: URL): unknown[] {
    const from = url.searchParams.get('filter[updated_at][from]');
    const order = url.searchParams.get('order[updated_at]');
    const ids = url.searchParams.getAll('filter[id][]').map(Number);
    let leads = [...this.leads.values()].filter((lead) => !lead.is_deleted);
    if (ids.length > 0) leads = leads.filter((lead) => ids.includes(lead.id));
    if (from !== null && this.filterUpdatedAt)
      leads = leads.filter((lead) => lead.updated_at >= Number(from));
    if (order === 'asc' || order === 'desc') {
      const sign = order === 'asc' ? 1 : -1;
      leads.sort((a, b) => sign * (a.updated_at - b.updated_at) || a.id - b.id);
    } else leads.sort((a, b) => a.id - b.id);
    const withs = withsOf(url);
    return leads.map((lead) => this.leadBody(lead, withs));
  }

  /** A company or contact `with=leads`: its linked leads' ids; 204 when none links to it. */
  private entity(
    response: ServerResponse,
    url: URL,
    kind: 'companies' | 'contacts',
    id: number,
  ): void {
    const linked = [...this.leads.values()].filter((lead) =>
      kind === 'companies'
        ? this.leadCompany.get(lead.id) === id
        : (this.leadContacts.get(lead.id) ?? []).some((contact) => contact.id === id),
    );
    if (linked.length === 0) return noContent(response);
    hal(response, {
      id,
      name: `${kind === 'companies' ? 'Company' : 'Contact'} #${id}`,
      responsible_user_id: 5501,
      group_id: 0,
      created_by: 5501,
      updated_by: 5501,
      created_at: 1_700_000_000,
      updated_at: 1_700_000_000,
      closest_task_at: null,
      is_deleted: false,
      custom_fields_values: null,
      account_id: this.account.id,
      _links: { self: { href: `${this.url}/api/v4/${kind}/${id}` } },
      _embedded: {
        tags: [],
        ...(withsOf(url).includes('leads')
          ? {
              leads: linked.map((lead) => ({
                id: lead.id,
                _links: { self: { href: `${this.url}/api/v4/leads/${lead.id}` } },
              })),
            }
          : {}),
      },
    });
  }

  private elementBody(catalogId: number, element: FakeCatalogElement) {
    return {
      id: element.id,
      name: element.name,
      created_by: 0,
      updated_by: 0,
      created_at: 1_690_883_956,
      updated_at: 1_690_883_956,
      is_deleted: null,
      custom_fields_values: [
        {
          field_id: PRICE_FIELD,
          field_name: 'Цена',
          field_code: 'PRICE',
          field_type: 'price',
          values: [{ value: element.price.toFixed(2) }],
        },
      ],
      catalog_id: catalogId,
      account_id: this.account.id,
      _links: { self: { href: `${this.url}/api/v4/catalogs/${catalogId}/elements/${element.id}` } },
    };
  }

  /** A product of the "Товары" catalog. */
  product(id: number, name: string, price: number): FakeCatalogElement {
    const catalog = this.catalogs.get(PRODUCTS_CATALOG) ?? new Map<number, FakeCatalogElement>();
    this.catalogs.set(PRODUCTS_CATALOG, catalog);
    const element = { id, name, price };
    catalog.set(id, element);
    return element;
  }

  private eventList(url: URL): unknown[] {
    const types = url.searchParams.getAll('filter[type]');
    const ids = url.searchParams.getAll('filter[entity_id][]').map(Number);
    const from = url.searchParams.get('filter[created_at][from]');
    return this.events
      .filter((event) => types.length === 0 || types.includes(event.type))
      .filter((event) => ids.length === 0 || ids.includes(event.entity_id))
      .filter((event) => from === null || event.created_at >= Number(from))
      .sort((a, b) => b.created_at - a.created_at)
      .map((event) => ({
        ...event,
        _links: { self: { href: `${this.url}/api/v4/events/${event.id}` } },
        _embedded: {
          entity: {
            id: event.entity_id,
            _links: { self: { href: `${this.url}/api/v4/leads/${event.entity_id}` } },
          },
        },
      }));
  }

  private list(response: ServerResponse, url: URL, name: string, all: unknown[], max: number) {
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
    const limit = Math.min(max, Math.max(1, Number(url.searchParams.get('limit') ?? 50)));
    const items = all.slice((page - 1) * limit, page * limit);
    if (items.length === 0) return noContent(response);
    const link = (to: number) => {
      const next = new URL(url);
      next.searchParams.set('page', String(to));
      return { href: next.toString() };
    };
    hal(response, {
      _page: page,
      _links: {
        self: link(page),
        ...(page * limit < all.length ? { next: link(page + 1) } : {}),
        ...(page > 1 ? { first: link(1), prev: link(page - 1) } : {}),
      },
      _embedded: { [name]: items },
    });
  }

  private leadBody(lead: FakeLead, withs: readonly string[] = []) {
    const company = this.leadCompany.get(lead.id);
    return {
      ...lead,
      group_id: 0,
      loss_reason_id: null,
      created_by: lead.responsible_user_id,
      updated_by: lead.responsible_user_id,
      closest_task_at: null,
      score: null,
      labor_cost: null,
      _links: { self: { href: `${this.url}/api/v4/leads/${lead.id}` } },
      _embedded: {
        tags: [],
        companies:
          company === undefined
            ? []
            : [
                {
                  id: company,
                  _links: { self: { href: `${this.url}/api/v4/companies/${company}` } },
                },
              ],
        ...(withs.includes('contacts')
          ? {
              contacts: (this.leadContacts.get(lead.id) ?? []).map((contact) => ({
                ...contact,
                _links: { self: { href: `${this.url}/api/v4/contacts/${contact.id}` } },
              })),
            }
          : {}),
        ...(withs.includes('catalog_elements')
          ? {
              catalog_elements: (this.leadElements.get(lead.id) ?? []).map((element) => ({
                id: element.id,
                metadata: { quantity: element.quantity, catalog_id: element.catalog_id },
              })),
            }
          : {}),
      },
    };
  }

  /** Account fields amoCRM adds to every webhook (webhooks-format.md, "Примеры массивов"). */
  accountFields(account = this.account): [string, string | number][] {
    return [
      ['account[subdomain]', account.subdomain],
      ['account[id]', account.id],
      ['account[_links][self]', `https://${account.subdomain}.amocrm.ru`],
    ];
  }

  /**
   * The Digital Pipeline's "send webhook" on entering a stage: only
   * `leads[status][0][id|status_id|pipeline_id|old_status_id|old_pipeline_id]` and the account
   * (digital_pipeline/webhooks.md, "При переходе в этап").
   */
  digitalPipeline(id: number, oldStatus: number, account = this.account): string {
    const lead = this.leads.get(id);
    if (!lead) throw new Error(`no lead ${id}`);
    return form([
      ['leads[status][0][id]', id],
      ['leads[status][0][status_id]', lead.status_id],
      ['leads[status][0][pipeline_id]', lead.pipeline_id],
      ['leads[status][0][old_status_id]', oldStatus],
      ['leads[status][0][old_pipeline_id]', lead.pipeline_id],
      ...this.accountFields(account),
    ]);
  }

  /**
   * A lead as the account webhook carries it under `leads[<group>][<index>]` (status, update,
   * restore, responsible …): every value a string, `last_modified` in Unix seconds
   * (webhooks-format.md, "Пример массива"; `responsible` adds `old_responsible_user_id`).
   */
  webhookLead(
    group: string,
    index: number,
    id: number,
    extra: Record<string, string | number> = {},
  ) {
    const lead = this.leads.get(id);
    if (!lead) throw new Error(`no lead ${id}`);
    const key = (name: string) => `leads[${group}][${index}][${name}]`;
    const fields: [string, string | number][] = [
      [key('id'), lead.id],
      [key('name'), lead.name],
      [key('status_id'), lead.status_id],
      [key('pipeline_id'), lead.pipeline_id],
      [key('price'), lead.price],
      [key('responsible_user_id'), lead.responsible_user_id],
      [key('last_modified'), lead.updated_at],
      [key('modified_user_id'), lead.responsible_user_id],
      [key('created_user_id'), lead.responsible_user_id],
      [key('date_create'), lead.created_at],
      [key('account_id'), lead.account_id],
      [key('created_at'), lead.created_at],
      [key('updated_at'), lead.updated_at],
    ];
    // `extra` adds fields or replaces a value (a bad price …) in place.
    const given = new Map(Object.entries(extra).map(([name, value]) => [key(name), value]));
    const replaced = fields.map(([name, value]): [string, string | number] => [
      name,
      given.get(name) ?? value,
    ]);
    const added = [...given].filter(([name]) => !fields.some(([field]) => field === name));
    return [...replaced, ...added];
  }
}

/** The `with` parameter's names. */
function withsOf(url: URL): string[] {
  return (url.searchParams.get('with') ?? '').split(',').filter((name) => name !== '');
}

function hal(response: ServerResponse, body: unknown): void {
  response.writeHead(200, { 'content-type': 'application/hal+json' });
  response.end(JSON.stringify(body));
}

function noContent(response: ServerResponse): void {
  response.writeHead(204);
  response.end();
}

function problem(response: ServerResponse, status: number, title: string, detail: string): void {
  response.writeHead(status, { 'content-type': 'application/problem+json' });
  response.end(JSON.stringify({ title, type: `https://httpstatus.es/${status}`, status, detail }));
}
