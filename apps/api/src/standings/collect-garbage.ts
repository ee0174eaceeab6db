import v8 from 'node:v8';
import vm from 'node:vm';

let collect: (() => void) | null | undefined;

/**
 * Asks V8 for a full, compacting collection, once a burst is over. Rebuilding a projection parses
 * a million rows from PostgreSQL, read a page at a time, and V8 grows its heap to hold the burst:
 * measured right after a rebuild of 1,000,000 events, 318 MB of heap committed for 125 MB used,
 * and 101 MB committed after one full collection (the resident size fell from 522 to 300 MB).
 * Nothing would allocate enough to trigger that collection soon after, so the process
 * kept the pages. `gc` is reached the way jest's `--logHeapUsage` reaches it (`--expose-gc` for
 * contexts created from now on, then one new context); false when the runtime refuses.
 */
export function collectGarbage(): boolean {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
  return collect !== null;
}
