import { describe, expect, it } from '@jest/globals';
import { unstorableStrings } from './json-strings.js';

describe('unstorableStrings', () => {
  it('names every string PostgreSQL cannot store by its path', () => {
    expect(
      unstorableStrings({
        name: 'ok',
        participants: [{ id: 'p\u0000' }, { id: 'fine', team: '\ud800' }],
        ['k\u0000']: 1,
      }),
    ).toEqual([
      {
        path: 'participants[0].id',
        message: 'must not contain the NUL character (\\u0000)',
        code: 'unstorable',
      },
      {
        path: 'participants[1].team',
        message: 'must be valid Unicode (a lone UTF-16 surrogate is not)',
        code: 'unstorable',
      },
      {
        path: '["k\\u0000"]',
        message: 'key: must not contain the NUL character (\\u0000)',
        code: 'unstorable',
      },
    ]);
  });

  it('accepts any other text, emoji and Cyrillic included', () => {
    expect(unstorableStrings({ name: 'Спринт 🏆', list: ['a', 1, null, { x: 'y' }] })).toEqual([]);
  });
});
