import { pino, type Logger } from 'pino';

export interface RequestLogEntry {
  readonly method: string;
  /** The route template (`/api/contests/:id`), never the URL, which may hold a secret. */
  readonly route: string;
  readonly status: number;
  readonly durationMs: number;
}

/**
 * The one line logged per request, written straight to the logger's stream in the exact shape
 * `logger.info({ method, route, status, durationMs }, 'request')` gives
 * (`{"level":"info","time":…,"service":…,"method":…,"route":…,"status":…,"durationMs":…,"msg":"request"}`).
 * Going through pino costs a serialisation with redaction on every request — a fifth of the work of
 * a request without database work; these four fields are known and hold no secret, so the line is
 * built directly. Does nothing when the level is above `info`.
 */
export function requestLogger(logger: Logger): (entry: RequestLogEntry) => void {
  if (!logger.isLevelEnabled('info')) return () => undefined;
  const internals = logger as unknown as Record<symbol, unknown>;
  const stream = internals[pino.symbols.streamSym] as
    { write?: (line: string) => void } | undefined;
  const bindings = internals[pino.symbols.chindingsSym];
  if (typeof stream?.write !== 'function' || typeof bindings !== 'string') {
    return (entry) => logger.info({ ...entry }, 'request');
  }
  const write = stream.write.bind(stream);
  return ({ method, route, status, durationMs }) => {
    write(
      `{"level":"info","time":"${new Date().toISOString()}"${bindings},"method":${JSON.stringify(method)},"route":${JSON.stringify(route)},"status":${status},"durationMs":${durationMs},"msg":"request"}\n`,
    );
  };
}
