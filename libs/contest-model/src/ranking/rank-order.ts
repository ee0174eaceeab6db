import { compareRankKeys, type RankKey } from './rank-key.js';

/** Reusable buffers for {@link sortByRank} over `n` participants. */
export interface RankOrderScratch {
  keys: Uint32Array;
  spare: Uint32Array;
  counts: Uint32Array;
  run: number[];
}

const DIGIT_BITS = 11;
const DIGIT_MASK = (1 << DIGIT_BITS) - 1;

export function rankOrderScratch(n: number): RankOrderScratch {
  return {
    keys: new Uint32Array(n),
    spare: new Uint32Array(n),
    counts: new Uint32Array(DIGIT_MASK + 2),
    run: [],
  };
}

/**
 * Writes into `order` the indices of `keys` in ranking order, exactly as sorting them with
 * {@link compareRankKeys} would (the simulator ranks every participant in every trial). Points are
 * totals rounded to 2 decimals, so (best − points) in hundredths × n + index is an integer that
 * orders by points; when it fits 32 bits it is radix-sorted (three passes over the participants,
 * no comparator call), and only runs of equal points go through `compareRankKeys` (who reached the
 * total first, then id). Otherwise — points spread over more than 2^32 / n hundredths — it falls
 * back to a comparator sort.
 */
export function sortByRank({
  keys,
  order,
  scratch,
}: {
  keys: readonly RankKey[];
  order: Int32Array;
  scratch: RankOrderScratch;
}): void {
  const n = keys.length;
  const { run } = scratch;
  const byRank = (a: number, b: number) => compareRankKeys(keys[a] as RankKey, keys[b] as RankKey);
  let best = Number.NEGATIVE_INFINITY;
  let worst = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i += 1) {
    // Monotone in points, so a higher total never gets a lower key.
    const hundredths = Math.round((keys[i] as RankKey).points * 100);
    if (hundredths > best) best = hundredths;
    if (hundredths < worst) worst = hundredths;
  }
  if (!((best - worst + 1) * n <= 0x1_0000_0000)) {
    run.length = 0;
    for (let i = 0; i < n; i += 1) run.push(i);
    run.sort(byRank);
    order.set(run);
    return;
  }
  let packed = scratch.keys;
  let spare = scratch.spare;
  let maximum = 0;
  for (let i = 0; i < n; i += 1) {
    const key = (best - Math.round((keys[i] as RankKey).points * 100)) * n + i;
    packed[i] = key;
    if (key > maximum) maximum = key;
  }
  // Least significant digit first, only as many digits as the largest key has.
  const { counts } = scratch;
  for (let shift = 0; shift < 32 && maximum / 2 ** shift >= 1; shift += DIGIT_BITS) {
    counts.fill(0);
    for (let i = 0; i < n; i += 1) {
      const digit = ((packed[i] as number) >>> shift) & DIGIT_MASK;
      counts[digit + 1] = (counts[digit + 1] as number) + 1;
    }
    for (let digit = 1; digit <= DIGIT_MASK + 1; digit += 1) {
      counts[digit] = (counts[digit] as number) + (counts[digit - 1] as number);
    }
    for (let i = 0; i < n; i += 1) {
      const key = packed[i] as number;
      const digit = (key >>> shift) & DIGIT_MASK;
      const at = counts[digit] as number;
      counts[digit] = at + 1;
      spare[at] = key;
    }
    const swap = packed;
    packed = spare;
    spare = swap;
  }
  for (let rank = 0; rank < n; rank += 1) order[rank] = (packed[rank] as number) % n;
  // Equal hundredths: order by the whole key (points, then reached first, then id).
  let start = 0;
  while (start < n) {
    const group = Math.floor((packed[start] as number) / n);
    let end = start + 1;
    while (end < n && Math.floor((packed[end] as number) / n) === group) end += 1;
    if (end - start > 1) {
      run.length = 0;
      for (let rank = start; rank < end; rank += 1) run.push(order[rank] as number);
      run.sort(byRank);
      order.set(run, start);
    }
    start = end;
  }
}
