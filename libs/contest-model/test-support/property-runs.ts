// How many cases a fast-check property of the standings tries.

/**
 * `full` in an ordinary test run. The mutation run (stryker.config.mjs sets
 * PODIUM_MUTATION_RUN) runs a property once for every mutant its code reaches, so there it tries a
 * tenth as many cases, at least 15: a mutant that survives only for want of cases shows up as a
 * survivor, never as a false kill.
 */
export function propertyRuns(full: number): number {
  return process.env.PODIUM_MUTATION_RUN === '1' ? Math.max(15, Math.ceil(full / 10)) : full;
}
