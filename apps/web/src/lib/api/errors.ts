// What a refused request says: pure, so modules that run outside the browser (socket.ts, under
// the end-to-end tests) can use it without the session.

export interface FieldIssue {
  readonly path: string;
  readonly message: string;
  /** A stable code the screen translates (a form's own parse refusals carry one). */
  readonly code?: string;
  readonly params?: Readonly<Record<string, string | number>>;
}

/**
 * A refused request: the status, the server's message, the fields it named, and a 409's `code`
 * (why it conflicts: `not_simulated`, `unbalanced`, `contest_state` …).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: readonly FieldIssue[] = [],
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The {@link ApiError} of a refused answer whose body was `body` (parsed JSON, text, or nothing). */
export function refusal(response: Response, body: unknown): ApiError {
  const error = (typeof body === 'object' && body !== null ? body : {}) as {
    message?: unknown;
    issues?: FieldIssue[];
    code?: unknown;
  };
  const message =
    typeof error.message === 'string' && error.message
      ? error.message
      : typeof body === 'string' && body
        ? body
        : response.statusText || `HTTP ${response.status}`;
  return new ApiError(
    response.status,
    message,
    Array.isArray(error.issues) ? error.issues : [],
    typeof error.code === 'string' ? error.code : null,
  );
}

/**
 * What a failure says, for an alert: the API's message, or the error's — never the class
 * name `String(error)` would put in front ("ApiError: …").
 */
export function messageOf(failure: unknown): string {
  return failure instanceof Error ? failure.message : String(failure);
}
