/** MurmurHash3's 32-bit finalizer: a fast bijective mix of an int32. */
export function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A pseudo-random number in [0, 2^32) fixed by (seed, trial, participant), used as the simulated
 * "reached that total at" when points tie: who got there first is unknown before the contest, so
 * every order of tied participants is equally likely, and it draws nothing from the streams.
 */
export function tieBreakHash({
  seed,
  trial,
  participant,
}: {
  seed: number;
  trial: number;
  participant: number;
}): number {
  return mix32(mix32(mix32(seed) ^ trial) ^ Math.imul(participant, 0x9e37_79b9));
}
