/**
 * Where a simulation run is: waiting for its turn, running, or ended one of three ways. The one
 * spelling of these states: the API stores and answers them (the `simulations` table checks the
 * same list), the socket carries them, and the browser's own runs use the ones that apply to them.
 */
export const simulationStates = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type SimulationState = (typeof simulationStates)[number];

/** The states a run ends in. */
export type SimulationEndState = Exclude<SimulationState, 'queued' | 'running'>;
