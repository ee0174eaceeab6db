import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock.js';
import { SecretBox } from '../../common/secret-box.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { notificationDefaults, type AppConfig } from '../../config/config.js';
import {
  crmMinor,
  marginAtRate,
  type DealLine,
  type DealObservation,
} from '../crm/deal-observation.js';
import {
  CURRENCIES_CATALOG,
  currencyCodeOf,
  datetimeLiteral,
  EMPTY_DATE,
  filledReference,
  keysFilter,
  OnecError,
  OnecOdata,
  onecDocumentSchema,
  PRODUCTS_CATALOG,
  SALES_DOCUMENT_TYPE,
  SALES_DOCUMENTS,
  SALES_REGISTER,
  USERS_CATALOG,
  wallTimeIn,
  wallTimeOf,
  type OnecDocument,
} from '../crm/onec-odata.js';
import { onecSettingsOf } from '../crm-context.js';
import type { StoredOnecSettings } from '../dto/crm-settings.dto.js';
import type { IntegrationRecord } from '../integrations.repository.js';
import type { CrmPuller, PulledPage, PullFailure, SyncCursor } from './crm-puller.js';
import { CrmSyncRepository } from './crm-sync.repository.js';
import { OnecDocumentsRepository, type SeenDocument } from './onec-documents.repository.js';

type Settings = StoredOnecSettings & { timeZone: string };

/** Keys a catalog read by `Ref_Key eq guid'…' or …` names at once: the URL stays short. */
const KEYS_PER_READ = 20;

/** A CRM user of the mapping screen: a 1C user's key and name. */
export interface CrmUser {
  readonly id: string;
  readonly name: string;
}

/**
 * 1C's pull sync through the standard OData interface. 1C keeps no modification time, so every
 * sync reads every sale document of a sliding window — `Date` from the earliest start of the live
 * and closing contests' periods (while no contest is live: the window of the last sync) — page by
 * page (`$orderby=Date asc,Ref_Key asc`, `$top`/`$skip`), and tells news by each document's
 * `DataVersion`, which 1C changes at every write. A document whose version (and register margin)
 * is the one applied before costs nothing more; a new or changed one becomes an observation.
 *
 * `modifiedAt`, which orders the news of a deal, is the moment of the read: syncs of an
 * integration never overlap (an advisory lock), so a later read of a changed version is always
 * the later news, and the same version is never applied twice.
 *
 * A document seen before, dated within the window, that the listing no longer holds is asked for
 * by its key: gone (404, deleted in 1C after its deletion mark) → not a sale any more, so its sale
 * is reversed; still there (its date moved before the window) → applied as read.
 *
 * With the margin from the register ВыручкаИСебестоимостьПродаж, the window's register records
 * are read each sync too: a month's cost is final only after its closing, so the margin of a
 * document changes after it was first counted, and the changed margin is news like a new version.
 */
@Injectable()
export class OnecPuller implements CrmPuller {
  readonly kind = '1c-odata' as const;

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly secrets: SecretBox,
    private readonly syncs: CrmSyncRepository,
    private readonly documents: OnecDocumentsRepository,
  ) {}

  /** `PODIUM_TIME_ZONE`: the company's time zone, where 1C dates are read by default. */
  private serverTimeZone(): string {
    return (this.config.notifications ?? notificationDefaults()).timeZone;
  }

  /** The client of the integration's infobase. */
  private api(integration: IntegrationRecord, settings: Settings, signal?: AbortSignal) {
    if (integration.accessTokenEncrypted === null) {
      throw new OnecError('the integration has no settings.password to read 1C with', null, false);
    }
    return new OnecOdata({
      baseUrl: settings.baseUrl,
      username: settings.username,
      password: this.secrets.open(integration.accessTokenEncrypted),
      timeoutMs: settings.timeoutMs,
      allowPrivate: this.config.allowPrivateCrm === true,
      signal,
    });
  }

  /** The infobase's users (Catalog_Пользователи, not marked for deletion), by name. */
  async users(integration: IntegrationRecord): Promise<CrmUser[]> {
    const settings = onecSettingsOf(integration, this.serverTimeZone());
    const api = this.api(integration, settings);
    const users: CrmUser[] = [];
    for (let skip = 0; ; skip += settings.pageSize) {
      const rows = await api.list(USERS_CATALOG, {
        $select: 'Ref_Key,Description,DeletionMark',
        $filter: 'DeletionMark eq false',
        $orderby: 'Description asc,Ref_Key asc',
        $top: settings.pageSize,
        $skip: skip,
      });
      for (const row of rows) {
        if (typeof row.Ref_Key === 'string' && typeof row.Description === 'string') {
          users.push({ id: row.Ref_Key, name: row.Description });
        }
      }
      if (rows.length < settings.pageSize) return users;
    }
  }

  async *pages(
    integration: IntegrationRecord,
    since: SyncCursor | null,
    from: Date,
    signal: AbortSignal,
  ): AsyncIterable<PulledPage> {
    const settings = onecSettingsOf(integration, this.serverTimeZone());
    const api = this.api(integration, settings, signal);
    const windowFrom = await this.windowStart(since, from);
    const dateFrom = datetimeLiteral(wallTimeOf(windowFrom, settings.timeZone));
    const seen = await this.documents.seen(integration.id);
    const reader = new DocumentReader(api, settings, integration.id, this.documents);
    const margins =
      settings.marginSource === 'register' ? await reader.registerMargins(dateFrom) : null;
    const now = this.clock.now().toISOString();
    const cursor: SyncCursor = {
      modifiedSince: now,
      extra: { windowFrom: windowFrom.toISOString() },
    };
    const listed = new Set<string>();
    for (let skip = 0; ; skip += settings.pageSize) {
      signal.throwIfAborted();
      const rows = await api.list(SALES_DOCUMENTS, {
        $filter: `Date ge ${dateFrom}`,
        $orderby: 'Date asc,Ref_Key asc',
        $top: settings.pageSize,
        $skip: skip,
      });
      for (const row of rows) if (typeof row.Ref_Key === 'string') listed.add(row.Ref_Key);
      yield await reader.page(rows, seen, margins, now, cursor, []);
      if (rows.length < settings.pageSize) break;
    }
    const missing = [...seen]
      .filter(([ref, document]) => !listed.has(ref) && document.date >= windowFrom)
      .map(([ref]) => ref);
    for (let start = 0; start < missing.length; start += settings.pageSize) {
      signal.throwIfAborted();
      const found: Record<string, unknown>[] = [];
      const gone: string[] = [];
      for (const ref of missing.slice(start, start + settings.pageSize)) {
        const document = await api.one(SALES_DOCUMENTS, ref);
        if (document === null) gone.push(ref);
        else found.push(document);
      }
      yield await reader.page(found, seen, margins, now, cursor, gone);
    }
  }

  /** Where the window starts: the live contests' earliest start, else the last sync's. */
  private async windowStart(since: SyncCursor | null, from: Date): Promise<Date> {
    const live = await this.syncs.earliestLiveStart();
    if (live !== null) return live;
    const stored = since?.extra?.windowFrom;
    return typeof stored === 'string' && !Number.isNaN(Date.parse(stored))
      ? new Date(stored)
      : from;
  }
}

/** Reads one sync's documents into observations, with the catalogs they name read once. */
class DocumentReader {
  private readonly products = new Map<string, string>();
  private currencies: Map<string, string> | null = null;
  /**
   * The settings that decide what a document becomes: part of its fingerprint, so a change of
   * them (another margin rate, product rows switched on) reads every document of the window again.
   */
  private readonly reading: string;

  constructor(
    private readonly api: OnecOdata,
    private readonly settings: Settings,
    private readonly integrationId: string,
    private readonly documents: OnecDocumentsRepository,
  ) {
    this.reading = JSON.stringify([
      settings.configuration,
      settings.marginSource,
      settings.marginRate ?? null,
      settings.productRows ?? 'off',
      settings.newClients === true,
      settings.timeZone,
      settings.currency,
    ]);
  }

  /**
   * The margin of each sale document with records in the register from `dateFrom`: Σ revenue
   * without VAT less Σ cost without VAT, in minor units, by recorder.
   */
  async registerMargins(dateFrom: string): Promise<Map<string, number>> {
    const margins = new Map<string, number>();
    const size = this.settings.pageSize;
    for (let skip = 0; ; skip += size) {
      const rows = await this.api.list(SALES_REGISTER, {
        $filter: `Period ge ${dateFrom} and Recorder_Type eq '${SALES_DOCUMENT_TYPE}'`,
        $select: 'Recorder,Recorder_Type,LineNumber,Active,СуммаВыручкиБезНДС,СтоимостьБезНДС',
        $orderby: 'Period asc,Recorder asc,LineNumber asc',
        $top: size,
        $skip: skip,
      });
      for (const row of rows) {
        if (row.Active === false || typeof row.Recorder !== 'string') continue;
        const revenue = crmMinor(amountOf(row.СуммаВыручкиБезНДС));
        const cost = crmMinor(amountOf(row.СтоимостьБезНДС));
        if (revenue === null || cost === null) {
          throw new OnecError(
            `${SALES_REGISTER}: a record of ${row.Recorder} holds no amount`,
            null,
            false,
          );
        }
        margins.set(row.Recorder, (margins.get(row.Recorder) ?? 0) + revenue - cost);
      }
      if (rows.length < size) return margins;
    }
  }

  /**
   * The observations of the documents in `rows` that are news (their fingerprint is not the one
   * applied), and of the documents `gone` from 1C, with what the page's transaction records.
   */
  async page(
    rows: readonly Record<string, unknown>[],
    seen: ReadonlyMap<string, SeenDocument>,
    margins: ReadonlyMap<string, number> | null,
    now: string,
    cursor: SyncCursor,
    gone: readonly string[],
  ): Promise<PulledPage> {
    const failures: PullFailure[] = [];
    const fresh: { document: OnecDocument; fingerprint: string; margin: number | null }[] = [];
    for (const raw of rows) {
      const parsed = onecDocumentSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        failures.push({
          dealId: typeof raw.Ref_Key === 'string' ? raw.Ref_Key : '?',
          reason: `${issue?.path.join('.') || 'document'}: ${issue?.message ?? 'invalid'}`,
        });
        continue;
      }
      const document = parsed.data;
      const margin = margins === null ? null : (margins.get(document.Ref_Key) ?? null);
      const fingerprint = `${document.DataVersion}|${margin ?? '-'}|${this.reading}`;
      if (seen.get(document.Ref_Key)?.fingerprint === fingerprint) continue;
      fresh.push({ document, fingerprint, margin });
    }
    await this.readProducts(fresh.map(({ document }) => document));
    const observations: DealObservation[] = [];
    const read = new Map<string, SeenDocument>();
    for (const { document, fingerprint, margin } of fresh) {
      const observation = await this.observation(document, margin, now);
      if (typeof observation === 'string') {
        failures.push({ dealId: document.Ref_Key, reason: observation });
        continue;
      }
      observations.push(observation);
      read.set(document.Ref_Key, { fingerprint, date: new Date(observation.occurredAt) });
    }
    for (const ref of gone) {
      observations.push({
        dealId: ref,
        crmUserId: '',
        won: false,
        amountMinor: 0,
        marginMinor: null,
        currency: null,
        occurredAt: seen.get(ref)?.date.toISOString() ?? now,
        modifiedAt: now,
      });
    }
    return {
      observations,
      failures,
      cursor,
      commit: (manager) => this.documents.save(manager, this.integrationId, read, gone),
    };
  }

  /** A document → its observation, or why it cannot be counted. */
  private async observation(
    document: OnecDocument,
    margin: number | null,
    now: string,
  ): Promise<DealObservation | string> {
    const ut11 = this.settings.configuration === 'ut11';
    const won = document.Posted && !document.DeletionMark;
    const sellerField = ut11 ? 'Менеджер_Key' : 'Ответственный_Key';
    const seller = filledReference(ut11 ? document.Менеджер_Key : document.Ответственный_Key);
    if (won && seller === null) return `${sellerField}: the posted document names no seller`;
    if (won && document.Date === EMPTY_DATE) return 'Date: the posted document has no date';
    const amountMinor = crmMinor(document.СуммаДокумента);
    if (amountMinor === null || amountMinor < 0) {
      return 'СуммаДокумента: must be an amount ≥ 0';
    }
    const marginMinor =
      this.settings.marginSource === 'register'
        ? margin
        : marginAtRate(amountMinor, this.settings.marginRate ?? 0);
    const occurredAt =
      document.Date === EMPTY_DATE ? now : wallTimeIn(document.Date, this.settings.timeZone);
    const client = this.settings.newClients === true && won ? await this.client(document) : null;
    return {
      dealId: document.Ref_Key,
      crmUserId: seller ?? '',
      won,
      amountMinor,
      marginMinor,
      currency: await this.currencyOf(document),
      occurredAt,
      modifiedAt: now,
      ...((this.settings.productRows ?? 'off') === 'off' ? {} : { lines: this.lines(document) }),
      ...(client === null ? {} : { client }),
    };
  }

  /** The goods (and БП 3.0's services) rows: product names from Catalog_Номенклатура. */
  private lines(document: OnecDocument): DealLine[] {
    const lines: DealLine[] = [];
    for (const row of [...(document.Товары ?? []), ...(document.Услуги ?? [])]) {
      const amountMinor = crmMinor(row.Сумма);
      if (amountMinor === null || amountMinor < 0 || !(row.Количество > 0)) continue;
      const key = row.Номенклатура_Key;
      lines.push({ product: this.products.get(key) ?? key, quantity: row.Количество, amountMinor });
    }
    return lines;
  }

  /** Reads the names of the products these documents name that are not known yet. */
  private async readProducts(documents: readonly OnecDocument[]): Promise<void> {
    const keys = new Set<string>();
    for (const document of documents)
      for (const row of [...(document.Товары ?? []), ...(document.Услуги ?? [])]) {
        const key = filledReference(row.Номенклатура_Key);
        if (key !== null && !this.products.has(key)) keys.add(key);
      }
    const wanted = [...keys];
    for (let start = 0; start < wanted.length; start += KEYS_PER_READ) {
      const chunk = wanted.slice(start, start + KEYS_PER_READ);
      const rows = await this.api.list(PRODUCTS_CATALOG, {
        $filter: keysFilter(chunk),
        $select: 'Ref_Key,Description',
      });
      for (const row of rows) {
        if (typeof row.Ref_Key === 'string' && typeof row.Description === 'string') {
          this.products.set(row.Ref_Key, row.Description.trim());
        }
      }
    }
  }

  /** The document's currency (ISO 4217), or null when it names none. */
  private async currencyOf(document: OnecDocument): Promise<string | null> {
    const key = filledReference(
      this.settings.configuration === 'ut11'
        ? (document.Валюта_Key ?? document.ВалютаДокумента_Key)
        : (document.ВалютаДокумента_Key ?? document.Валюта_Key),
    );
    if (key === null) return null;
    if (this.currencies === null) {
      const rows = await this.api.list(CURRENCIES_CATALOG, { $select: 'Ref_Key,Code,Description' });
      this.currencies = new Map(
        rows
          .filter((row) => typeof row.Ref_Key === 'string')
          .map((row) => [row.Ref_Key as string, currencyCodeOf(row)]),
      );
    }
    return this.currencies.get(key) ?? `? (${key})`;
  }

  /** The counterparty, new when 1C holds no earlier posted sale document of it. */
  private async client(document: OnecDocument): Promise<{ id: string; isNew: boolean } | null> {
    const id = filledReference(document.Контрагент_Key);
    if (id === null) return null;
    const earlier = await this.api.list(SALES_DOCUMENTS, {
      $filter: `Контрагент_Key eq guid'${id}' and Posted eq true and DeletionMark eq false and Date lt ${datetimeLiteral(document.Date)}`,
      $select: 'Ref_Key',
      $top: 1,
    });
    return { id, isNew: earlier.length === 0 };
  }
}

/** A register resource as 1C writes it; absent is 0. */
function amountOf(value: unknown): string | number {
  return typeof value === 'number' || typeof value === 'string' ? value : 0;
}
