import { evaluate, parseContestEvent, parseContestFile } from '@podium/contest-model';
import type { CrmWorld } from './crm.js';
import {
  dataVersion,
  guid,
  ZERO_GUID,
  type FakeGoodsRow,
  type FakeOnecOdata,
  type FakeSaleDocument,
} from './fake-1c-odata.js';

/** The infobase's users: the sellers' keys in Catalog_Пользователи. */
export const ONEC_USERS = {
  anna: 'a1b2c3d4-0000-11ee-9a1f-00155d000001',
  boris: 'a1b2c3d4-0000-11ee-9a1f-00155d000002',
  admin: 'a1b2c3d4-0000-11ee-9a1f-00155d000003',
} as const;
export const RUB_KEY = 'f1e2d3c4-0000-11ee-9a1f-00155d000643';
export const USD_KEY = 'f1e2d3c4-0000-11ee-9a1f-00155d000840';
export const PRODUCTS = {
  drill: 'b0b0b0b0-0000-11ee-9a1f-00155d000001',
  saw: 'b0b0b0b0-0000-11ee-9a1f-00155d000002',
  install: 'b0b0b0b0-0000-11ee-9a1f-00155d000003',
} as const;
const COUNTERPARTY = 'c0c0c0c0-0000-11ee-9a1f-00155d000001';

export type Family = 'ut11' | 'bp30';

/**
 * Fills the fake infobase's catalogs as 1C answers them: users (one marked for deletion),
 * currencies (named "руб." with the numeric code, as БП names them, and "USD"), products.
 */
export function fillCatalogs(onec: FakeOnecOdata): void {
  onec.rows('Catalog_Пользователи').push(
    {
      Ref_Key: ONEC_USERS.anna,
      DataVersion: dataVersion(),
      DeletionMark: false,
      Code: '',
      Description: 'Анна Петрова',
    },
    {
      Ref_Key: ONEC_USERS.boris,
      DataVersion: dataVersion(),
      DeletionMark: false,
      Code: '',
      Description: 'Борис Иванов',
    },
    {
      Ref_Key: ONEC_USERS.admin,
      DataVersion: dataVersion(),
      DeletionMark: false,
      Code: '',
      Description: 'Администратор',
    },
    {
      Ref_Key: guid(),
      DataVersion: dataVersion(),
      DeletionMark: true,
      Code: '',
      Description: 'Уволенный',
    },
  );
  onec.rows('Catalog_Валюты').push(
    {
      Ref_Key: RUB_KEY,
      DataVersion: dataVersion(),
      DeletionMark: false,
      Code: '643',
      Description: 'руб.',
    },
    {
      Ref_Key: USD_KEY,
      DataVersion: dataVersion(),
      DeletionMark: false,
      Code: '840',
      Description: 'USD',
    },
  );
  onec.rows('Catalog_Номенклатура').push(
    {
      Ref_Key: PRODUCTS.drill,
      DataVersion: dataVersion(),
      DeletionMark: false,
      IsFolder: false,
      Code: '00-00000001',
      Description: 'Дрель ударная',
    },
    {
      Ref_Key: PRODUCTS.saw,
      DataVersion: dataVersion(),
      DeletionMark: false,
      IsFolder: false,
      Code: '00-00000002',
      Description: 'Пила дисковая',
    },
    {
      Ref_Key: PRODUCTS.install,
      DataVersion: dataVersion(),
      DeletionMark: false,
      IsFolder: false,
      Code: '00-00000003',
      Description: 'Монтаж',
    },
  );
}

/**
 * A posted sale document of the family's shape: УТ 11 names the seller `Менеджер_Key` and the
 * currency `Валюта_Key`, БП 3.0 `Ответственный_Key` and `ВалютаДокумента_Key` (and keeps
 * services in `Услуги`). Its goods: two drills and a saw, whose `Сумма` add up to the amount.
 */
export function saleDocument(
  family: Family,
  fields: { number: number; date: string; seller: string; amount: number | string },
): FakeSaleDocument {
  const amount = Number(fields.amount);
  const saw = Math.round(amount * 0.3 * 100) / 100;
  const drills = Math.round((amount - saw) * 100) / 100;
  const goods: FakeGoodsRow[] = [
    {
      LineNumber: '1',
      Номенклатура_Key: PRODUCTS.drill,
      Количество: 2,
      Цена: drills / 2,
      Сумма: drills,
      СтавкаНДС: 'НДС20',
      СуммаНДС: Math.round((drills / 6) * 100) / 100,
    },
    {
      LineNumber: '2',
      Номенклатура_Key: PRODUCTS.saw,
      Количество: 1,
      Цена: saw,
      Сумма: saw,
      СтавкаНДС: 'НДС20',
      СуммаНДС: Math.round((saw / 6) * 100) / 100,
    },
  ];
  const number = String(fields.number).padStart(6, '0');
  const common = {
    Ref_Key: guid(),
    DataVersion: dataVersion(),
    DeletionMark: false,
    Number: family === 'ut11' ? `УТ-${number}` : `0000-${number}`,
    Date: fields.date,
    Posted: true,
    СуммаДокумента: fields.amount,
    Контрагент_Key: COUNTERPARTY,
    Организация_Key: 'd0d0d0d0-0000-11ee-9a1f-00155d000001',
    Склад_Key: 'e0e0e0e0-0000-11ee-9a1f-00155d000001',
    Комментарий: '',
    Товары: goods,
  };
  return family === 'ut11'
    ? {
        ...common,
        Менеджер_Key: fields.seller,
        Валюта_Key: RUB_KEY,
        Партнер_Key: 'f0f0f0f0-0000-11ee-9a1f-00155d000001',
        Соглашение_Key: ZERO_GUID,
        ДатаПлатежа: '0001-01-01T00:00:00',
      }
    : {
        ...common,
        Ответственный_Key: fields.seller,
        ВалютаДокумента_Key: RUB_KEY,
        ДоговорКонтрагента_Key: ZERO_GUID,
        ВидОперации: 'Товары',
        Услуги: [],
      };
}

/**
 * What `evaluate` of the world's contest says each seller has when the sales are exactly
 * `documents` (those posted and not marked for deletion), each dated by its `Date` read in
 * `offset` (the integration's time zone), with `rate` of its amount as margin.
 */
export async function expectedOnecPoints(
  world: CrmWorld,
  family: Family,
  documents: readonly FakeSaleDocument[],
  offset: string,
  rate: number,
): Promise<Record<string, { points: number; rank: number }>> {
  const [row] = await world.rows('SELECT frozen_file FROM contests WHERE id = $1', [
    world.contestId,
  ]);
  const file = parseContestFile(row?.frozen_file);
  if (!file.success) throw new Error('the frozen contest file does not parse');
  const participant: Record<string, string> = {
    [ONEC_USERS.anna]: 'anna',
    [ONEC_USERS.boris]: 'boris',
  };
  const events = documents
    .filter((document) => document.Posted && !document.DeletionMark)
    .map((document) => {
      const amountMinor = Math.round(Number(document.СуммаДокумента) * 100);
      const seller = String(family === 'ut11' ? document.Менеджер_Key : document.Ответственный_Key);
      const parsed = parseContestEvent({
        type: 'sale',
        source: 'expected',
        externalId: document.Ref_Key,
        participantId: participant[seller],
        occurredAt: `${document.Date}${offset}`,
        amountMinor,
        marginMinor: Math.round(amountMinor * rate),
      });
      if (!parsed.success) throw new Error(`${document.Number}: ${JSON.stringify(parsed.issues)}`);
      return parsed.data;
    });
  const result = evaluate({ ...file.data, events });
  return Object.fromEntries(
    result.standings.map((one) => [one.participantId, { points: one.points, rank: one.rank }]),
  );
}

/** The 1C date `day` days and `minutes` minutes after 1 March 2026 00:00 (wall time). */
export function marchDate(day: number, minutes = 0): string {
  const at = new Date(Date.UTC(2026, 2, 1 + day, 0, minutes));
  return at.toISOString().slice(0, 19);
}
