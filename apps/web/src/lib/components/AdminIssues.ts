import { ApiError, messageOf, type FieldIssue } from '../api.js';

export { messageOf };

/**
 * The field issues a failed request shows in a form: the API's own `issues` when it named any;
 * otherwise one issue with its message, on the field `pathOf` names (a fixed path, or one read
 * from the API's answer, such as a 409's), or on the form itself ('').
 */
export function issuesOf(
  failure: unknown,
  pathOf: string | ((failure: ApiError) => string) = '',
): FieldIssue[] {
  if (failure instanceof ApiError && failure.issues.length > 0) return [...failure.issues];
  const path =
    typeof pathOf === 'string' ? pathOf : failure instanceof ApiError ? pathOf(failure) : '';
  return [{ path, message: messageOf(failure) }];
}
