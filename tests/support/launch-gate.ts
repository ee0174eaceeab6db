/**
 * The body of a launch that passes the launch gate with an override (DESIGN §4), for tests whose
 * subject is not the gate: their contests are launched without an approved simulation, and the
 * launch's audit row says so with this reason. The gate itself is tested in
 * `tests/e2e/launch-gate.spec.ts`.
 */
export const LAUNCH_PAST_GATE = {
  override: { reason: 'test fixture: launched without an approved simulation' },
} as const;
