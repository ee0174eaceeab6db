import { describe, expect, it } from '@jest/globals';
import { ISSUE_CODES, ZOD_ISSUE_CODES } from '@podium/contest-model';
import { z } from 'zod';
import { passwordSchema } from '../../apps/api/src/users/dto/user.dto.js';
import { fieldIssues } from '../../apps/api/src/common/validation/zod-validation.pipe.js';
import { codeText, API_ISSUE_PREFIXES } from '../../apps/web/src/lib/i18n/codes.js';
import { messages } from '../../apps/web/src/lib/i18n/messages.js';

// Every code a 400's issue can carry has a sentence in each language of the web app, so no
// screen falls back to the server's English.
describe('the issue codes the API answers with', () => {
  const keys = (locale: keyof typeof messages): ReadonlySet<string> =>
    new Set(Object.keys(messages[locale]));

  it.each(['en', 'ru'] as const)('each has a %s sentence under issue. or cell.', (locale) => {
    const known = keys(locale);
    const missing = ISSUE_CODES.filter(
      (code) => !API_ISSUE_PREFIXES.some((prefix) => known.has(`${prefix}${code}`)),
    );
    expect(missing).toEqual([]);
  });

  it('every issue.* sentence names a code the API can answer', () => {
    const codes = new Set<string>(ISSUE_CODES);
    const stray = Object.keys(messages.en)
      .filter((key) => key.startsWith('issue.'))
      .map((key) => key.slice('issue.'.length).split('.')[0] ?? '')
      .filter((code) => !codes.has(code));
    expect(stray).toEqual([]);
  });

  it("lists zod's own codes as this zod version names them", () => {
    const seen = new Set<string>();
    const probes: [z.ZodType, unknown][] = [
      [z.string(), 1],
      [z.string().min(2), 'a'],
      [z.string().max(1), 'ab'],
      [z.email(), 'x'],
      [z.number().multipleOf(2), 3],
      [z.strictObject({}), { a: 1 }],
      [z.union([z.string(), z.number()]), true],
      [z.record(z.string().min(2), z.number()), { b: 1 }],
      [z.map(z.object({}), z.number()), new Map([[{}, 'b']])],
      [z.literal('a'), 'b'],
      [z.string().refine(() => false), 'a'],
    ];
    for (const [schema, input] of probes) {
      const result = schema.safeParse(input);
      for (const issue of result.error?.issues ?? []) seen.add(issue.code);
    }
    expect([...seen].sort()).toEqual([...ZOD_ISSUE_CODES].sort());
  });

  it('a too-short password reads as "at least 8 characters" in both languages', () => {
    const result = z.object({ password: passwordSchema }).safeParse({ password: 'short' });
    const [issue] = fieldIssues(result.error?.issues ?? []);
    expect(issue).toEqual({
      path: 'password',
      message: 'must be at least 8 characters long',
      code: 'too_small',
      params: { kind: 'string', min: 8 },
    });
    const say = (locale: keyof typeof messages) =>
      codeText((key) => messages[locale][key], issue?.code, issue?.params, API_ISSUE_PREFIXES);
    expect(say('en')).toBe('must be at least 8 characters long');
    expect(say('ru')).toBe('не короче 8 символов');
  });
});
