import { dictionary } from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_LENGTH = 8;
/** At most 256 characters, so nobody feeds the KDF a megabyte. */
export const MAX_PASSWORD_LENGTH = 256;

/**
 * The most common passwords of leaked password lists (about 49,000, lower case), as zxcvbn-ts
 * ships them: the first ones an attacker tries, whatever the rate limits.
 */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(dictionary['passwords-common']);

/** How many passwords are refused as common (the issue asks for at least 10,000). */
export const commonPasswordCount = COMMON_PASSWORDS.size;

/**
 * What is wrong with a password: the sentence, and the issue code and params a screen translates
 * it by (`too_small` with `{ kind: 'string', min: 8 }` reads "at least 8 characters").
 */
export interface PasswordProblem {
  readonly message: string;
  readonly code: 'blankPassword' | 'too_small' | 'too_big' | 'commonPassword';
  readonly params?: Readonly<Record<string, string | number>>;
}

/**
 * What is wrong with a password someone sets (a user created or changed, the first admin from
 * the environment), or null. One rule for every place a password is set; the demo accounts'
 * `demo` is set by the demo seed, not through here.
 */
export function passwordProblem(password: string): PasswordProblem | null {
  if (password.trim() === '')
    return { message: 'must not be only whitespace', code: 'blankPassword' };
  if (password.length < MIN_PASSWORD_LENGTH) {
    return {
      message: `must be at least ${MIN_PASSWORD_LENGTH} characters long`,
      code: 'too_small',
      params: { kind: 'string', min: MIN_PASSWORD_LENGTH },
    };
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return {
      message: `must be at most ${MAX_PASSWORD_LENGTH} characters long`,
      code: 'too_big',
      params: { kind: 'string', max: MAX_PASSWORD_LENGTH },
    };
  }
  // The list is lower case: "Password1" is as guessable as "password1".
  if (COMMON_PASSWORDS.has(password.toLowerCase())) {
    return {
      message: 'is one of the most common passwords; choose one that is harder to guess',
      code: 'commonPassword',
    };
  }
  return null;
}
