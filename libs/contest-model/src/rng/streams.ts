import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';

/** A mutable seeded generator: `next()` gives a uniform int32 (pure-rand xoroshiro128+). */
export type Rng = JumpableRandomGenerator;

/**
 * The generator for one stream of a seed. Stream `k` is the seed's generator jumped `k` times
 * (2^64 draws apart each), so streams never overlap: independent streams by jumping, never by
 * re-seeding. A safe integer seed uses both 32-bit halves; for seeds in [0, 2^32) the state is
 * pure-rand's own `xoroshiro128plus(seed)`.
 */
export function streamGenerator({ seed, stream }: { seed: number; stream: number }): Rng {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer: ${seed}`);
  if (!Number.isInteger(stream) || stream < 0) {
    throw new RangeError(`stream must be a non-negative integer: ${stream}`);
  }
  const low = seed | 0;
  const high = Math.floor(seed / 0x1_0000_0000) | 0;
  // pure-rand seeds xoroshiro128plus(s) as [-1, ~s, s, 0]; the high half goes where its zeros
  // were. The state is never all zero (~low and low cannot both be 0).
  const rng = xoroshiro128plusFromState([~high, ~low, low, high]);
  for (let jump = 0; jump < stream; jump += 1) rng.jump();
  return rng;
}

const TWO_POW_32 = 0x1_0000_0000;

/** A uniform double in (0, 1), never 0 or 1 (32 bits of resolution). */
export function uniformOpen(rng: Rng): number {
  return ((rng.next() >>> 0) + 0.5) / TWO_POW_32;
}
