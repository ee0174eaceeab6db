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

  it('shows kopecks only when there are any, and other currencies by their narrow symbol', () => {
    expect(formatMoneyIn('ru', { minor: 1_234_550, currency: 'RUB' })).toBe(
      '12\u00a0345,50\u00a0₽',
    );
    expect(formatMoneyIn('en', { minor: 1_234_550, currency: 'RUB' })).toBe('₽12,345.50');
    expect(formatMoneyIn('en', { minor: 990_000, currency: 'USD' })).toBe('$9,900');
  });
});
