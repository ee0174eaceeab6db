/** Time as a dependency: the lifecycle and checkpoints read it here, tests move it by hand. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => new Date() };
