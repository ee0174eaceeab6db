/** One command's answer: its result, or its error and the description Bitrix24 gives. */
export type CommandOutcome = { result: unknown } | { error: string; description: string };

/**
 * `batch` as the REST API answers it (REST docs settings/how-to-call-rest-api/batch.md,
 * "Response Handling" and "Error Handling"): status 200 whatever the commands answer;
 * `result.result` holds each command's result by its key, `result.result_error` each failed
 * command's `{error, error_description}`, `result_total`/`result_next` the list methods' counts
 * (none of the methods the fake answers is one) and `result_time` each command's time. An empty
 * one is `[]`, as the documented error examples show (PHP's empty array). Past 50 commands each
 * answers `ERROR_BATCH_LENGTH_EXCEEDED` ("subqueries beyond the limit will end with an error");
 * a nested `batch` `ERROR_BATCH_METHOD_NOT_ALLOWED`; with `halt` true the first failure stops the
 * rest.
 */
export function answerBatch(
  commands: readonly (readonly [string, string])[],
  halt: unknown,
  perform: (method: string, params: Record<string, unknown>) => CommandOutcome,
  time: (started: number) => unknown,
) {
  const result: Record<string, unknown> = {};
  const errors: Record<string, { error: string; error_description: string }> = {};
  const times: Record<string, unknown> = {};
  const stopOnError = halt === true || halt === 1 || halt === '1' || halt === 'true';
  for (const [index, [key, command]] of commands.entries()) {
    const started = performance.now();
    const called = parseCommand(command);
    const outcome: CommandOutcome =
      index >= 50
        ? { error: 'ERROR_BATCH_LENGTH_EXCEEDED', description: 'Max batch length exceeded' }
        : called.method === 'batch'
          ? {
              error: 'ERROR_BATCH_METHOD_NOT_ALLOWED',
              description: 'Method is not allowed for batch usage',
            }
          : perform(called.method, called.params);
    if ('result' in outcome) {
      result[key] = outcome.result;
      times[key] = time(started);
      continue;
    }
    errors[key] = { error: outcome.error, error_description: outcome.description };
    if (stopOnError) break;
  }
  const php = (value: Record<string, unknown>) => (Object.keys(value).length === 0 ? [] : value);
  return {
    result: php(result),
    result_error: php(errors),
    result_total: [],
    result_next: [],
    result_time: php(times),
  };
}

/** The commands of a `batch` in order: `cmd` as a JSON object, or `cmd[<key>]=…` form fields. */
export function commandsOf(params: Record<string, unknown>): [string, string][] {
  const cmd = params.cmd;
  const entries =
    cmd !== null && typeof cmd === 'object' && !Array.isArray(cmd)
      ? Object.entries(cmd)
      : Object.entries(params).flatMap(([name, value]) => {
          const key = /^cmd\[(.+)\]$/.exec(name)?.[1];
          return key === undefined ? [] : [[key, value] as const];
        });
  return entries.flatMap(([key, value]): [string, string][] =>
    typeof value === 'string' ? [[key, value]] : [],
  );
}

/**
 * `crm.deal.get?id=42` → the method and its parameters (the command's query string), read as
 * PHP's `parse_str` reads it, which is what the portal does with each command: `filter[ID]=5`
 * is `{ filter: { ID: '5' } }`, `select[0]=ID&select[1]=TITLE` (or `select[]=…`) a list.
 */
export function parseCommand(command: string): {
  method: string;
  params: Record<string, unknown>;
} {
  const at = command.indexOf('?');
  if (at < 0) return { method: command, params: {} };
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(command.slice(at + 1))) {
    const match = /^([^[\]]+)((?:\[[^\]]*\])*)$/.exec(key);
    if (!match) continue;
    const path = [...(match[2] ?? '').matchAll(/\[([^\]]*)\]/g)].map((part) => part[1] ?? '');
    let node: Record<string, unknown> = params;
    let name = match[1] as string;
    for (const part of path) {
      const child = (node[name] ??= {}) as Record<string, unknown>;
      node = child;
      name = part === '' ? String(Object.keys(child).length) : part;
    }
    node[name] = value;
  }
  // PHP's lists come out as objects keyed 0, 1, …: made arrays, as JSON bodies give them.
  const lists = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value).map(([k, v]) => [k, lists(v)] as const);
    return entries.length > 0 && entries.every(([k], index) => k === String(index))
      ? entries.map(([, v]) => v)
      : Object.fromEntries(entries);
  };
  return { method: command.slice(0, at), params: lists(params) as Record<string, unknown> };
}

/** The deals a `batch` asks for: the id of every `crm.deal.get` in it. */
export function dealIdsOf(commands: readonly (readonly [string, string])[]): string[] {
  return commands.flatMap(([, command]) => {
    const called = parseCommand(command);
    const id = called.params.id;
    return called.method === 'crm.deal.get' && typeof id === 'string' ? [id] : [];
  });
}
