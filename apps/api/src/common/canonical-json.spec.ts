import { describe, expect, it } from '@jest/globals';
import { canonicalJson } from './canonical-json.js';

/** The definition stored hashes were computed with: sort the keys of every object, stringify. */
function byCopy(value: unknown): string {
  const sortKeys = (inner: unknown): unknown => {
    if (Array.isArray(inner)) return inner.map(sortKeys);
    if (inner !== null && typeof inner === 'object') {
      return Object.fromEntries(
        Object.keys(inner)
          .sort()
          .map((key) => [key, sortKeys((inner as Record<string, unknown>)[key])]),
      );
    }
    return inner;
  };
  return JSON.stringify(sortKeys(value));
}

describe('canonicalJson', () => {
  const samples: unknown[] = [
    {
      type: 'sale',
      source: 'crm',
      externalId: 'deal-1',
      participantId: 'p1',
      occurredAt: '2026-03-02T10:00:00Z',
      amountMinor: 1_000_000_000_000_000,
      marginMinor: -0,
      quantity: 1.5,
      isNewClient: false,
      clientId: undefined,
      product: 'Ünïcødé "quoted" \\ \n \u2028 \ud83d\ude00',
    },
    { b: [3, { z: 1, a: [null, undefined, () => 1, { y: 2, x: 1 }] }], a: {} },
    { '10': 'ten', '9': 'nine', a: 1, '01': 'zero-one', '-1': 'minus', '4294967295': 'max' },
    JSON.parse('{"__proto__": {"polluted": true}, "a": 1}'),
    [1, 'two', true, null, [], {}, 1e21, 1e-7, Number.NaN, Number.POSITIVE_INFINITY],
    'plain',
    42,
    null,
    { nested: { deeper: { deepest: { value: [{ k: 'v', j: 'w' }] } } } },
  ];

  it('writes what stringifying a key-sorted copy writes', () => {
    for (const sample of samples) expect(canonicalJson(sample)).toBe(byCopy(sample));
  });

  it('is the same text whatever the key order', () => {
    expect(canonicalJson({ a: 1, b: { c: 2, d: 3 } })).toBe(
      canonicalJson({ b: { d: 3, c: 2 }, a: 1 }),
    );
  });
});
