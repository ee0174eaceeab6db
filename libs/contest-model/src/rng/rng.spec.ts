import { describe, expect, it } from '@jest/globals';
import { mix32 } from './hash.js';
import { normal } from './normal.js';
import { logFactorial, poisson } from './poisson.js';
import { streamGenerator, uniformOpen } from './streams.js';

// Tolerances are multiples of the standard error of the estimate, so a correct sampler fails
// with a probability far below one in a million.
const K = 5;

function moments(draw: () => number, count: number) {
  let sum = 0;
  let squares = 0;
  let beyond2 = 0;
  for (let index = 0; index < count; index += 1) {
    const x = draw();
    sum += x;
    squares += x * x;
    if (Math.abs(x) > 2) beyond2 += 1;
  }
  const mean = sum / count;
  return { mean, variance: squares / count - mean * mean, beyond2: beyond2 / count };
}

describe('streams', () => {
  it('gives the same draws for the same seed and stream, other draws for another stream', () => {
    const draws = (seed: number, stream: number) => {
      const rng = streamGenerator({ seed, stream });
      return Array.from({ length: 5 }, () => rng.next());
    };
    expect(draws(42, 3)).toEqual(draws(42, 3));
    expect(draws(42, 3)).not.toEqual(draws(42, 4));
    expect(draws(42, 0)).not.toEqual(draws(43, 0));
    // Seeds that differ only above 32 bits are different seeds.
    expect(draws(1, 0)).not.toEqual(draws(1 + 2 ** 32, 0));
  });

  it('draws uniforms strictly inside (0, 1) with mean 1/2', () => {
    const rng = streamGenerator({ seed: 7, stream: 0 });
    const count = 200_000;
    const { mean } = moments(() => {
      const u = uniformOpen(rng);
      if (!(u > 0 && u < 1)) throw new Error(`uniform out of range: ${u}`);
      return u;
    }, count);
    expect(Math.abs(mean - 0.5)).toBeLessThan(K * Math.sqrt(1 / 12 / count));
  });

  it('mixes bits: mix32 is a bijection on a sample', () => {
    const seen = new Set<number>();
    for (let value = 0; value < 10_000; value += 1) seen.add(mix32(value));
    expect(seen.size).toBe(10_000);
  });
});

describe('normal (ziggurat)', () => {
  it('has mean 0, variance 1 and the normal tail mass beyond ±2', () => {
    const rng = streamGenerator({ seed: 11, stream: 0 });
    const count = 400_000;
    const { mean, variance, beyond2 } = moments(() => normal(rng), count);
    expect(Math.abs(mean)).toBeLessThan(K * Math.sqrt(1 / count));
    // Var of the sample variance of a normal is 2σ⁴ / n.
    expect(Math.abs(variance - 1)).toBeLessThan(K * Math.sqrt(2 / count));
    const tail = 0.0455003; // P(|Z| > 2)
    expect(Math.abs(beyond2 - tail)).toBeLessThan(K * Math.sqrt((tail * (1 - tail)) / count));
  });
});

describe('poisson', () => {
  it.each([0.7, 4, 25, 300])('has mean and variance λ = %p', (lambda) => {
    const rng = streamGenerator({ seed: 5, stream: 1 });
    const count = 100_000;
    const { mean, variance } = moments(() => poisson(rng, lambda), count);
    expect(Math.abs(mean - lambda)).toBeLessThan(K * Math.sqrt(lambda / count));
    // Var of the sample variance ≈ (μ4 − σ⁴) / n with μ4 = λ(1 + 3λ) for a Poisson.
    const spread = Math.sqrt((lambda * (1 + 3 * lambda) - lambda * lambda) / count);
    expect(Math.abs(variance - lambda)).toBeLessThan(K * spread);
  });

  it('gives 0 for a zero mean and ln n! close to the exact sum', () => {
    const rng = streamGenerator({ seed: 5, stream: 2 });
    expect(poisson(rng, 0)).toBe(0);
    let exact = 0;
    for (let n = 1; n <= 40; n += 1) {
      exact += Math.log(n);
      expect(logFactorial(n)).toBeCloseTo(exact, 9);
    }
  });
});
