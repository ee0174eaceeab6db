import { describe, expect, it } from '@jest/globals';
import { bitrix24DealSchema, noonOf, saleMomentOf } from './bitrix24.js';

/** A deal as `crm.deal.get` answers it (REST docs crm.deal.get "Response Handling"). */
function deal(fields: Record<string, string>) {
  return bitrix24DealSchema.parse({
    ID: '410',
    STAGE_SEMANTIC_ID: 'S',
    OPPORTUNITY: '1000000.00',
    CURRENCY_ID: 'EUR',
    ASSIGNED_BY_ID: '1',
    CATEGORY_ID: '0',
    CLOSEDATE: '2024-09-09T02:00:00+02:00',
    DATE_MODIFY: '2024-08-30T14:29:00+02:00',
    MOVED_TIME: '2024-08-30T14:29:00+02:00',
    ...fields,
  });
}

describe('the moment of a Bitrix24 sale', () => {
  it('is noon of a calendar day in the zone, with the offset of that day', () => {
    expect(noonOf('2026-03-31', 'Europe/Moscow')).toBe('2026-03-31T12:00:00+03:00');
    expect(noonOf('2026-07-01', 'America/New_York')).toBe('2026-07-01T12:00:00-04:00');
    expect(noonOf('2026-01-15', 'America/New_York')).toBe('2026-01-15T12:00:00-05:00');
    expect(noonOf('2026-03-31', 'Asia/Kolkata')).toBe('2026-03-31T12:00:00+05:30');
    expect(noonOf('2026-03-31', 'UTC')).toBe('2026-03-31T12:00:00+00:00');
  });

  it('takes MOVED_TIME for a won deal, then the date of CLOSEDATE, then DATE_MODIFY', () => {
    const modified = '2024-08-30T14:29:00+02:00';
    expect(saleMomentOf(deal({}), 'Europe/Moscow', modified)).toBe('2024-08-30T14:29:00+02:00');
    // Only the calendar date of CLOSEDATE counts, whatever its offset.
    const late = deal({ MOVED_TIME: '', CLOSEDATE: '2024-09-09T23:30:00-05:00' });
    expect(saleMomentOf(late, 'Europe/Moscow', modified)).toBe('2024-09-09T12:00:00+03:00');
    const none = deal({ MOVED_TIME: '', CLOSEDATE: '' });
    expect(saleMomentOf(none, 'Europe/Moscow', modified)).toBe(modified);
    // Not won: MOVED_TIME is when it entered some other stage.
    const lost = deal({ STAGE_SEMANTIC_ID: 'F', MOVED_TIME: '2024-09-01T10:00:00+02:00' });
    expect(saleMomentOf(lost, 'Europe/Moscow', modified)).toBe('2024-09-09T12:00:00+03:00');
  });

  it('reads "" as an empty date and refuses a date that is not one', () => {
    expect(deal({ CLOSEDATE: '', DATE_MODIFY: '', MOVED_TIME: '' })).toMatchObject({
      CLOSEDATE: '',
    });
    expect(() => deal({ CLOSEDATE: '09.09.2024' })).toThrow();
  });
});
