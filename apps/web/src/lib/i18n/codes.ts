import { fill } from '../live-format.js';
import { messages, type MessageKey } from './messages.js';

/**
 * The reader's sentence for an issue's stable code, looked up under each of `prefixes` in turn
 * (`cell.money`, `import.code.duplicate`) and filled with the params; null for a code the
 * app has no sentence for, so the caller shows the server's English instead.
 */
export function codeText(
  translate: (key: MessageKey) => string,
  code: string | undefined,
  params: Readonly<Record<string, string | number>> = {},
  prefixes: readonly string[] = ['cell.'],
): string | null {
  if (code === undefined) return null;
  for (const prefix of prefixes) {
    const key = `${prefix}${code}`;
    if (key in messages.en) return fill(translate(key as MessageKey), { ...params });
  }
  return null;
}
