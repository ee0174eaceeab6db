import { describe, expect, it } from '@jest/globals';
import { quietUntil, TelegramPace } from './telegram-pace.js';

describe(TelegramPace.name, () => {
  it('lets one message a second go to a chat', () => {
    const sut = new TelegramPace();
    expect(sut.readyAt('777', 0)).toBe(0);
    sut.record('777', 0);
    expect(sut.readyAt('777', 10)).toBe(1_000);
    expect(sut.readyAt('778', 10)).toBe(10);
  });

  it('lets 30 messages a second go overall', () => {
    const sut = new TelegramPace();
    for (let chat = 0; chat < 30; chat += 1) sut.record(String(chat), chat);
    expect(sut.readyAt('999', 100)).toBe(1_000);
    expect(sut.readyAt('999', 1_001)).toBe(1_001);
  });

  it('lets 20 messages a minute go to a group', () => {
    const sut = new TelegramPace();
    for (let n = 0; n < 20; n += 1) sut.record('-100', n * 1_000);
    expect(sut.readyAt('-100', 20_000)).toBe(60_000);
    // A private chat is not limited by the minute.
    for (let n = 0; n < 20; n += 1) sut.record('5', n * 1_000);
    expect(sut.readyAt('5', 20_000)).toBe(20_000);
  });

  it('pauses everything for a 429 retry_after', () => {
    const sut = new TelegramPace();
    sut.pause('777', 5_000);
    expect(sut.readyAt('777', 0)).toBe(5_000);
    expect(sut.readyAt('778', 0)).toBe(5_000);
  });
});

describe(quietUntil.name, () => {
  const hours = { start: 21 * 60, end: 9 * 60 };

  it('holds a message at 23:30 Moscow time until 09:00 there', () => {
    // 23:30 in Moscow (UTC+3) is 20:30 UTC.
    expect(quietUntil(new Date('2026-12-01T20:30:00Z'), 'Europe/Moscow', hours)).toEqual(
      new Date('2026-12-02T06:00:00Z'),
    );
  });

  it('holds a message at 03:15 until 09:00 the same day', () => {
    expect(quietUntil(new Date('2026-12-02T00:15:00Z'), 'Europe/Moscow', hours)).toEqual(
      new Date('2026-12-02T06:00:00Z'),
    );
  });

  it('lets a message go at 12:00 and when quiet hours are off', () => {
    expect(quietUntil(new Date('2026-12-02T09:00:00Z'), 'Europe/Moscow', hours)).toBeNull();
    expect(
      quietUntil(new Date('2026-12-01T20:30:00Z'), 'Europe/Moscow', { start: 0, end: 0 }),
    ).toBeNull();
  });
});
