import { describe, expect, it } from '@jest/globals';
import { formatMoneyIn, simulationMessage } from './messages.js';

describe('simulation messages', () => {
  it('write amounts as the screens write money, and keep them structured in params', () => {
    const message = simulationMessage({
      key: 'remedy.extraPlace.description',
      severity: 'info',
      money: { cost: { minor: 2_500_000, currency: 'RUB' } },
    });
    // ru-RU separates thousands with a no-break space, and the sign from the number too.
    expect(message.text.ru).toContain('(всего 25\u00a0000\u00a0₽)');
    expect(message.text.en).toContain('(₽25,000 in all)');
    expect(message.params).toEqual({ cost: '25000.00 RUB', costMinor: 2_500_000, currency: 'RUB' });
  });

  it('write decimals with a comma in Russian, and keep the params neutral', () => {
    const message = simulationMessage({
      key: 'fairness.newcomers',
      params: { prizeShare: '0.6 %', headcountShare: '25 %' },
    });
    expect(message.text.ru).toBe('У новичков 0,6 % шансов на призы, хотя их 25 % команды.');
    expect(message.text.en).toBe('Newcomers hold 0.6 % of prize chances but are 25 % of the team.');
    const few = simulationMessage({
      key: 'fairness.fewContenders',
      params: { contenders: 1.8, places: 3 },
    });
    expect(few.text.ru).toContain('примерно у 1,8 продавцов');
    expect(few.params).toEqual({ contenders: 1.8, places: 3 });
  });

  it('shows kopecks only when there are any, and other currencies by their narrow symbol', () => {
    expect(formatMoneyIn('ru', { minor: 1_234_550, currency: 'RUB' })).toBe(
      '12\u00a0345,50\u00a0₽',
    );
    expect(formatMoneyIn('en', { minor: 1_234_550, currency: 'RUB' })).toBe('₽12,345.50');
    expect(formatMoneyIn('en', { minor: 990_000, currency: 'USD' })).toBe('$9,900');
  });
});
