import { describe, expect, it } from '@jest/globals';
import { ADVISORY_LOCKS } from './advisory-lock.js';

describe('ADVISORY_LOCKS', () => {
  it('gives every lock a key of its own: two sharing one would wait on each other', () => {
    const keys = Object.values(ADVISORY_LOCKS);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
