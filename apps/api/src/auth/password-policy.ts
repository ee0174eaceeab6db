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
 * What is wrong with a password someone sets (a user created or changed, the first admin from
 * the environment), or null. One rule for every place a password is set; the demo accounts'
 * `demo` is set by the demo seed, not through here.
 */
export function passwordProblem(password: string): string | null {
  if (password.trim() === '') return 'must not be only whitespace';
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `must be at least ${MIN_PASSWORD_LENGTH} characters long`;
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return `must be at most ${MAX_PASSWORD_LENGTH} characters long`;
  }
  // The list is lower case: "Password1" is as guessable as "password1".
  if (COMMON_PASSWORDS.has(password.toLowerCase())) {
    return 'is one of the most common passwords; choose one that is harder to guess';
  }
  return null;
}
