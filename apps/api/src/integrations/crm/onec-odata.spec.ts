import { describe, expect, it } from '@jest/globals';
import {
  currencyCodeOf,
  keysFilter,
  odataErrorOf,
  onecDocumentSchema,
  wallTimeIn,
  wallTimeOf,
} from './onec-odata.js';

describe('1C OData shapes', () => {
  it('reads a 1C wall time in the integration time zone, daylight saving included', () => {
    expect(wallTimeIn('2026-03-05T14:30:00', 'Europe/Moscow')).toBe('2026-03-05T14:30:00+03:00');
    expect(wallTimeIn('2026-03-05T14:30:00', 'Asia/Yekaterinburg')).toBe(
      '2026-03-05T14:30:00+05:00',
    );
    // Berlin moves to summer time on 29 March 2026 at 02:00.
    expect(wallTimeIn('2026-03-28T12:00:00', 'Europe/Berlin')).toBe('2026-03-28T12:00:00+01:00');
    expect(wallTimeIn('2026-03-30T12:00:00', 'Europe/Berlin')).toBe('2026-03-30T12:00:00+02:00');
    expect(wallTimeOf(new Date('2026-03-01T00:00:00Z'), 'Asia/Yekaterinburg')).toBe(
      '2026-03-01T05:00:00',
    );
  });

  it('names a currency by its letter code, else by its numeric code', () => {
    expect(currencyCodeOf({ Code: '643', Description: 'руб.' })).toBe('RUB');
    expect(currencyCodeOf({ Code: '840', Description: 'USD' })).toBe('USD');
    expect(currencyCodeOf({ Code: '51', Description: 'драм' })).toBe('AMD');
    // 1C's "conventional units" often take 999, ISO 4217's "no currency": never counted.
    expect(currencyCodeOf({ Code: '999', Description: 'у.е.' })).toBe('XXX');
    expect(currencyCodeOf({ Code: '', Description: 'у.е.' })).toBe('у.е.');
  });

  it("reads 1C's error body", () => {
    expect(
      odataErrorOf(
        '{"odata.error":{"code":"9","message":{"lang":"ru","value":"Экземпляр сущности не найден"}}}',
      ),
    ).toBe('Экземпляр сущности не найден (code 9)');
    expect(odataErrorOf('<html>502</html>')).toBeNull();
  });

  it('filters by GUIDs only', () => {
    expect(keysFilter(['a1b2c3d4-0000-11ee-9a1f-00155d000001', "x' or true"])).toBe(
      "Ref_Key eq guid'a1b2c3d4-0000-11ee-9a1f-00155d000001'",
    );
  });

  it('takes amounts and quantities as 1C writes them, strings for large numbers', () => {
    const parsed = onecDocumentSchema.safeParse({
      Ref_Key: '0c4320aa-624f-11f0-a7a0-fa78dd2b3d42',
      DataVersion: 'AAAAAQAAAAA=',
      DeletionMark: false,
      Posted: true,
      Number: 'УТ-000711',
      Date: '2026-08-26T12:00:00',
      СуммаДокумента: '12345678901234.50',
      Менеджер_Key: '00000000-0000-0000-0000-000000000000',
      Товары: [
        {
          LineNumber: '1',
          Номенклатура_Key: 'b0b0b0b0-0000-11ee-9a1f-00155d000001',
          Количество: '2.5',
          Сумма: 1500,
        },
      ],
    });
    expect(parsed.success).toBe(true);
    expect(parsed.data?.Товары?.[0]?.Количество).toBe(2.5);
    expect(onecDocumentSchema.safeParse({ Ref_Key: 'nope' }).success).toBe(false);
  });
});
