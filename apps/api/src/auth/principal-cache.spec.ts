import { describe, expect, it } from '@jest/globals';
import type { DisplayPrincipal, UserPrincipal } from './principal.js';
import { PrincipalCache } from './principal-cache.js';

const display: DisplayPrincipal = {
  kind: 'display',
  displayId: 'd1',
  name: 'Hall',
  contestIds: [],
  settings: { language: 'ru', slides: ['leaderboard'], slideSeconds: 20, sound: false },
};
const session = (expiresAt: number): UserPrincipal => ({
  kind: 'user',
  userId: 'u1',
  email: 'a@test.local',
  role: 'admin',
  participantId: null,
  sessionId: 's1',
  expiresAt: new Date(expiresAt),
});

describe(PrincipalCache.name, () => {
  it('answers a stored principal until its TTL, then asks again', () => {
    let now = 1_000_000;
    const sut = new PrincipalCache(5_000, 100, () => now);
    expect(sut.get('k')).toBeNull();
    sut.store('k', display, sut.ticket());
    expect(sut.get('k')).toBe(display);
    now += 4_999;
    expect(sut.get('k')).toBe(display);
    now += 1;
    expect(sut.get('k')).toBeNull();
    expect(sut.size).toBe(0);
  });

  it('never keeps a session past its own expiry, and not at all once it has expired', () => {
    let now = 1_000_000;
    const sut = new PrincipalCache(5_000, 100, () => now);
    sut.store('soon', session(now + 1_000), sut.ticket());
    sut.store('gone', session(now), sut.ticket());
    expect(sut.get('gone')).toBeNull();
    now += 999;
    expect(sut.get('soon')).not.toBeNull();
    now += 1;
    expect(sut.get('soon')).toBeNull();
  });

  it('forgets everything on clear(), and drops an answer looked up before the clear', () => {
    const sut = new PrincipalCache(5_000, 100, () => 0);
    sut.store('a', display, sut.ticket());
    const ticket = sut.ticket();
    // A revoke lands while a lookup is in flight: its answer may predate the revoke.
    sut.clear();
    sut.store('b', display, ticket);
    expect(sut.get('a')).toBeNull();
    expect(sut.get('b')).toBeNull();
    sut.store('b', display, sut.ticket());
    expect(sut.get('b')).toBe(display);
  });

  it('holds at most its size, dropping the oldest first', () => {
    const sut = new PrincipalCache(5_000, 2, () => 0);
    for (const key of ['a', 'b', 'c']) sut.store(key, display, sut.ticket());
    expect(sut.size).toBe(2);
    expect(sut.get('a')).toBeNull();
    expect(sut.get('b')).toBe(display);
    expect(sut.get('c')).toBe(display);
  });
});
